package dev.kite.test;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's "Testing with kite-spring-boot-test" example compiles against this module
 * as a user's test would (the README's other Java blocks are compiled by the
 * autoconfigure module's {@code ReadmeCodeBlocksTests}, which cannot see this module).
 */
class ReadmeTestingExampleTests {

	private static final Pattern SECTION = Pattern.compile(
			"(?s)## Testing with kite-spring-boot-test\\n.*?<!-- checked-by: kite-spring-boot-test/src/test/java/dev/kite/test/ReadmeTestingExampleTests\\.java -->\\n```java\\n(.*?)\\n```");

	@Test
	void testSupportPropertiesNamedInTheReadmeExist() throws IOException {
		String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
		String metadata;
		try (var in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			assertThat(in).as("this module's generated configuration metadata").isNotNull();
			metadata = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		Matcher names = Pattern.compile("`(kite\\.test\\.[a-z.-]+)`").matcher(readme);
		int found = 0;
		while (names.find()) {
			found++;
			assertThat(metadata).as("README.md names %s", names.group(1)).contains("\"" + names.group(1) + "\"");
		}
		assertThat(found).as("the README documents the test support's properties").isPositive();
	}

	@Test
	void testingExampleCompiles(@TempDir Path dir) throws IOException {
		String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
		Matcher block = SECTION.matcher(readme);
		assertThat(block.find()).as("the README.md testing example marked checked-by this test").isTrue();
		Matcher type = Pattern.compile("(?m)^class (\\w+)").matcher(block.group(1));
		assertThat(type.find()).as("the example declares a class").isTrue();
		Path source = dir.resolve(type.group(1) + ".java");
		Files.writeString(source, block.group(1), StandardCharsets.UTF_8);

		JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
		StringWriter diagnostics = new StringWriter();
		try (StandardJavaFileManager files = compiler.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
			Iterable<? extends JavaFileObject> units = files.getJavaFileObjects(source.toFile());
			List<String> options = List.of("--release", "17", "-proc:none", "-d", dir.toString(), "-classpath",
					System.getProperty("java.class.path") + File.pathSeparator + dir);
			boolean compiled = compiler.getTask(diagnostics, files, null, options, null, units).call();
			assertThat(compiled).as("README.md testing example:%n%s", diagnostics).isTrue();
		}
	}

}
