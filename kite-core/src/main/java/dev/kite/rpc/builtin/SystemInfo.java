package dev.kite.rpc.builtin;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The result of {@code kite.systemInfo}, in Go's field order and units: memory in bytes
 * (used memory excludes buffers and page cache), disk figures in KiB for {@code /},
 * {@code uname} the OS name in lower case.
 *
 * @param state always {@code RUNNING}
 * @param diskUsage used KiB on {@code /}
 * @param diskTotal total KiB on {@code /}
 * @param memoryUsage used memory in bytes
 * @param totalMemoryLimit total memory in bytes
 * @param homeDir the server user's home directory
 * @param uname the OS name, e.g. {@code linux}
 */
@JsonPropertyOrder({ "state", "diskUsage", "diskTotal", "memoryUsage", "totalMemoryLimit", "homeDir", "uname" })
record SystemInfo(@JsonProperty("state") String state, @JsonProperty("diskUsage") long diskUsage,
		@JsonProperty("diskTotal") long diskTotal, @JsonProperty("memoryUsage") long memoryUsage,
		@JsonProperty("totalMemoryLimit") long totalMemoryLimit, @JsonProperty("homeDir") String homeDir,
		@JsonProperty("uname") String uname) {

	private static final Path MEMINFO = Path.of("/proc/meminfo");

	static SystemInfo read() {
		File root = new File("/");
		long diskTotal = root.getTotalSpace() / 1024;
		long diskUsage = (root.getTotalSpace() - root.getFreeSpace()) / 1024;
		long[] memory = memory();
		return new SystemInfo("RUNNING", diskUsage, diskTotal, memory[0], memory[1],
				System.getProperty("user.home", ""), System.getProperty("os.name", "").toLowerCase(Locale.ROOT));
	}

	/**
	 * {used, total} in bytes: from /proc/meminfo on Linux, else from the JVM's OS bean.
	 */
	private static long[] memory() {
		if (Files.isReadable(MEMINFO)) {
			try {
				List<String> lines = Files.readAllLines(MEMINFO);
				long total = kib(lines, "MemTotal:");
				long free = kib(lines, "MemFree:");
				long buffers = kib(lines, "Buffers:");
				long cached = kib(lines, "Cached:");
				if (total > 0) {
					return new long[] { (total - free - buffers - cached) * 1024, total * 1024 };
				}
			}
			catch (IOException ex) {
				// fall through to the JVM's view
			}
		}
		if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
			long total = os.getTotalMemorySize();
			return new long[] { total - os.getFreeMemorySize(), total };
		}
		return new long[] { 0, 0 };
	}

	private static long kib(List<String> lines, String key) {
		for (String line : lines) {
			if (line.startsWith(key)) {
				String[] parts = line.substring(key.length()).trim().split("\\s+");
				try {
					return Long.parseLong(parts[0]);
				}
				catch (NumberFormatException ex) {
					return 0;
				}
			}
		}
		return 0;
	}

}
