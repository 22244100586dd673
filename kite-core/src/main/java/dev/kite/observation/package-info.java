/**
 * Micrometer {@code Observation} support for kite calls: the contexts of a served call
 * ({@code kite.server.requests}) and of a client call ({@code kite.client.requests}), and
 * the conventions that name them and choose their tags. Replace a convention by passing
 * your own (a bean of the convention type with the Spring Boot starter).
 */
@NullMarked
package dev.kite.observation;

import org.jspecify.annotations.NullMarked;
