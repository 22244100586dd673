/**
 * SockJS framing both ends of a kite connection use: the one-pass message codec the
 * server's SockJS service and the client's SockJS transports share (the client never
 * imports the server).
 */
@NullMarked
package dev.kite.rpc.sockjs;

import org.jspecify.annotations.NullMarked;
