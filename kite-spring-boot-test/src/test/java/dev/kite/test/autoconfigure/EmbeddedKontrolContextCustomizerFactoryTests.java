package dev.kite.test.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.support.TestPropertySourceUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The properties {@code @AutoConfigureEmbeddedKontrol} sets, their precedence, and the
 * temporary key directory's lifetime.
 */
class EmbeddedKontrolContextCustomizerFactoryTests {

	private final EmbeddedKontrolContextCustomizerFactory factory = new EmbeddedKontrolContextCustomizerFactory();

	@Test
	void onlyAnnotatedTestClassesAreCustomized() {
		assertThat(this.factory.createContextCustomizer(Plain.class, List.of())).isNull();
		ContextCustomizer customizer = this.factory.createContextCustomizer(Annotated.class, List.of());
		assertThat(customizer).isNotNull()
			.isEqualTo(this.factory.createContextCustomizer(Annotated.class, List.of()))
			.hasSameHashCodeAs(this.factory.createContextCustomizer(Annotated.class, List.of()));
	}

	@Test
	void enablesKontrolWithATemporaryKeyDirDeletedOnClose() throws Exception {
		GenericApplicationContext context = new GenericApplicationContext();
		context.getEnvironment()
			.getPropertySources()
			.addLast(new MapPropertySource("application.yml",
					Map.of("kite.kontrol.server.enabled", "false", "kite.kontrol.server.key-dir", "/home/me/.kite")));
		customizer().customizeContext(context, null);
		assertThat(context.getEnvironment().getProperty("kite.kontrol.server.enabled")).isEqualTo("true");
		Path keyDir = Path.of(context.getEnvironment().getRequiredProperty("kite.kontrol.server.key-dir"));
		assertThat(keyDir.getFileName().toString()).startsWith("kite-test-kontrol-");
		Files.writeString(keyDir.resolve("kontrol.pub"), "key");
		context.refresh();
		assertThat(keyDir).isDirectory();
		context.close();
		assertThat(keyDir).doesNotExist();
	}

	@Test
	void theTestsOwnPropertiesWin() {
		GenericApplicationContext context = new GenericApplicationContext();
		context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource(TestPropertySourceUtils.INLINED_PROPERTIES_PROPERTY_SOURCE_NAME,
					Map.of("kite.kontrol.server.key-dir", "/fixed")));
		customizer().customizeContext(context, null);
		assertThat(context.getEnvironment().getProperty("kite.kontrol.server.key-dir")).isEqualTo("/fixed");
		assertThat(context.getEnvironment().getProperty("kite.kontrol.server.enabled")).isEqualTo("true");
		context.refresh();
		context.close();
	}

	private ContextCustomizer customizer() {
		ContextCustomizer customizer = this.factory.createContextCustomizer(Annotated.class, List.of());
		assertThat(customizer).isNotNull();
		return customizer;
	}

	static class Plain {

	}

	@AutoConfigureEmbeddedKontrol
	static class Annotated {

	}

}
