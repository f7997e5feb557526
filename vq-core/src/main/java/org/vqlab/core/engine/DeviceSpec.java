package org.vqlab.core.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.vqlab.core.config.ConfigError;

/** {@code auto | cpu | gpu | gpu:N}, as in {@code trainer.device}. */
public record DeviceSpec(String text) {

  public DeviceSpec {
    if (!text.matches("auto|cpu|gpu|gpu:\\d+")) {
      throw new ConfigError("invalid device '" + text + "'; expected auto, cpu, gpu or gpu:N");
    }
  }

  /** The device this spec names on the running engine; asking for a missing GPU is an error. */
  public Device resolve(Engine engine) {
    int gpus = engine.getGpuCount();
    switch (text) {
      case "auto":
        return gpus > 0 ? Device.gpu(0) : Device.cpu();
      case "cpu":
        return Device.cpu();
      default:
        int id = text.equals("gpu") ? 0 : Integer.parseInt(text.substring(4));
        if (id >= gpus) {
          throw new ConfigError("trainer.device=" + text + " but the PyTorch engine (libtorch "
              + engine.getVersion() + ") sees " + gpus + " GPU(s); use a CUDA libtorch"
              + " (engine.native_library=auto or PYTORCH_LIBRARY_PATH) or trainer.device=cpu");
        }
        return Device.gpu(id);
    }
  }
}
