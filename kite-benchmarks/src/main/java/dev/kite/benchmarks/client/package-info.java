/**
 * Measures our client against our server:
 * {@link dev.kite.benchmarks.client.ClientBenchmark} calls {@code square} on an
 * in-process kite over SockJS or a raw WebSocket.
 */
@NullMarked
package dev.kite.benchmarks.client;

import org.jspecify.annotations.NullMarked;
