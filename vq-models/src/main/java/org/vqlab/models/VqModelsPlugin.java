package org.vqlab.models;

import org.vqlab.core.plugin.VqPluginModule;

/** The built-in autoencoders: {@code vqvae}, {@code vqvae2} and the {@code vae} baseline. */
public final class VqModelsPlugin extends VqPluginModule {
  @Override
  protected void configure() {
    model("vqvae", VqVaeFactory.class);
    model("vqvae2", VqVae2Factory.class);
    model("vae", GaussianVaeFactory.class);
  }
}
