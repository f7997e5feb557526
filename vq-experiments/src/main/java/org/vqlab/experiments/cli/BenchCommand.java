package org.vqlab.experiments.cli;

import java.util.concurrent.Callable;
import org.vqlab.experiments.Vq;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code vq bench <what>}: benchmarks that print numbers on the configured device. */
@Command(name = "bench", description = "Run a benchmark: quantizer, data, train, prior, sample.")
public final class BenchCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "WHAT")
  String what;

  @Override
  public Integer call() {
    System.err.println("vq bench " + what + ": not built yet");
    return Vq.NOT_BUILT;
  }
}
