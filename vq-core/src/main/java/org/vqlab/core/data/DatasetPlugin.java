package org.vqlab.core.data;

import org.vqlab.core.plugin.VqPluginModule;

/** The built-in datasets, registered exactly as a third-party dataset plugin would be. */
public final class DatasetPlugin extends VqPluginModule {
  @Override
  protected void configure() {
    dataset("fashion_mnist", DatasetFactories.FashionMnist.class);
    dataset("mnist", DatasetFactories.Mnist.class);
    dataset("cifar10", DatasetFactories.Cifar10.class);
    dataset("image_folder", DatasetFactories.ImageFolder.class);
    dataset("moving_fashion_mnist", DatasetFactories.MovingFashionMnist.class);
    dataset("moving_mnist", DatasetFactories.MovingMnist.class);
    dataset("video_folder", DatasetFactories.VideoFolder.class);
  }
}
