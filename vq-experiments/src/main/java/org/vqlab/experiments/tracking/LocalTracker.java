package org.vqlab.experiments.tracking;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.vqlab.core.tracking.RunStatus;
import org.vqlab.core.tracking.Tracker;
import org.vqlab.experiments.run.RunDirectory;

/**
 * The run directory as a tracker: one JSON object per metric in {@code metrics.jsonl}
 * (name, value, step, wall_time in seconds, stage), flushed line by line so that a killed run
 * keeps everything it logged; artifacts from outside the directory are copied in.
 */
public final class LocalTracker implements Tracker {
  private static final JsonFactory JSON = new JsonFactory();
  private final Path directory;
  private final BufferedWriter metrics;
  private String stage = "";

  public LocalTracker(Path directory) {
    this.directory = directory.toAbsolutePath().normalize();
    try {
      this.metrics = Files.newBufferedWriter(directory.resolve(RunDirectory.METRICS),
          StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + directory.resolve(RunDirectory.METRICS), e);
    }
  }

  @Override
  public String name() {
    return "local";
  }

  @Override
  public synchronized void stageStarted(String stage) {
    this.stage = stage;
  }

  @Override
  public synchronized void logMetric(String name, double value, long step, long timestampMillis) {
    StringWriter line = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(line)) {
      g.writeStartObject();
      g.writeStringField("name", name);
      if (Double.isFinite(value)) {
        g.writeNumberField("value", value);
      } else {
        g.writeStringField("value", Double.toString(value));
      }
      g.writeNumberField("step", step);
      g.writeNumberField("wall_time", timestampMillis / 1000.0);
      g.writeStringField("stage", stage);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      metrics.write(line.toString());
      metrics.write('\n');
      metrics.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + directory.resolve(RunDirectory.METRICS), e);
    }
  }

  @Override
  public void logArtifact(Path file, String artifactPath) {
    Path source = file.toAbsolutePath().normalize();
    if (source.startsWith(directory)) {
      return;
    }
    Path target = directory.resolve(artifactPath).resolve(file.getFileName().toString());
    try {
      Files.createDirectories(target.getParent());
      Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + source + " into " + target, e);
    }
  }

  @Override
  public void setTags(Map<String, String> tags) {
    // Tags are part of provenance.json, written by the launch.
  }

  @Override
  public void stageEnded(RunStatus status) {}

  @Override
  public synchronized String finish(RunStatus status) {
    try {
      metrics.close();
    } catch (IOException e) {
      return "could not close " + RunDirectory.METRICS + ": " + e.getMessage();
    }
    return "";
  }
}
