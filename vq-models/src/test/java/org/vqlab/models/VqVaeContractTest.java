package org.vqlab.models;

import ai.djl.ndarray.types.Shape;
import org.vqlab.core.model.Autoencoder;
import org.vqlab.testkit.AutoencoderContract;

/** {@code model=vqvae quantizer=standard}, shipped defaults (discretized logistic), small. */
class VqVaeContractTest extends AutoencoderContract {
  @Override
  protected Autoencoder create(Shape imageShape) {
    return ModelContracts.build("vqvae", ModelContracts.SMALL, "standard",
        "num_codes = 16, code_dim = 4", imageShape);
  }
}
