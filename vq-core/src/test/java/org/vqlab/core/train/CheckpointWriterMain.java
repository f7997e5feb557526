package org.vqlab.core.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes checkpoints of a ~16 MB block in a loop (every even step also as best.ckpt), printing
 * {@code saved <step> best|step} after each completed save, until killed or, with a third
 * argument, after that many saves. {@link CheckpointKillTest} kills it with SIGKILL.
 */
public final class CheckpointWriterMain {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    long firstStep = Long.parseLong(args[1]);
    long saves = args.length > 2 ? Long.parseLong(args[2]) : Long.MAX_VALUE;
    try (NDManager m = NDManager.newBaseManager()) {
      Block block = Linear.builder().setUnits(2048).build();
      block.initialize(m, DataType.FLOAT32, new Shape(1, 2048));
      TrainerConfig c = new TrainerConfig("cpu", 1, 0, 1, 1e-3, List.of(0.9, 0.999), 0, 0,
          TrainerConfig.Schedule.CONSTANT, 0, 0, 1, 1, 0, 1, 3);
      List<ai.djl.nn.Parameter> params = new java.util.ArrayList<>();
      block.getParameters().forEach(p -> params.add(p.getValue()));
      AdamOptimizer adam = new AdamOptimizer(params, c, m);
      Checkpoints checkpoints = new Checkpoints(dir, 3);
      for (long step = firstStep; step - firstStep < saves; step++) {
        boolean best = step % 2 == 0;
        checkpoints.save(step, "{\"step\":" + step + "}", block, adam, best);
        System.out.println("saved " + step + (best ? " best" : " step"));
        System.out.flush();
      }
    }
  }
}
