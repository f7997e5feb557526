package org.vqlab.core.quantizer;

import org.vqlab.core.plugin.VqPluginModule;

/** The built-in quantizers, registered like any third-party plugin. */
public final class QuantizerPlugin extends VqPluginModule {
  @Override
  protected void configure() {
    quantizer("standard", StandardQuantizerFactory.class);
    quantizer("ema", EmaQuantizerFactory.class);
    quantizer("fsq", FsqQuantizerFactory.class);
    quantizer("lfq", LfqQuantizerFactory.class);
    quantizer("residual", ResidualQuantizerFactory.class);
  }
}
