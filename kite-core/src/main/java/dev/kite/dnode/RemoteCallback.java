package dev.kite.dnode;

import org.jspecify.annotations.Nullable;

/**
 * A function the peer passed to us (for example the JavaScript function in
 * {@code k.tell("callback", [4, fn])}). Calling it sends
 * {@code {"method":<id>,"arguments":[…],"callbacks":{…}}} to the peer; arguments are
 * serialised with the connection's Jackson mapper and may themselves contain
 * {@link KiteCallback}s.
 *
 * <p>
 * A remote callback may be called any number of times, from any thread, for as long as
 * its connection is open.
 */
public interface RemoteCallback {

	/**
	 * Calls the peer's function.
	 * @param arguments the arguments to send
	 * @throws DnodeSendException if the connection is closed or the message could not be
	 * sent
	 */
	void call(@Nullable Object... arguments);

	/** The id the peer gave this function on its connection. */
	long id();

	/** Whether the connection this function belongs to is still open. */
	boolean isOpen();

}
