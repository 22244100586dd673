package dev.kite.sample.kv;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the key-value kite ({@code sample.kv.*}).
 *
 * @param authenticatedWrites whether {@code kv.put} requires a kite key or token
 * ({@code true} by default; reads and watches never do). {@code false} lets anyone who
 * can connect write, e.g. a browser page without a token.
 * @param watchQueueCapacity how many accepted puts may wait for one watcher before it is
 * dropped as too slow
 */
@ConfigurationProperties("sample.kv")
public record KvProperties(@DefaultValue("true") boolean authenticatedWrites,
		@DefaultValue("256") int watchQueueCapacity) {

}
