package org.vqlab.core.data;

import ai.djl.ndarray.types.Shape;
import ai.djl.util.Progress;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Video clips stored as sub-directories of numbered frame images (PNG or JPEG; ordered by the last
 * number in the file name, so frame_2 precedes frame_10). Items are windows of {@code frames}
 * consecutive frames taken every {@code stride} frames, shaped (C, T, size, size). Frames are
 * decoded once at prepare; overlapping windows share them.
 */
public final class VideoFolderDataset extends ByteItemDataset {
  public static final String NAME = "video_folder";
  private static final Pattern NUMBER = Pattern.compile("(\\d+)(?!.*\\d)");

  private final Path root;
  private final Path testRoot;
  private final double testFraction;
  private final int frames;
  private final int stride;
  private final int size;
  private final ColorMode color;

  private VideoFolderDataset(Builder b) {
    super(b);
    this.root = b.root;
    this.testRoot = b.testRoot;
    this.testFraction = b.testFraction;
    this.frames = b.frames;
    this.stride = b.stride;
    this.size = b.size;
    this.color = b.color;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  protected ItemSource load(Progress progress) throws IOException {
    List<Path> clips;
    if (split() == Split.TEST && testRoot != null) {
      clips = clipDirs(testRoot);
    } else {
      List<Path> all = clipDirs(root);
      clips = testRoot != null ? all
          : FolderSplit.pick(all, FolderSplit.holdOut(all.size(), testFraction, shuffleSeed(), split()));
      if (clips.isEmpty()) {
        throw new DatasetError("the " + split().name().toLowerCase() + " split of " + root
            + " is empty: " + all.size() + " clips with dataset.test_fraction = " + testFraction
            + "; expected at least one clip in each split (or set dataset.test_root)");
      }
    }
    List<List<Path>> frameFiles = new ArrayList<>();
    int total = 0;
    for (Path clip : clips) {
      List<Path> f = frames(clip);
      frameFiles.add(f);
      total += f.size();
    }
    int frameBytes = color.channels() * size * size;
    List<byte[]> decoded = new ArrayList<>();
    List<long[]> windows = new ArrayList<>();
    if (progress != null) {
      progress.reset("Decoding " + total + " frames", total);
    }
    for (int c = 0; c < frameFiles.size(); c++) {
      List<Path> f = frameFiles.get(c);
      byte[] clip = new byte[f.size() * frameBytes];
      for (int t = 0; t < f.size(); t++) {
        System.arraycopy(ImageDecoder.decode(f.get(t), size, color), 0, clip, t * frameBytes, frameBytes);
        if (progress != null) {
          progress.increment(1);
        }
      }
      decoded.add(clip);
      for (int start = 0; start + frames <= f.size(); start += stride) {
        windows.add(new long[] {c, start});
      }
    }
    if (progress != null) {
      progress.end();
    }
    if (windows.isEmpty()) {
      throw new DatasetError("no clip under " + (split() == Split.TEST && testRoot != null ? testRoot : root)
          + " has " + frames + " frames (dataset.frames); the longest has "
          + frameFiles.stream().mapToInt(List::size).max().orElse(0));
    }
    return new Windows(decoded, windows, frameBytes);
  }

  /** Windows over decoded clips stored (T, C, H, W); items are written (C, T, H, W). */
  private final class Windows implements ItemSource {
    private final List<byte[]> clips;
    private final List<long[]> windows;
    private final int frameBytes;

    Windows(List<byte[]> clips, List<long[]> windows, int frameBytes) {
      this.clips = clips;
      this.windows = windows;
      this.frameBytes = frameBytes;
    }

    @Override
    public long size() {
      return windows.size();
    }

    @Override
    public Shape itemShape() {
      return new Shape(color.channels(), frames, size, size);
    }

    @Override
    public int numClasses() {
      return 0;
    }

    @Override
    public void copyItem(long index, byte[] dst, int offset) {
      long[] w = windows.get((int) index);
      byte[] clip = clips.get((int) w[0]);
      int plane = size * size;
      for (int ch = 0; ch < color.channels(); ch++) {
        for (int t = 0; t < frames; t++) {
          System.arraycopy(clip, (int) ((w[1] + t) * frameBytes + ch * plane), dst,
              offset + (ch * frames + t) * plane, plane);
        }
      }
    }

    @Override
    public int label(long index) {
      return -1;
    }
  }

  private static List<Path> clipDirs(Path dir) throws IOException {
    List<Path> clips = FolderSplit.sortedChildren(dir, true);
    if (clips.isEmpty()) {
      throw new DatasetError("empty folder " + dir + ": no clip sub-directories (expected one "
          + "sub-directory of numbered frame images per clip)");
    }
    return clips;
  }

  private static List<Path> frames(Path clip) throws IOException {
    List<Path> files = new ArrayList<>(FolderSplit.sortedChildren(clip, false));
    if (files.isEmpty()) {
      throw new DatasetError("empty folder " + clip + ": no PNG or JPEG frames (expected numbered "
          + "frame images such as 0001.png)");
    }
    for (Path f : files) {
      if (!NUMBER.matcher(f.getFileName().toString()).find()) {
        throw new DatasetError("frame " + f + " has no number in its name; expected numbered "
            + "frames such as 0001.png so their order is known");
      }
    }
    files.sort(Comparator.comparingLong(VideoFolderDataset::frameNumber));
    return files;
  }

  static long frameNumber(Path f) {
    Matcher m = NUMBER.matcher(f.getFileName().toString());
    m.find();
    return Long.parseLong(m.group(1));
  }

  public static final class Builder extends FolderBuilder<Builder> {
    private int frames = 16;
    private int stride = 8;

    private Builder() {
      super(NAME);
    }

    public Builder optFrames(int frames) {
      this.frames = frames;
      return this;
    }

    public Builder optStride(int stride) {
      this.stride = stride;
      return this;
    }

    @Override
    protected Builder self() {
      return this;
    }

    public VideoFolderDataset build() {
      requireRoot("video_folder");
      return new VideoFolderDataset(this);
    }
  }
}
