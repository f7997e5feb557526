package org.vqlab.models;

import ai.djl.ndarray.types.Shape;
import org.vqlab.core.model.Autoencoder;
import org.vqlab.testkit.AutoencoderContract;

/** {@code model=vae}: a continuous latent, so the kit's checks of codes do not apply. */
class GaussianVaeContractTest extends AutoencoderContract {
  @Override
  protected Autoencoder create(Shape imageShape) {
    return ModelContracts.build("vae", ModelContracts.SMALL + ", latent_dim = 4", "standard",
        "num_codes = 16, code_dim = 4", imageShape);
  }
}
