/**
 * The plugin test kit: contract tests a plugin gets by extending one abstract JUnit 5 class, the
 * same ones every built-in plugin passes.
 *
 * <ul>
 *   <li>{@link org.vqlab.testkit.QuantizerContract}: {@code Quantizer create()}, a fresh
 *       uninitialised quantizer;
 *   <li>{@link org.vqlab.testkit.AutoencoderContract}: {@code Autoencoder create(Shape image)};
 *   <li>{@link org.vqlab.testkit.CodePriorContract}: {@code CodePrior create(PriorContext)}, and
 *       {@link org.vqlab.testkit.ClipPriorContract} for a {@code ClipPrior} (video);
 *   <li>{@link org.vqlab.testkit.MetricContract}: {@code Metric create()}, evaluated on a tiny
 *       run with known numbers ({@link org.vqlab.testkit.UniformPixelModel},
 *       {@link org.vqlab.testkit.UniformPrior}) or on the run its {@code context} builds
 *       ({@link org.vqlab.testkit.EvaluationRun}).
 * </ul>
 *
 * <p>Built-in plugins passing them (the pattern a new built-in follows: one small
 * {@code <Plugin>ContractTest} in the plugin module's test sources): quantizers {@code standard},
 * {@code ema} (vq-core); models {@code vqvae}, {@code vqvae2}, {@code vae} (vq-models); priors
 * {@code gated_pixelcnn}, {@code video_pixelcnn} (vq-priors); metrics {@code bits_per_dim},
 * {@code reconstruction}, {@code codebook_usage} (vq-eval) and {@code video_prediction}
 * (vq-experiments, which has model and prior plugins at hand). A new quantizer (fsq, lfq,
 * residual, ...) adds {@code class FsqContractTest extends QuantizerContract} next to its
 * other tests and overrides a hook where it legitimately differs.
 *
 * <p>Depend on it with scope test:
 *
 * <pre>{@code
 * <dependency>
 *   <groupId>org.vqlab</groupId><artifactId>vq-core</artifactId><version>${vqlab.version}</version>
 *   <type>test-jar</type><scope>test</scope>
 * </dependency>
 * <dependency>
 *   <groupId>org.junit.jupiter</groupId><artifactId>junit-jupiter</artifactId><scope>test</scope>
 * </dependency>
 * }</pre>
 *
 * then add one class per plugin, e.g. {@code class FsqContractTest extends QuantizerContract},
 * returning the plugin built as its factory builds it ({@link org.vqlab.testkit.PluginConfigs}
 * reads the option file the plugin ships, with overrides). A test that does not apply is turned
 * off by overriding it without {@code @Test}, with a comment saying why; a hook method (e.g.
 * {@code straightThroughIsIdentity()}) says what differs legitimately.
 *
 * <p>Inside this repository the test-jar is built by the reactor: {@code scripts/test} ({@code mvn
 * verify}) runs everything; for a targeted run use
 * {@code mvn -o -q -B -pl <module> -am verify -Dtest='*ContractTest' -Dsurefire.failIfNoSpecifiedTests=false}
 * (the {@code test} phase also works in this reactor: modules see vq-core's test classes).
 */
package org.vqlab.testkit;
