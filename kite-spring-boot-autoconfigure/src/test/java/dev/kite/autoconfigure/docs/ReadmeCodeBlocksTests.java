package dev.kite.autoconfigure.docs;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import javax.xml.parsers.DocumentBuilderFactory;

import dev.kite.autoconfigure.KiteProperties;
import dev.kite.autoconfigure.kontrol.KontrolServerProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.yaml.snakeyaml.Yaml;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every code block of the README is checked, or marked illustrative with a reason:
 * <ul>
 * <li>{@code java}: compiled with {@code javax.tools} against this module's test class
 * path, with the imports of the README's block marked {@code <!-- java-imports: -->}. A
 * block that declares a type is a compilation unit; otherwise its statements are the body
 * of a method whose parameters the {@code <!-- java-given: Type name, ... -->} directive
 * declares;</li>
 * <li>{@code yaml}: parsed; every {@code kite.*} key must be a property of the metadata,
 * and the {@code kite} tree must bind to {@link KiteProperties} and
 * {@link KontrolServerProperties};</li>
 * <li>{@code sh}: {@code ./mvnw} exists, {@code -pl} names modules of the root POM, jars
 * are modules' {@code finalName}s, {@code --kite.*} arguments are properties;</li>
 * <li>{@code xml}: dependencies on {@code dev.kite} name modules of this version;</li>
 * <li>any block with {@code <!-- checked-by: path -->}: the named test exists and reads
 * the README;</li>
 * <li>{@code <!-- illustrative: reason -->}: not checked, and the reason is
 * required.</li>
 * </ul>
 */
class ReadmeCodeBlocksTests {

	private static final Pattern TYPE_DECLARATION = Pattern.compile(
			"(?m)^(?:@\\S.*\\n)*(?:(?:public|abstract|final|sealed)\\s+)*(?:class|interface|record|enum|@interface)\\s+\\w+");

	private static final Pattern IMPORT = Pattern.compile("(?m)^import\\s+[\\w.]+(?:\\.\\*)?;\\s*$");

	private final Readme readme = Readme.load();

	private final PropertyMetadata metadata = PropertyMetadata.load();

	@Test
	void everyBlockIsFencedWithALanguage() {
		assertThat(this.readme.indentedCodeLines()).as("indented code blocks (fence them so that they are checked)")
			.isEmpty();
		assertThat(this.readme.codeBlocks()).filteredOn((block) -> block.language().isEmpty())
			.extracting(Readme.CodeBlock::where)
			.as("code blocks without a language")
			.isEmpty();
	}

	@Test
	void everyBlockIsCheckedOrIllustrative() {
		Set<String> checked = Set.of("java", "yaml", "sh", "xml");
		List<String> unchecked = new ArrayList<>();
		for (Readme.CodeBlock block : this.readme.codeBlocks()) {
			if ("illustrative".equals(block.directive())) {
				if (block.argument().length() < 10) {
					unchecked.add(block.where() + ": say why it is illustrative");
				}
			}
			else if (!"checked-by".equals(block.directive()) && !checked.contains(block.language())) {
				unchecked.add(block.where() + ": no check for this language; add <!-- checked-by: test --> or "
						+ "<!-- illustrative: reason -->");
			}
		}
		assertThat(unchecked).isEmpty();
	}

	@Test
	void checkedByNamesAnExistingTestOfTheReadme() throws IOException {
		for (Readme.CodeBlock block : blocks("checked-by")) {
			Path test = this.readme.root().resolve(block.argument());
			assertThat(test).as(block.where()).isRegularFile();
			assertThat(Files.readString(test)).as(block.where() + ": " + test + " should read the README")
				.contains("README.md");
		}
	}

	@Test
	void javaBlocksCompile(@TempDir Path out) throws IOException {
		List<Readme.CodeBlock> imports = blocks("java-imports");
		assertThat(imports).as("one java block marked <!-- java-imports: ... -->").hasSize(1);
		String importLines = String.join("\n", lines(IMPORT, imports.get(0).text()));
		List<JavaFileObject> sources = new ArrayList<>();
		Map<String, Readme.CodeBlock> blockOfSource = new LinkedHashMap<>();
		int n = 0;
		for (Readme.CodeBlock block : this.readme.codeBlocks()) {
			if (!block.language().equals("java") || "illustrative".equals(block.directive())
					|| "checked-by".equals(block.directive())) {
				continue;
			}
			String pkg = "readme.block" + (++n);
			String source = source(pkg, importLines, block);
			String uri = "string:///" + pkg.replace('.', '/') + "/Snippet.java";
			sources.add(new SimpleJavaFileObject(java.net.URI.create(uri), JavaFileObject.Kind.SOURCE) {
				@Override
				public CharSequence getCharContent(boolean ignoreEncodingErrors) {
					return source;
				}
			});
			blockOfSource.put(uri, block);
		}
		assertThat(sources).as("java blocks").isNotEmpty();
		JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
		DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
		StringWriter output = new StringWriter();
		try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT,
				StandardCharsets.UTF_8)) {
			List<String> options = List.of("--release", "17", "-proc:none", "-parameters", "-d", out.toString(),
					"-classpath", classPath());
			boolean compiled = compiler.getTask(output, files, diagnostics, options, null, sources).call();
			List<String> errors = new ArrayList<>();
			for (Diagnostic<? extends JavaFileObject> diagnostic : diagnostics.getDiagnostics()) {
				if (diagnostic.getKind() != Diagnostic.Kind.ERROR) {
					continue;
				}
				Readme.CodeBlock block = (diagnostic.getSource() != null)
						? blockOfSource.get(diagnostic.getSource().toUri().toString()) : null;
				String line = "";
				if (diagnostic.getSource() != null && diagnostic.getLineNumber() > 0) {
					line = diagnostic.getSource()
						.getCharContent(true)
						.toString()
						.lines()
						.skip(diagnostic.getLineNumber() - 1)
						.findFirst()
						.orElse("")
						.trim();
				}
				errors.add(((block != null) ? block.where() : "?") + ": " + diagnostic.getMessage(Locale.ROOT)
						+ "\n    in: " + line);
			}
			assertThat(errors).as("README java blocks that do not compile\n" + output).isEmpty();
			assertThat(compiled).as(output.toString()).isTrue();
		}
	}

	@Test
	void yamlBlocksUseExistingPropertiesAndBind() {
		List<Readme.CodeBlock> yamlBlocks = blocks((block) -> block.language().equals("yaml"));
		assertThat(yamlBlocks).isNotEmpty();
		List<String> unknown = new ArrayList<>();
		for (Readme.CodeBlock block : yamlBlocks) {
			Object document = new Yaml().load(block.text());
			Map<String, Object> flat = new LinkedHashMap<>();
			flatten("", document, flat);
			for (String key : flat.keySet()) {
				if (key.startsWith("kite.") && this.metadata.resolve(key) == null) {
					unknown.add(block.where() + ": " + key);
				}
			}
			// Binding catches values of the wrong type (a Duration that is not one, an
			// enum
			// constant that does not exist), as the application would at startup.
			Binder binder = new Binder(new MapConfigurationPropertySource(flat));
			try {
				binder.bindOrCreate("kite", KiteProperties.class);
				binder.bindOrCreate(KontrolServerProperties.PREFIX, KontrolServerProperties.class);
			}
			catch (RuntimeException ex) {
				unknown.add(block.where() + ": does not bind: " + ex.getMessage() + ": " + ex.getCause());
			}
		}
		assertThat(unknown)
			.as("README yaml blocks with kite.* keys that are not properties, or values that do not bind")
			.isEmpty();
	}

	@Test
	void shellBlocksNameExistingModulesJarsAndProperties() throws Exception {
		List<Readme.CodeBlock> shellBlocks = blocks((block) -> block.language().equals("sh"));
		assertThat(shellBlocks).isNotEmpty();
		Map<String, String> finalNames = new LinkedHashMap<>();
		for (String module : modules()) {
			Document pom = parse(Files.readString(this.readme.root().resolve(module).resolve("pom.xml")));
			NodeList names = pom.getElementsByTagName("finalName");
			if (names.getLength() > 0) {
				finalNames.put(module, names.item(0).getTextContent().trim());
			}
		}
		List<String> wrong = new ArrayList<>();
		Pattern pl = Pattern.compile("-pl\\s+(\\S+)");
		Pattern jar = Pattern.compile("(?:(\\S+)/target/)?([\\w.-]+)\\.jar\\b");
		Pattern property = Pattern.compile("--(kite\\.[\\w.<>\\[\\]-]+)=");
		for (Readme.CodeBlock block : shellBlocks) {
			String text = block.text();
			if (text.contains("./mvnw") && !Files.isRegularFile(this.readme.root().resolve("mvnw"))) {
				wrong.add(block.where() + ": no ./mvnw");
			}
			for (Matcher m = pl.matcher(text); m.find();) {
				for (String module : m.group(1).split(",")) {
					if (!modules().contains(module)) {
						wrong.add(block.where() + ": -pl " + module + " is not a module");
					}
				}
			}
			for (Matcher m = jar.matcher(text); m.find();) {
				String module = m.group(1);
				String name = m.group(2);
				boolean ok = (module != null) ? name.equals(finalNames.get(module)) : finalNames.containsValue(name);
				if (!ok) {
					wrong.add(block.where() + ": " + m.group() + " is no module's jar (finalName)");
				}
			}
			for (Matcher m = property.matcher(text); m.find();) {
				if (this.metadata.resolve(m.group(1)) == null) {
					wrong.add(block.where() + ": --" + m.group(1) + " is not a property");
				}
			}
		}
		assertThat(wrong).isEmpty();
	}

	@Test
	void xmlBlocksDependOnModulesOfThisVersion() throws Exception {
		Document root = parse(Files.readString(this.readme.root().resolve("pom.xml")));
		String version = child(root.getDocumentElement(), "version");
		Set<String> artifacts = new TreeSet<>();
		for (String module : modules()) {
			Document pom = parse(Files.readString(this.readme.root().resolve(module).resolve("pom.xml")));
			artifacts.add(child(pom.getDocumentElement(), "artifactId"));
		}
		List<Readme.CodeBlock> xmlBlocks = blocks((block) -> block.language().equals("xml"));
		assertThat(xmlBlocks).isNotEmpty();
		for (Readme.CodeBlock block : xmlBlocks) {
			Element dependency = parse(block.text()).getDocumentElement();
			assertThat(dependency.getTagName()).as(block.where()).isEqualTo("dependency");
			if ("dev.kite".equals(child(dependency, "groupId"))) {
				assertThat(artifacts).as(block.where()).contains(child(dependency, "artifactId"));
				assertThat(child(dependency, "version")).as(block.where()).isEqualTo(version);
			}
		}
	}

	private String source(String pkg, String imports, Readme.CodeBlock block) {
		String text = block.text();
		List<String> ownImports = lines(IMPORT, text);
		String body = IMPORT.matcher(text).replaceAll("");
		StringBuilder source = new StringBuilder("package " + pkg + ";\n").append(imports).append('\n');
		ownImports.forEach((line) -> source.append(line).append('\n'));
		if ("java-imports".equals(block.directive())) {
			source.append("class Snippet { }\n");
		}
		else if (TYPE_DECLARATION.matcher(body).find()) {
			source.append(body);
		}
		else {
			String given = "java-given".equals(block.directive()) ? block.argument() : "";
			source.append("class Snippet {\nvoid snippet(")
				.append(given)
				.append(") throws Exception {\n")
				.append(body)
				.append("\n}\n}\n");
		}
		return source.toString();
	}

	private List<Readme.CodeBlock> blocks(String directive) {
		return blocks((block) -> directive.equals(block.directive()));
	}

	private List<Readme.CodeBlock> blocks(java.util.function.Predicate<Readme.CodeBlock> filter) {
		return this.readme.codeBlocks()
			.stream()
			.filter((block) -> !"illustrative".equals(block.directive()))
			.filter(filter)
			.toList();
	}

	private List<String> modules() throws Exception {
		Document pom = parse(Files.readString(this.readme.root().resolve("pom.xml")));
		NodeList nodes = pom.getElementsByTagName("module");
		List<String> modules = new ArrayList<>();
		for (int i = 0; i < nodes.getLength(); i++) {
			modules.add(nodes.item(i).getTextContent().trim());
		}
		return modules;
	}

	private static String child(Element element, String name) {
		NodeList children = element.getChildNodes();
		for (int i = 0; i < children.getLength(); i++) {
			if (children.item(i) instanceof Element child && child.getTagName().equals(name)) {
				return child.getTextContent().trim();
			}
		}
		return null;
	}

	private static Document parse(String xml) throws Exception {
		return DocumentBuilderFactory.newInstance()
			.newDocumentBuilder()
			.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
	}

	private static List<String> lines(Pattern pattern, String text) {
		List<String> found = new ArrayList<>();
		Matcher matcher = pattern.matcher(text);
		while (matcher.find()) {
			found.add(matcher.group().trim());
		}
		return found;
	}

	@SuppressWarnings("unchecked")
	private static void flatten(String prefix, Object value, Map<String, Object> flat) {
		if (value instanceof Map<?, ?> map) {
			map.forEach(
					(key, child) -> flatten(prefix.isEmpty() ? String.valueOf(key) : prefix + "." + key, child, flat));
		}
		else if (value instanceof List<?> list) {
			for (int i = 0; i < list.size(); i++) {
				flatten(prefix + "[" + i + "]", list.get(i), flat);
			}
		}
		else {
			flat.put(prefix, (value != null) ? value.toString() : "");
		}
	}

	/**
	 * The test class path as surefire knows it (java.class.path may be a manifest jar).
	 */
	private static String classPath() {
		String surefire = System.getProperty("surefire.test.class.path");
		return (surefire != null && !surefire.isBlank()) ? surefire : System.getProperty("java.class.path");
	}

}
