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

  /**
   * {@code trainer.devices}: the devices of a data-parallel run, in order ({@code gpu:all} is every
   * GPU the engine sees). Empty or one entry: no data parallelism. A device may repeat ({@code [cpu,
   * cpu]}: two replicas on the CPU, one after the other).
   */
  public static java.util.List<Device> resolveAll(java.util.List<String> specs, Engine engine) {
    java.util.List<Device> out = new java.util.ArrayList<>();
    for (String s : specs) {
      if (s.equals("gpu:all")) {
        if (engine.getGpuCount() == 0) {
          throw new ConfigError("trainer.devices has gpu:all but the PyTorch engine (libtorch "
              + engine.getVersion() + ") sees no GPU");
        }
        for (int i = 0; i < engine.getGpuCount(); i++) {
          out.add(Device.gpu(i));
        }
      } else {
        try {
          out.add(new DeviceSpec(s).resolve(engine));
        } catch (ConfigError e) {
          throw new ConfigError("trainer.devices " + specs + ": " + e.getMessage());
        }
      }
    }
    return out;
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
