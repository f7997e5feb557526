package org.vqlab.core.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;

/**
 * Starts DJL's PyTorch engine as the config says: offline unless told otherwise, thread counts, and
 * the run's seed for DJL and PyTorch (the Java-side batch order derives from it as well, see
 * {@code BatchSampler.forTraining}). Must run before anything touches the engine, because PyTorch
 * reads its thread settings when it loads.
 */
public final class EngineSetup {
  private EngineSetup() {}

  public static Engine start(EngineConfig config, long seed) {
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", Boolean.toString(config.offline()));
    }
    if (config.numThreads() > 0) {
      System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(config.numThreads()));
    }
    if (config.numInteropThreads() > 0) {
      System.setProperty("ai.djl.pytorch.num_interop_threads", Integer.toString(config.numInteropThreads()));
    }
    // Graph executor optimisation only matters for TorchScript; keep eager mode predictable.
    System.setProperty("ai.djl.pytorch.graph_optimizer", "false");
    Engine engine = Engine.getEngine("PyTorch");
    engine.setRandomSeed((int) seed);
    return engine;
  }

  public static Device device(Engine engine, String spec) {
    return new DeviceSpec(spec).resolve(engine);
  }
}
