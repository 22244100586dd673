package dev.kite.interop;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The sample app's page at {@code /} in a real headless Chromium: kite.js 1.0.13's
 * browser bundle, served from the app's jar, connects over SockJS, calls {@code square},
 * serves the {@code notify} calls the server makes on it ({@code demo.pushes}, through
 * {@code KitePeer}), and watches the key-value kite while another browser writes.
 *
 * <p>
 * Needs Debian's {@code chromium} and {@code chromium-driver} ({@code .ci/run} installs
 * them; {@code -Dkite.browser.chromium=PATH} and {@code -Dkite.browser.chromedriver=PATH}
 * name others). Without them the tests are skipped, except on CI (the {@code CI}
 * environment variable is set), where they fail.
 */
@ExtendWith(SampleAppExtension.class)
class BrowserPageTest {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static Path chromium;

	private static Path chromedriver;

	private final List<WebDriver> drivers = new ArrayList<>();

	@BeforeAll
	static void findChromium() {
		chromium = Path.of(System.getProperty("kite.browser.chromium", "/usr/bin/chromium"));
		chromedriver = Path.of(System.getProperty("kite.browser.chromedriver", "/usr/bin/chromedriver"));
		boolean present = Files.isExecutable(chromium) && Files.isExecutable(chromedriver);
		if (!present) {
			String message = "No Chromium at " + chromium + " with a driver at " + chromedriver
					+ " (apt-get install chromium chromium-driver)";
			if (System.getenv("CI") != null) {
				fail(message + ": the browser tests must run on CI");
			}
			Assumptions.abort(message + ": browser tests skipped");
		}
	}

	@AfterEach
	void quitBrowsers() {
		for (WebDriver driver : this.drivers) {
			driver.quit();
		}
	}

	@Test
	void callsSquareFromThePage(SampleApp app) {
		WebDriver page = openPage(app);

		assertThat(square(page, "7")).isEqualTo("49");
		assertThat(square(page, "-2.5")).isEqualTo("6.25");
	}

	@Test
	void theServersCallsOnThePageArriveInItsPanel(SampleApp app) {
		WebDriver page = openPage(app);

		WebElement count = page.findElement(By.id("pushes-count"));
		count.clear();
		count.sendKeys("3");
		page.findElement(By.id("pushes-button")).click();

		// Each push is sent once the page answered the previous one ([null, "shown"], a
		// kite.js client's positional answer): three pushes mean the server read two
		// answers.
		await(page, "three pushes in the panel").until(() -> pushes(page).size() == 3);
		assertThat(pushes(page)).containsExactly("push 1 of 3", "push 2 of 3", "push 3 of 3");
		assertThat(page.findElements(By.cssSelector("#pushes-log li.error"))).isEmpty();
	}

	@Test
	void anotherBrowsersPutArrivesThroughWatch(SampleApp app) {
		WebDriver writer = openPage(app);
		WebDriver watcher = openPage(app);
		awaitWatching(writer);
		awaitWatching(watcher);
		String key = "browser-" + UUID.randomUUID();

		put(writer, key, "hello", "0");
		await(watcher, "the writer's put in the watcher's table").until(() -> "1".equals(entry(watcher, key, 2)));
		assertThat(entry(watcher, key, 1)).isEqualTo("hello");
		// the put's answer and the watcher's event travel on different connections
		await(writer, "the put's answer").until(() -> (key + " is now version 1").equals(text(writer, "kv-result")));

		// the watcher writes the version it saw; the writer sees it through its watch
		put(watcher, key, "hello again", "1");
		await(writer, "the watcher's put in the writer's table").until(() -> "2".equals(entry(writer, key, 2)));
		assertThat(entry(writer, key, 1)).isEqualTo("hello again");

		// a stale version loses
		put(writer, key, "too late", "1");
		await(writer, "a version conflict").until(() -> text(writer, "kv-result").startsWith("versionConflict"));
		assertThat(text(writer, "kv-result")).endsWith("(current version 2)");
		await(watcher, "its own put through its watch").until(() -> "2".equals(entry(watcher, key, 2)));
		assertThat(entry(watcher, key, 1)).isEqualTo("hello again");
	}

	private WebDriver openPage(SampleApp app) {
		ChromeOptions options = new ChromeOptions();
		options.setBinary(chromium.toFile());
		// --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start
		options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
				"--no-first-run", "--window-size=1200,900");
		ChromeDriverService service = new ChromeDriverService.Builder()
			.usingDriverExecutable(new File(chromedriver.toString()))
			.usingAnyFreePort()
			.build();
		WebDriver driver = new ChromeDriver(service, options);
		this.drivers.add(driver);
		driver.get("http://127.0.0.1:" + app.port() + "/");
		await(driver, "the page's kite connected").until(() -> "connected".equals(text(driver, "status")));
		return driver;
	}

	private static String square(WebDriver page, String number) {
		WebElement input = page.findElement(By.id("square-input"));
		input.clear();
		input.sendKeys(number);
		String before = text(page, "square-result");
		page.findElement(By.id("square-button")).click();
		await(page, "the square of " + number).until(() -> {
			String result = text(page, "square-result");
			return !result.isEmpty() && !"…".equals(result) && !result.equals(before);
		});
		return text(page, "square-result");
	}

	private static void awaitWatching(WebDriver page) {
		await(page, "kv.watch").until(() -> !"starting".equals(text(page, "kv-status")));
		String status = text(page, "kv-status");
		// The key-value kite is another part of the sample: a build without it answers
		// methodNotFound. Any other failure fails the test.
		Assumptions.assumeFalse(status.startsWith("unavailable: methodNotFound"),
				"This build of the sample app has no key-value kite: " + status);
		assertThat(status).isEqualTo("watching");
	}

	private static void put(WebDriver page, String key, String value, String version) {
		setValue(page, "kv-key", key);
		setValue(page, "kv-value", value);
		setValue(page, "kv-version", version);
		page.findElement(By.id("kv-put")).click();
	}

	/** Sets an input's value at once (sendKeys would append to what the watch put). */
	private static void setValue(WebDriver page, String id, String value) {
		((JavascriptExecutor) page).executeScript("document.getElementById(arguments[0]).value = arguments[1]", id,
				value);
	}

	private static List<String> pushes(WebDriver page) {
		return page.findElements(By.cssSelector("#pushes-log li.push")).stream().map(WebElement::getText).toList();
	}

	/** A cell of the entries table's row for the key, or null when there is none. */
	private static String entry(WebDriver page, String key, int column) {
		for (WebElement row : page.findElements(By.cssSelector("#kv-entries tr"))) {
			if (key.equals(row.getAttribute("data-key"))) {
				return row.findElements(By.tagName("td")).get(column).getText();
			}
		}
		return null;
	}

	private static String text(WebDriver page, String id) {
		return page.findElement(By.id(id)).getText();
	}

	private static ConditionFactory await(WebDriver page, String what) {
		return Awaitility.await(what + " (page status: " + statusOf(page) + ")")
			.atMost(WAIT)
			.pollInterval(Duration.ofMillis(100));
	}

	private static String statusOf(WebDriver page) {
		try {
			return text(page, "status");
		}
		catch (RuntimeException ex) {
			return ex.toString();
		}
	}

}
