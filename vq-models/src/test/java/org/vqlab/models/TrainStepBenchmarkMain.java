package org.vqlab.models;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.vqlab.core.engine.EngineConfig;
import org.vqlab.core.engine.EngineSetup;
import org.vqlab.core.quantizer.Quantizers;
import org.vqlab.models.testing.ModelFixtures;

/**
 * Runs {@link TrainStepBenchmark} with the test nearest-neighbour quantizer:
 * {@code java -cp <test classpath> org.vqlab.models.TrainStepBenchmarkMain [threads] [steps]}.
 */
public final class TrainStepBenchmarkMain {
  public static void main(String[] args) {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 0;
    int steps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Engine engine = EngineSetup.start(new EngineConfig(true, "bundled", threads, threads > 0 ? 1 : 0), 0);
    Device device = EngineSetup.device(engine, "auto");
    TrainStepBenchmark.run(device, System.out, new Quantizers(ModelFixtures.REGISTRY),
        ModelFixtures.quantizerSection(512, 64), 2, steps);
  }
}
