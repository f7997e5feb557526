package org.vqlab.core.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Random;

/**
 * Starts DJL's PyTorch engine as the config says: offline unless told otherwise, thread counts, and
 * one seed for Java, DJL and PyTorch. Must run before anything touches the engine, because PyTorch
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

  /** A Java random stream derived from the run seed and a purpose, so streams never collide. */
  public static Random random(long seed, String purpose) {
    return new Random(seed * 0x9E3779B97F4A7C15L ^ purpose.hashCode());
  }

  public static Device device(Engine engine, String spec) {
    return new DeviceSpec(spec).resolve(engine);
  }
}
