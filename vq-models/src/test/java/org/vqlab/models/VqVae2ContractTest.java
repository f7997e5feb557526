package org.vqlab.models;

import ai.djl.ndarray.types.Shape;
import org.vqlab.core.model.Autoencoder;
import org.vqlab.testkit.AutoencoderContract;

/** {@code model=vqvae2 quantizer=ema}: two levels (4 x 4 and 2 x 2 codes of a 16 x 16 image). */
class VqVae2ContractTest extends AutoencoderContract {
  @Override
  protected Autoencoder create(Shape imageShape) {
    return ModelContracts.build("vqvae2", ModelContracts.SMALL, "ema",
        "num_codes = 16, code_dim = 4, kmeans_iterations = 3", imageShape);
  }
}
