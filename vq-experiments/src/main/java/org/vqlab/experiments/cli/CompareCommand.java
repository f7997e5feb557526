package org.vqlab.experiments.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.vqlab.core.run.RunLayout;
import org.vqlab.eval.report.AtomicFiles;
import org.vqlab.eval.report.EvaluationReport;
import org.vqlab.eval.report.ReportComparison;
import org.vqlab.experiments.Vq;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code vq compare <run dirs...> [--out prefix]}: the runs' report.json side by side, printed as
 * a markdown table (rows = metrics, columns = runs) and written to {@code <prefix>.md} and
 * {@code <prefix>.csv}. A run without a report is an error (exit 2) that says how to make one.
 */
@Command(name = "compare", description = "Tabulate the reports of several runs side by side (markdown and CSV).")
public final class CompareCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "RUN_DIR", description = "Run directories with a report.json (vq eval run=<dir>).")
  List<Path> runs = new ArrayList<>();

  @Option(names = "--out", paramLabel = "PREFIX", description = "Write PREFIX.md and PREFIX.csv (default: comparison in the current directory).")
  Path out = Path.of("comparison");

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    List<EvaluationReport> reports = new ArrayList<>();
    for (Path run : runs) {
      Path file = run.resolve(RunLayout.REPORT_JSON);
      if (!Files.isRegularFile(file)) {
        err.println("error: " + run + " has no " + RunLayout.REPORT_JSON + ": run `vq eval run="
            + run + "` first");
        err.flush();
        return Vq.CONFIG_ERROR;
      }
      try {
        reports.add(EvaluationReport.read(file));
      } catch (IOException e) {
        err.println("error: cannot read " + file + ": " + e.getMessage());
        err.flush();
        return Vq.CONFIG_ERROR;
      }
    }
    ReportComparison table = new ReportComparison(reports);
    String markdown = table.markdown();
    Path md = Path.of(out + ".md");
    Path csv = Path.of(out + ".csv");
    AtomicFiles.write(md, markdown.getBytes(StandardCharsets.UTF_8));
    AtomicFiles.write(csv, table.csv().getBytes(StandardCharsets.UTF_8));
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.print(markdown);
    stdout.println();
    stdout.println("written: " + md + ", " + csv);
    stdout.flush();
    return 0;
  }
}
