package org.vqlab.core.data;

import java.nio.file.Path;
import org.vqlab.core.config.Section;

/** The factories of the built-in dataset plugins, registered by {@link DatasetPlugin}. */
public final class DatasetFactories {
  private DatasetFactories() {}

  abstract static class Idx implements DatasetFactory {
    private final IdxDataset.Catalog catalog;

    Idx(IdxDataset.Catalog catalog) {
      this.catalog = catalog;
    }

    @Override
    public Class<? extends Record> configType() {
      return IdxDatasetConfig.class;
    }

    @Override
    public VqDataset create(Section section, Split split) {
      IdxDatasetConfig c = section.bind(IdxDatasetConfig.class);
      return IdxDataset.builder(catalog).optSplit(split).optMirror(c.mirror())
          .optLocations(DataLocations.standard(catalog.name(), c.root(), c.downloadDir(),
              catalog.systemDirs()))
          .optNormalization(DatasetConfigs.normalization(c.normalization()))
          .optSubset(c.subset()).optShuffleSeed(c.shuffleSeed()).build();
    }
  }

  /** {@code fashion_mnist}. */
  public static final class FashionMnist extends Idx {
    public FashionMnist() {
      super(IdxDataset.FASHION_MNIST);
    }
  }

  /** {@code mnist}. */
  public static final class Mnist extends Idx {
    public Mnist() {
      super(IdxDataset.MNIST);
    }
  }

  abstract static class Moving implements DatasetFactory {
    private final IdxDataset.Catalog catalog;

    Moving(IdxDataset.Catalog catalog) {
      this.catalog = catalog;
    }

    @Override
    public Class<? extends Record> configType() {
      return MovingItemsConfig.class;
    }

    @Override
    public VqDataset create(Section section, Split split) {
      MovingItemsConfig c = section.bind(MovingItemsConfig.class);
      return MovingItemsDataset.builder(catalog).optSplit(split)
          .configureSource(s -> s.optMirror(c.mirror()).optLocations(DataLocations.standard(
              catalog.name(), c.root(), c.downloadDir(), catalog.systemDirs())))
          .optFrames(c.frames()).optFrameSize(c.frameSize()).optNumItems(c.numItems())
          .optNumClips(split == Split.TRAIN ? c.trainClips() : c.testClips())
          .optSpeed(c.minSpeed(), c.maxSpeed()).optSeed(c.seed())
          .optNormalization(DatasetConfigs.normalization(c.normalization()))
          .optSubset(c.subset()).optShuffleSeed(c.shuffleSeed()).build();
    }
  }

  /** {@code moving_fashion_mnist}. */
  public static final class MovingFashionMnist extends Moving {
    public MovingFashionMnist() {
      super(IdxDataset.FASHION_MNIST);
    }
  }

  /** {@code moving_mnist}. */
  public static final class MovingMnist extends Moving {
    public MovingMnist() {
      super(IdxDataset.MNIST);
    }
  }

  /** {@code cifar10}. */
  public static final class Cifar10 implements DatasetFactory {
    @Override
    public Class<? extends Record> configType() {
      return Cifar10Config.class;
    }

    @Override
    public VqDataset create(Section section, Split split) {
      Cifar10Config c = section.bind(Cifar10Config.class);
      return Cifar10Dataset.builder().optSplit(split).optMirror(c.mirror())
          .optLocations(DataLocations.standard(Cifar10Dataset.NAME, c.root(), c.downloadDir(),
              java.util.List.of()))
          .optNormalization(DatasetConfigs.normalization(c.normalization()))
          .optSubset(c.subset()).optShuffleSeed(c.shuffleSeed()).optFlip(c.flip()).build();
    }
  }

  /** {@code image_folder}. */
  public static final class ImageFolder implements DatasetFactory {
    @Override
    public Class<? extends Record> configType() {
      return ImageFolderConfig.class;
    }

    @Override
    public VqDataset create(Section section, Split split) {
      ImageFolderConfig c = section.bind(ImageFolderConfig.class);
      return ImageFolderDataset.builder().setRoot(Path.of(c.root()))
          .optTestRoot(c.testRoot() == null ? null : Path.of(c.testRoot()))
          .optTestFraction(c.testFraction()).optSize(c.size()).optColor(c.color()).optSplit(split)
          .optNormalization(DatasetConfigs.normalization(c.normalization()))
          .optSubset(c.subset()).optShuffleSeed(c.shuffleSeed()).optFlip(c.flip()).build();
    }
  }

  /** {@code video_folder}. */
  public static final class VideoFolder implements DatasetFactory {
    @Override
    public Class<? extends Record> configType() {
      return VideoFolderConfig.class;
    }

    @Override
    public VqDataset create(Section section, Split split) {
      VideoFolderConfig c = section.bind(VideoFolderConfig.class);
      return VideoFolderDataset.builder().setRoot(Path.of(c.root()))
          .optTestRoot(c.testRoot() == null ? null : Path.of(c.testRoot()))
          .optTestFraction(c.testFraction()).optFrames(c.frames()).optStride(c.stride())
          .optSize(c.size()).optColor(c.color()).optSplit(split)
          .optNormalization(DatasetConfigs.normalization(c.normalization()))
          .optSubset(c.subset()).optShuffleSeed(c.shuffleSeed()).optFlip(c.flip()).build();
    }
  }
}
