/**
 * The plugin SPI: what a plugin author must know.
 *
 * <p><b>A plugin</b> is one Guice module extending {@link org.vqlab.core.plugin.VqPluginModule},
 * listed in {@code META-INF/services/org.vqlab.core.plugin.VqPlugin}. Its {@code configure()}
 * registers named factories ({@code quantizer("fsq", FsqFactory.class)}, {@code prior(...)},
 * {@code model(...)}, {@code metric(...)}, ...). <b>Names are {@code [a-z0-9_]+}</b> (they are config
 * values and file names: {@code quantizer=fsq} picks {@code config/quantizer/fsq.conf}); any other
 * name fails at start-up. Each factory names the record its config section binds to
 * ({@link org.vqlab.core.plugin.PluginFactory#configType()}); unknown keys are errors. The plugin
 * ships its group option as the classpath resource {@code config/<group>/<name>.conf}.
 *
 * <p><b>What each kind implements</b>: a {@link org.vqlab.core.quantizer.Quantizer} (see
 * {@link org.vqlab.core.quantizer}), an {@link org.vqlab.core.model.Autoencoder}, a
 * {@link org.vqlab.core.prior.CodePrior} or {@link org.vqlab.core.prior.ClipPrior} (see
 * {@link org.vqlab.core.prior}), a {@link org.vqlab.core.metric.Metric}. Stages reach plugins
 * only through these interfaces, so whatever a stage needs is on them: a prior owns its
 * log-probability, a quantizer maps indices back to vectors.
 *
 * <p><b>Rules every block follows</b> (DJL 0.35.1, PyTorch engine):
 * <ul>
 *   <li><b>Scalar arithmetic under autograd goes through
 *       {@link org.vqlab.core.nn.ScalarOps}</b> ({@code ScalarOps.mul(x, 0.25)}, never
 *       {@code x.mul(0.25)}): DJL's {@code mul/div/pow/maximum/minimum(Number)} free a temporary
 *       that autograd still needs, and the gradient silently becomes garbage.
 *   <li><b>Ops on parameters land in the parameter's manager</b> (the model's, alive for the whole
 *       run): {@code parameters.getValue(p, device, training).reshape(...)} and anything computed
 *       from a parameter alone is owned by it. Attach such results to the step's manager
 *       ({@code result.attach(input.getManager())}) or every step leaks native memory; results
 *       computed from the step's inputs are already in the step's manager.
 *   <li>Every array on its inputs' device; no host round trip ({@code toFloatArray},
 *       {@code getFloat}) inside a training step; no CPU-only path.
 * </ul>
 *
 * <p><b>Proving a plugin</b>: extend the contract class of its kind from the plugin test kit
 * (package {@code org.vqlab.testkit} in vq-core's test-jar): {@code QuantizerContract},
 * {@code AutoencoderContract}, {@code CodePriorContract} / {@code ClipPriorContract},
 * {@code MetricContract}. Every built-in plugin passes them.
 */
package org.vqlab.core.plugin;
