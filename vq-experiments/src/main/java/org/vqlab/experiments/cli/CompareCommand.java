package org.vqlab.experiments.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.vqlab.experiments.Vq;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code vq compare <run dirs...>}: reports side by side. */
@Command(name = "compare", description = "Tabulate the reports of several runs side by side (markdown and CSV).")
public final class CompareCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "RUN_DIR")
  List<Path> runs = new ArrayList<>();

  @Override
  public Integer call() {
    System.err.println("vq compare: reports are not built yet (issue 7)");
    return Vq.NOT_BUILT;
  }
}
