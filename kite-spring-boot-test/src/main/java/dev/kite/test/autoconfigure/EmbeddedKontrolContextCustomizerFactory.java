package dev.kite.test.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;
import org.springframework.test.context.support.TestPropertySourceUtils;
import org.springframework.util.FileSystemUtils;

/**
 * Turns on the embedded Kontrol for test classes annotated with
 * {@link AutoConfigureEmbeddedKontrol @AutoConfigureEmbeddedKontrol}: sets
 * {@code kite.kontrol.server.enabled=true} and a fresh temporary
 * {@code kite.kontrol.server.key-dir} per application context, deleted when the context
 * closes. A temporary directory, so tests never read or write the developer's
 * {@code ~/.kite/kontrol} key pair; one per context, so cached contexts do not share a
 * Kontrol key pair by accident. Registered in {@code META-INF/spring.factories}.
 */
public class EmbeddedKontrolContextCustomizerFactory implements ContextCustomizerFactory {

	/** The name of the property source this customizer adds. */
	public static final String PROPERTY_SOURCE_NAME = "kiteEmbeddedKontrolTest";

	@Override
	public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		boolean annotated = TestContextAnnotationUtils.findMergedAnnotation(testClass,
				AutoConfigureEmbeddedKontrol.class) != null;
		return annotated ? new EmbeddedKontrolContextCustomizer() : null;
	}

	/**
	 * Adds the properties; all instances are equal, so test classes with the annotation
	 * may share a cached context.
	 */
	static final class EmbeddedKontrolContextCustomizer implements ContextCustomizer {

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
			Path keyDir;
			try {
				keyDir = Files.createTempDirectory("kite-test-kontrol-");
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot create a key directory for the embedded Kontrol", ex);
			}
			MapPropertySource properties = new MapPropertySource(PROPERTY_SOURCE_NAME,
					Map.of("kite.kontrol.server.enabled", "true", "kite.kontrol.server.key-dir", keyDir.toString()));
			MutablePropertySources sources = context.getEnvironment().getPropertySources();
			// Below the test's own inlined properties (they win), above application.yml.
			String inlined = TestPropertySourceUtils.INLINED_PROPERTIES_PROPERTY_SOURCE_NAME;
			if (sources.contains(inlined)) {
				sources.addAfter(inlined, properties);
			}
			else {
				sources.addFirst(properties);
			}
			context.addApplicationListener(new DeleteOnClose(context, keyDir));
		}

		@Override
		public boolean equals(@Nullable Object other) {
			return other != null && other.getClass() == getClass();
		}

		@Override
		public int hashCode() {
			return getClass().hashCode();
		}

	}

	/** Deletes the key directory when its context closes (not a child's). */
	private record DeleteOnClose(ConfigurableApplicationContext context,
			Path keyDir) implements ApplicationListener<ContextClosedEvent> {

		@Override
		public void onApplicationEvent(ContextClosedEvent event) {
			if (event.getApplicationContext() != this.context) {
				return;
			}
			try {
				FileSystemUtils.deleteRecursively(this.keyDir);
			}
			catch (IOException ex) {
				// A leftover temporary directory does not fail a test run.
			}
		}

	}

}
