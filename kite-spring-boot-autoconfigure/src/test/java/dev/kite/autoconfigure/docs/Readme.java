package dev.kite.autoconfigure.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The project's {@code README.md}, read from the repository root (the tests run in the
 * module directory, so it is found by walking up to the directory that has both
 * {@code README.md} and {@code mvnw}). Immutable once read; the tests read it on their
 * own thread.
 *
 * <p>
 * Conventions the README follows so that it can be checked (its section "Keeping this
 * README honest" states them for writers):
 * <ul>
 * <li>every code block is fenced with a language; an HTML comment on the line just before
 * the fence may carry a directive: {@code <!-- illustrative: reason -->},
 * {@code <!-- java-given: Type name, ... -->} or {@code <!-- checked-by: path -->};</li>
 * <li>the configuration reference is the one table whose header is
 * {@code | property | default | meaning |}.</li>
 * </ul>
 */
final class Readme {

	private static final Pattern FENCE = Pattern.compile("^```\\s*([A-Za-z0-9_-]*)\\s*$");

	private static final Pattern DIRECTIVE = Pattern.compile("^<!--\\s*([a-z-]+)\\s*:(.*?)-->\\s*$");

	static final String TABLE_HEADER = "| property | default | meaning |";

	private final Path root;

	private final List<String> lines;

	private Readme(Path root, List<String> lines) {
		this.root = root;
		this.lines = lines;
	}

	static Readme load() {
		Path dir = Path.of("").toAbsolutePath();
		while (dir != null) {
			if (Files.isRegularFile(dir.resolve("README.md")) && Files.isRegularFile(dir.resolve("mvnw"))) {
				try {
					return new Readme(dir, Files.readAllLines(dir.resolve("README.md"), StandardCharsets.UTF_8));
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			}
			dir = dir.getParent();
		}
		throw new IllegalStateException("No README.md beside mvnw above " + Path.of("").toAbsolutePath());
	}

	/** The repository root (where README.md and mvnw are). */
	Path root() {
		return this.root;
	}

	List<String> lines() {
		return this.lines;
	}

	/** Every fenced code block, in order. */
	List<CodeBlock> codeBlocks() {
		List<CodeBlock> blocks = new ArrayList<>();
		for (int i = 0; i < this.lines.size(); i++) {
			Matcher fence = FENCE.matcher(this.lines.get(i));
			if (!fence.matches()) {
				continue;
			}
			int start = i;
			StringBuilder text = new StringBuilder();
			i++;
			while (i < this.lines.size() && !this.lines.get(i).startsWith("```")) {
				text.append(this.lines.get(i)).append('\n');
				i++;
			}
			if (i == this.lines.size()) {
				throw new IllegalStateException("README.md:" + (start + 1) + ": code block never closed");
			}
			String directive = null;
			String argument = null;
			if (start > 0) {
				Matcher matcher = DIRECTIVE.matcher(this.lines.get(start - 1).trim());
				if (matcher.matches()) {
					directive = matcher.group(1);
					argument = matcher.group(2).trim();
				}
			}
			blocks.add(new CodeBlock(start + 1, fence.group(1), text.toString(), directive, argument));
		}
		return blocks;
	}

	/**
	 * Lines outside fences that Markdown would render as indented code blocks (four
	 * spaces after a blank line): those would escape the checks.
	 */
	List<Integer> indentedCodeLines() {
		List<Integer> found = new ArrayList<>();
		boolean inFence = false;
		for (int i = 0; i < this.lines.size(); i++) {
			String line = this.lines.get(i);
			if (line.startsWith("```")) {
				inFence = !inFence;
				continue;
			}
			if (!inFence && i > 0 && this.lines.get(i - 1).isBlank() && line.startsWith("    ") && !line.isBlank()) {
				found.add(i + 1);
			}
		}
		return found;
	}

	/** The rows of the configuration reference table. */
	List<TableRow> configurationRows() {
		List<TableRow> rows = new ArrayList<>();
		int tables = 0;
		for (int i = 0; i < this.lines.size(); i++) {
			if (!this.lines.get(i).trim().equals(TABLE_HEADER)) {
				continue;
			}
			tables++;
			for (i += 2; i < this.lines.size() && this.lines.get(i).startsWith("|"); i++) {
				rows.add(TableRow.parse(i + 1, this.lines.get(i)));
			}
		}
		if (tables != 1) {
			throw new IllegalStateException(
					"README.md should have exactly one table with header " + TABLE_HEADER + ", found " + tables);
		}
		return rows;
	}

	/**
	 * A fenced code block.
	 *
	 * @param line the line of its opening fence (1-based)
	 * @param language the fence's language, empty when none
	 * @param text its content
	 * @param directive the directive of the HTML comment just before it, if any
	 * @param argument the directive's argument
	 */
	record CodeBlock(int line, String language, String text, String directive, String argument) {

		String where() {
			return "README.md:" + this.line + " (```" + this.language + ")";
		}

	}

	/**
	 * A row of the configuration reference. The first cell names properties in backticks:
	 * the first in full, the others relative to the first one's parent
	 * ({@code `kite.server.send-time-limit`, `send-buffer-size-limit`}); a map's key is
	 * written {@code <name>} ({@code kite.clients.<name>.url}).
	 *
	 * @param line the README line (1-based)
	 * @param properties the full property names of the first cell
	 * @param defaults the backticked values of the default cell, in order
	 */
	record TableRow(int line, List<String> properties, List<String> defaults) {

		private static final Pattern CODE = Pattern.compile("`([^`]*)`");

		static TableRow parse(int line, String text) {
			String[] cells = text.split("(?<!\\\\)\\|", -1);
			if (cells.length < 4) {
				throw new IllegalStateException("README.md:" + line + ": a row needs three cells: " + text);
			}
			List<String> names = codes(cells[1]);
			if (names.isEmpty() || !names.get(0).startsWith("kite.")) {
				throw new IllegalStateException(
						"README.md:" + line + ": the first cell must start with a full `kite.` property: " + text);
			}
			String first = names.get(0);
			String parent = first.substring(0, first.lastIndexOf('.') + 1);
			List<String> properties = new ArrayList<>();
			properties.add(first);
			for (String sibling : names.subList(1, names.size())) {
				properties.add(sibling.startsWith("kite.") ? sibling : parent + sibling);
			}
			return new TableRow(line, List.copyOf(properties), codes(cells[2]));
		}

		private static List<String> codes(String cell) {
			List<String> codes = new ArrayList<>();
			Matcher matcher = CODE.matcher(cell);
			while (matcher.find()) {
				codes.add(matcher.group(1).trim());
			}
			return codes;
		}

	}

}
