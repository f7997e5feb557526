/**
 * The plugin test kit: contract tests a plugin gets by extending one abstract JUnit 5 class, the
 * same ones every built-in plugin passes.
 *
 * <ul>
 *   <li>{@link org.vqlab.testkit.QuantizerContract}: return a fresh uninitialised
 *       {@code Quantizer} from {@code create()}.
 * </ul>
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
