package org.vqlab.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.vqlab.core.model.Autoencoder;
import org.vqlab.core.prior.AncestralSampling;
import org.vqlab.core.prior.ClipPrior;
import org.vqlab.core.prior.PriorCondition;

/**
 * Video generation in latent space (the VQ-VAE paper's video experiment): real clips are encoded
 * frame by frame by an image autoencoder with one code level, the first {@code given} frames'
 * codes are kept, the video prior samples the codes of the rest frame by frame, and every frame is
 * decoded. Shared by {@code vq sample} and the {@code video_prediction} metric so both draw the
 * same clips for the same seed.
 *
 * <p>The uniforms of a continuation are those of level 0 in {@code vq sample}'s rule: seed
 * {@code seed * 1000003}, drawn as (B T, h, w) and viewed as (B, T, h, w); the fast sampler
 * ({@link ClipPrior#sampleFuture}) and the plain one (one full forward pass per position of each
 * generated frame, its past as the condition) compute the same logits and so draw the same codes.
 */
public final class VideoContinuation {
  private VideoContinuation() {}

  /**
   * Clips as image frames: {@code real} (B, T, C, H, W) the input, {@code realCodes} (B, T, h, w)
   * its codes, {@code codes} (B, T, h, w) the first {@code given} of them followed by sampled ones,
   * {@code generated} (B, T, C, H, W) those decoded.
   */
  public record Result(NDArray real, NDArray realCodes, NDArray codes, NDArray generated, int given) {}

  /** (B, C, T, H, W) -> (B, T, C, H, W). */
  public static NDArray framesMajor(NDArray clips) {
    return clips.transpose(0, 2, 1, 3, 4);
  }

  /** Codes (B, T, h, w) of clips (B, C, T, H, W), every frame encoded as an image. */
  public static NDArray encode(Autoencoder model, ParameterStore parameters, NDArray clips) {
    Shape s = clips.getShape();
    long b = s.get(0);
    long t = s.get(2);
    NDArray flat = framesMajor(clips).reshape(b * t, s.get(1), s.get(3), s.get(4));
    List<NDArray> levels = model.encodeCodes(parameters, flat);
    if (levels.size() != 1) {
      throw new IllegalArgumentException("video generation in latent space needs a model with one"
          + " code level, this one has " + levels.size());
    }
    Shape g = levels.get(0).getShape();
    return levels.get(0).reshape(b, t, g.get(1), g.get(2));
  }

  /** Frames (B, T, C, H, W) decoded from codes (B, T, h, w). */
  public static NDArray decode(Autoencoder model, ParameterStore parameters, NDArray codes) {
    Shape s = codes.getShape();
    NDArray images = model.decodeCodes(parameters,
        new NDList(codes.reshape(s.get(0) * s.get(1), s.get(2), s.get(3))));
    Shape i = images.getShape();
    return images.reshape(s.get(0), s.get(1), i.get(1), i.get(2), i.get(3));
  }

  /**
   * Continues clips (B, C, T, H, W) after their first {@code given} frames; {@code labels} (B)
   * or null; {@code plain} picks the reference sampler. Arrays belong to {@code clips}' manager.
   */
  public static Result continueClips(Autoencoder model, ClipPrior prior, ParameterStore parameters,
      NDArray clips, NDArray labels, int given, long seed, double temperature, boolean plain) {
    NDArray realCodes = encode(model, parameters, clips);
    Shape s = realCodes.getShape();
    int frames = Math.toIntExact(s.get(1));
    if (given < 1 || given > frames) {
      throw new IllegalArgumentException("given frames must be in [1, " + frames + "], got " + given);
    }
    NDManager manager = clips.getManager();
    NDArray uniforms = AncestralSampling.uniforms(manager, clips.getDevice(), s.get(0) * s.get(1),
        Math.toIntExact(s.get(2)), Math.toIntExact(s.get(3)), (int) (seed * 1_000_003L))
        .reshape(s);
    NDArray codes = plain ? plain(prior, parameters, realCodes, given, uniforms, labels, temperature)
        : prior.sampleFuture(parameters, realCodes, given, uniforms, labels, temperature);
    return new Result(framesMajor(clips), realCodes, codes, decode(model, parameters, codes), given);
  }

  /** The reference sampler frame by frame: each frame a full pass per position given its past. */
  private static NDArray plain(ClipPrior prior, ParameterStore parameters, NDArray clip, int given,
      NDArray uniforms, NDArray labels, double temperature) {
    NDArray out = clip.duplicate();
    long frames = clip.getShape().get(1);
    for (long f = given; f < frames; f++) {
      NDArray past = out.get(new NDIndex(":, 0:{}", f));
      NDArray frame = AncestralSampling.reference(prior, parameters,
          uniforms.get(new NDIndex(":, {}", f)), new PriorCondition(labels, null, past), temperature);
      out.set(new NDIndex(":, {}", f), frame);
    }
    return out;
  }
}
