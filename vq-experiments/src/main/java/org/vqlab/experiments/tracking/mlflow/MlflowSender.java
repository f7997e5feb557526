package org.vqlab.experiments.tracking.mlflow;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vqlab.core.tracking.RunStatus;

/**
 * Delivers to MLflow from one background thread, in the order things were logged, so that the
 * training loop only ever enqueues. While the server is unreachable or failing with 5xx the
 * current request is retried with exponential back-off and everything behind it waits in the
 * queue (metrics bounded by max_queued_metrics; beyond that they are dropped and counted).
 * Requests the server rejects for good (4xx) are dropped and counted. {@link #close} waits up to
 * finish_timeout_seconds for the backlog and reports what was not delivered.
 */
final class MlflowSender {
  private static final Logger LOG = LoggerFactory.getLogger(MlflowSender.class);
  private static final long FIRST_RETRY_DELAY_MS = 250;

  /** A run to be created on the server; its id is known once the sender has created it. */
  static final class RunHandle {
    final String name;
    volatile String id;
    volatile String artifactUri;
    volatile boolean failed;

    RunHandle(String name) {
      this.name = name;
    }
  }

  sealed interface Op permits CreateRun, LogParams, SetTags, Metric, Artifact, LogInputs, EndRun {}

  /** Nested under {@code parent}'s run, or under the run with id {@code parentId} (a sweep). */
  record CreateRun(RunHandle run, RunHandle parent, String parentId, long startTime,
      Map<String, String> tags) implements Op {}

  record LogParams(RunHandle run, List<Map.Entry<String, String>> params) implements Op {}

  record SetTags(RunHandle run, List<Map.Entry<String, String>> tags) implements Op {}

  record Metric(RunHandle run, MlflowConnection.Point point) implements Op {}

  record Artifact(RunHandle run, Path file, String relativePath) implements Op {}

  /** A runs/log-inputs body without its run id. */
  record LogInputs(RunHandle run, org.vqlab.core.tracking.DatasetInput dataset) implements Op {}

  record EndRun(RunHandle run, RunStatus status, long endTime) implements Op {}

  private final MlflowConnection connection;
  private final int metricsPerBatch;
  private final int maxQueuedMetrics;
  private final long maxRetryDelayMs;
  private final LinkedBlockingQueue<Op> queue = new LinkedBlockingQueue<>();
  private final AtomicInteger queuedMetrics = new AtomicInteger();
  private final Map<String, Long> undelivered = new LinkedHashMap<>();
  private final Thread thread;
  private volatile boolean closing;
  private volatile boolean givingUp;
  /** The batch the sender thread is delivering; guarded by this. */
  private List<Op> inFlight = List.of();
  /** close() stopped waiting for the sender thread and settled what it held; guarded by this. */
  private boolean abandoned;
  private String firstError;
  private long delivered;
  private boolean outage;

  MlflowSender(MlflowConnection connection) {
    this.connection = connection;
    this.metricsPerBatch = connection.config.metricsPerBatch();
    this.maxQueuedMetrics = connection.config.maxQueuedMetrics();
    this.maxRetryDelayMs = Math.max(FIRST_RETRY_DELAY_MS,
        Math.round(connection.config.maxRetryDelaySeconds() * 1000));
    this.thread = new Thread(this::loop, "mlflow-sender");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** Queues a control operation (run creation, params, tags, artifacts, run end). */
  void enqueue(Op op) {
    if (closing) {
      count(op, "logged after finish");
      return;
    }
    queue.add(op);
  }

  /** Never blocks: when the queue holds max_queued_metrics points the point is dropped and counted. */
  void enqueueMetric(RunHandle run, MlflowConnection.Point point) {
    if (closing) {
      count(new Metric(run, point), "logged after finish");
      return;
    }
    if (queuedMetrics.incrementAndGet() > maxQueuedMetrics) {
      queuedMetrics.decrementAndGet();
      count(new Metric(run, point), "queue full (" + maxQueuedMetrics
          + " metrics waiting for the server); raise tracking.mlflow.max_queued_metrics");
      return;
    }
    queue.add(new Metric(run, point));
  }

  /** Metric points queued or in flight, not yet on the server. */
  int pendingMetrics() {
    return queuedMetrics.get();
  }

  private void loop() {
    try {
      while (true) {
        Op op = queue.poll(100, TimeUnit.MILLISECONDS);
        if (op == null) {
          if (closing) {
            return;
          }
          continue;
        }
        List<Op> batch;
        synchronized (this) {
          if (abandoned) {
            // close() has counted what was in flight and in the queue; this one it did not see.
            count(op, "not sent before finish_timeout_seconds");
            releaseMetrics(List.of(op));
            return;
          }
          batch = op instanceof Metric m ? drainMetrics(m) : List.of(op);
          inFlight = batch;
        }
        if (givingUp) {
          settle(batch, "not sent before finish_timeout_seconds");
        } else {
          deliver(batch);
        }
      }
    } catch (InterruptedException e) {
      // close() gave up on a call that did not return; it counts what is left.
    }
  }

  /**
   * Settles the batch in flight, exactly once: counts it as not delivered for {@code reason} (or
   * as delivered when null) and releases its queue places, unless close() gave up on this thread
   * and settled it already.
   */
  private synchronized void settle(List<Op> batch, String reason) {
    if (abandoned) {
      return;
    }
    if (reason == null) {
      recordSuccess(batch.size());
    } else {
      countAll(batch, reason.isEmpty() ? null : reason);
    }
    releaseMetrics(batch);
    inFlight = List.of();
  }

  /** Consecutive metric points of the same run, up to the server's batch limits. */
  private List<Op> drainMetrics(Metric first) {
    List<Op> batch = new ArrayList<>();
    batch.add(first);
    int bytes = estimateBytes(first);
    while (batch.size() < metricsPerBatch) {
      // Only this thread takes from the queue, so the peeked element is the one polled.
      if (!(queue.peek() instanceof Metric next) || next.run() != first.run()) {
        break;
      }
      int b = estimateBytes(next);
      if (bytes + b > MlflowLimits.MAX_BATCH_BYTES) {
        break;
      }
      queue.poll();
      batch.add(next);
      bytes += b;
    }
    return batch;
  }

  private static int estimateBytes(Metric m) {
    return 80 + 2 * m.point().key().length();
  }

  private void releaseMetrics(List<Op> batch) {
    if (!batch.isEmpty() && batch.get(0) instanceof Metric) {
      queuedMetrics.addAndGet(-batch.size());
    }
  }

  private interface Call {
    void run() throws Exception;
  }

  private void deliver(List<Op> batch) throws InterruptedException {
    Op first = batch.get(0);
    RunHandle run = runOf(first);
    if (run.failed) {
      settle(batch, "");
      return;
    }
    if (run.id == null && !(first instanceof CreateRun)) {
      run.failed = true;
      settle(batch, "run '" + run.name + "' was never created");
      return;
    }
    Call call;
    if (first instanceof CreateRun c) {
      call = () -> create(c);
    } else if (first instanceof LogParams p) {
      call = () -> {
        for (List<Map.Entry<String, String>> chunk
            : MlflowLimits.chunks(p.params(), MlflowLimits.MAX_PARAMS_TAGS_PER_BATCH)) {
          connection.logParams(run.id, chunk);
        }
      };
    } else if (first instanceof SetTags t) {
      call = () -> {
        for (List<Map.Entry<String, String>> chunk
            : MlflowLimits.chunks(t.tags(), MlflowLimits.MAX_PARAMS_TAGS_PER_BATCH)) {
          connection.setTags(run.id, chunk);
        }
      };
    } else if (first instanceof Metric) {
      call = () -> {
        List<MlflowConnection.Point> points = new ArrayList<>(batch.size());
        batch.forEach(op -> points.add(((Metric) op).point()));
        connection.logMetrics(run.id, points);
      };
    } else if (first instanceof Artifact a) {
      call = () -> connection.uploadArtifact(run.artifactUri, a.relativePath(), a.file());
    } else if (first instanceof LogInputs i) {
      call = () -> connection.logDataset(run.id, i.dataset());
    } else {
      EndRun e = (EndRun) first;
      call = () -> connection.endRun(run.id, e.status(), e.endTime());
    }
    long delay = FIRST_RETRY_DELAY_MS;
    while (true) {
      try {
        call.run();
        settle(batch, null);
        return;
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        if (!MlflowConnection.retriable(e)) {
          if (first instanceof CreateRun) {
            run.failed = true;
          }
          settle(batch, describe(first) + ": " + e.getMessage());
          LOG.warn("MLflow rejected {} ({}); it is dropped, the run directory has it",
              describe(first), e.getMessage());
          return;
        }
        noteOutage(e);
        if (givingUp) {
          if (first instanceof CreateRun) {
            run.failed = true;
          }
          settle(batch, "server unreachable at " + connection.config.uri() + ": " + e);
          return;
        }
        sleepUnlessGivingUp(delay);
        delay = Math.min(maxRetryDelayMs, delay * 2);
      }
    }
  }

  private void create(CreateRun c) {
    Map<String, String> tags = new LinkedHashMap<>(c.tags());
    String parentId = c.parent() != null ? c.parent().id : c.parentId();
    if (c.parent() != null && parentId == null) {
      throw new MlflowConnection.PermanentFailure("its parent run '" + c.parent().name
          + "' could not be created", null);
    }
    if (parentId != null) {
      tags.put("mlflow.parentRunId", parentId);
    }
    MlflowConnection.CreatedRun created = connection.createRun(c.run().name, c.startTime(), tags);
    c.run().artifactUri = created.artifactUri();
    c.run().id = created.id();
  }

  private static RunHandle runOf(Op op) {
    if (op instanceof CreateRun c) {
      return c.run();
    } else if (op instanceof LogParams p) {
      return p.run();
    } else if (op instanceof SetTags t) {
      return t.run();
    } else if (op instanceof Metric m) {
      return m.run();
    } else if (op instanceof Artifact a) {
      return a.run();
    } else if (op instanceof LogInputs i) {
      return i.run();
    }
    return ((EndRun) op).run();
  }


  private static String describe(Op op) {
    String run = "run '" + runOf(op).name + "'";
    if (op instanceof CreateRun) {
      return "creating " + run;
    } else if (op instanceof LogParams) {
      return "params of " + run;
    } else if (op instanceof SetTags) {
      return "tags of " + run;
    } else if (op instanceof Metric) {
      return "metrics of " + run;
    } else if (op instanceof Artifact a) {
      return "artifact " + a.relativePath() + " of " + run;
    } else if (op instanceof LogInputs) {
      return "dataset input of " + run;
    }
    return "ending " + run;
  }


  private static String kind(Op op) {
    if (op instanceof CreateRun) {
      return "run creations";
    } else if (op instanceof LogParams) {
      return "param batches";
    } else if (op instanceof SetTags) {
      return "tag batches";
    } else if (op instanceof Metric) {
      return "metrics";
    } else if (op instanceof Artifact) {
      return "artifacts";
    } else if (op instanceof LogInputs) {
      return "dataset inputs";
    }
    return "run ends";
  }


  private void sleepUnlessGivingUp(long millis) throws InterruptedException {
    long end = System.currentTimeMillis() + millis;
    while (!givingUp && System.currentTimeMillis() < end) {
      Thread.sleep(Math.min(50, Math.max(1, end - System.currentTimeMillis())));
    }
  }

  private synchronized void noteOutage(Exception e) {
    if (!outage && !givingUp) {
      outage = true;
      LOG.warn("MLflow at {} is not reachable ({}); queuing and retrying, training goes on",
          connection.config.uri(), e.toString());
    }
  }

  private synchronized void recordSuccess(int items) {
    delivered += items;
    if (outage) {
      outage = false;
      LOG.info("MLflow at {} is reachable again; sending the backlog ({} metrics queued)",
          connection.config.uri(), queuedMetrics.get());
    }
  }

  private void countAll(List<Op> batch, String reason) {
    for (Op op : batch) {
      count(op, reason);
    }
  }

  private synchronized void count(Op op, String reason) {
    undelivered.merge(kind(op), 1L, Long::sum);
    if (firstError == null && reason != null) {
      firstError = reason;
    }
  }

  /**
   * Stops accepting work, waits up to {@code timeoutMillis} for the queue to drain, and returns a
   * one-line report of what did not reach the server ("" when everything did).
   */
  String close(long timeoutMillis) {
    closing = true;
    try {
      thread.join(Math.max(1, timeoutMillis));
      if (thread.isAlive()) {
        givingUp = true;
        // Interrupting is safe only while the sender sleeps between retries; a blocked HTTP call
        // returns by its own timeout. Wait for either, then count what is left ourselves.
        thread.join(Math.round(connection.config.requestTimeoutSeconds() * 1000) + 2000);
      }
      if (thread.isAlive()) {
        thread.interrupt();
        thread.join(1000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      givingUp = true;
    }
    List<Op> left = new ArrayList<>();
    synchronized (this) {
      if (thread.isAlive()) {
        // From here the sender thread counts nothing it held before (settle): each operation is
        // counted once, by whichever side holds it.
        abandoned = true;
        countAll(inFlight, "a request to " + connection.config.uri() + " did not return");
        releaseMetrics(inFlight);
        inFlight = List.of();
      }
      queue.drainTo(left);
    }
    countAll(left, "not sent before finish_timeout_seconds");
    left.forEach(op -> releaseMetrics(List.of(op)));
    connection.close();
    return report();
  }

  private synchronized String report() {
    if (undelivered.isEmpty()) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    undelivered.forEach((k, n) -> parts.add(n + " " + k));
    return "not delivered to " + connection.config.uri() + ": " + String.join(", ", parts)
        + (firstError == null ? "" : " (" + firstError + ")")
        + "; the run directory has everything";
  }
}
