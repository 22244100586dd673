package dev.kite.benchmarks.fuzz;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

/**
 * Watches the log while hostile input is served: counts warnings, and keeps (the first
 * few of) the events that mean something escaped the handler: any {@code ERROR}, and any
 * event with a stack trace. While installed it is the root logger's only appender, so a
 * run of a million malformed frames does not print a million "Dropping a frame" warnings;
 * {@link #close()} puts the previous appenders back.
 *
 * <p>
 * Events arrive on any thread; counters are atomic and the kept events are guarded by the
 * list's monitor.
 */
public final class LogWatch extends AppenderBase<ILoggingEvent> implements AutoCloseable {

	private static final int KEPT = 10;

	private final AtomicLong warnings = new AtomicLong();

	private final AtomicLong escapes = new AtomicLong();

	private final List<String> kept = new ArrayList<>();

	private final Map<String, String> warningSamples = new LinkedHashMap<>();

	private final Logger root;

	private final List<Appender<ILoggingEvent>> previous = new ArrayList<>();

	private final Level previousLevel;

	private LogWatch(Logger root) {
		this.root = root;
		this.previousLevel = root.getLevel();
	}

	/**
	 * Installs a watch on the root logger at {@code WARN}.
	 * @return the watch; close it to restore the log
	 */
	public static LogWatch install() {
		LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
		LogWatch watch = new LogWatch(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME));
		watch.setContext(context);
		watch.setName("kite-fuzz-log-watch");
		watch.start();
		for (Iterator<Appender<ILoggingEvent>> it = watch.root.iteratorForAppenders(); it.hasNext();) {
			watch.previous.add(it.next());
		}
		watch.previous.forEach(watch.root::detachAppender);
		watch.root.addAppender(watch);
		watch.root.setLevel(Level.WARN);
		return watch;
	}

	@Override
	protected void append(ILoggingEvent event) {
		boolean error = event.getLevel().isGreaterOrEqual(Level.ERROR);
		if (!error && event.getThrowableProxy() == null) {
			if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
				this.warnings.incrementAndGet();
				synchronized (this.warningSamples) {
					if (this.warningSamples.size() < KEPT) {
						// One sample per message pattern: "Dropping a frame …" once.
						this.warningSamples.putIfAbsent(event.getLoggerName() + event.getMessage(),
								event.getLoggerName() + " - " + event.getFormattedMessage());
					}
				}
			}
			return;
		}
		this.escapes.incrementAndGet();
		synchronized (this.kept) {
			if (this.kept.size() < KEPT) {
				String trace = (event.getThrowableProxy() != null)
						? System.lineSeparator() + ThrowableProxyUtil.asString(event.getThrowableProxy()) : "";
				this.kept.add(event.getLevel() + " [" + event.getThreadName() + "] " + event.getLoggerName() + " - "
						+ event.getFormattedMessage() + trace);
			}
		}
	}

	/** Warnings without a stack trace so far (e.g. "Dropping a frame"). */
	public long warnings() {
		return this.warnings.get();
	}

	/** One example of each kind of warning so far (at most ten kinds). */
	public List<String> warningSamples() {
		synchronized (this.warningSamples) {
			return List.copyOf(this.warningSamples.values());
		}
	}

	/** Errors, and events with a stack trace, so far. */
	public long escapes() {
		return this.escapes.get();
	}

	/** The first few of {@link #escapes()}, formatted with their stack traces. */
	public List<String> keptEscapes() {
		synchronized (this.kept) {
			return List.copyOf(this.kept);
		}
	}

	@Override
	public void close() {
		this.root.detachAppender(this);
		this.previous.forEach(this.root::addAppender);
		this.root.setLevel(this.previousLevel);
		stop();
	}

}
