package dev.kite.sample.kv;

/**
 * One accepted put, as {@code kv.watch} sends it to every watcher:
 * {@code {"key":…,"value":…,"version":…}}.
 *
 * @param key the key
 * @param value the value the put stored
 * @param version the version the put created (1 for a new key)
 */
public record KvEntry(String key, String value, long version) {

}
