package dev.kite.sample.kv;

/**
 * What {@code kv.get} answers: {@code {"value":…,"version":…}}.
 *
 * @param value the current value
 * @param version its version; the next put must name it
 */
public record KvValue(String value, long version) {

}
