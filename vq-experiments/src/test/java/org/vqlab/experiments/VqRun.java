package org.vqlab.experiments;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs {@code vq} in-process and keeps what it printed. */
record VqRun(int exitCode, String out, String err) {
  static VqRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Vq.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new VqRun(code, out.toString(), err.toString());
  }
}
