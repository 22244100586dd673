package dev.kite.dnode;

/**
 * A dnode message could not be sent: the connection is closed, or the transport refused
 * it.
 */
public class DnodeSendException extends RuntimeException {

	public DnodeSendException(String message) {
		super(message);
	}

	public DnodeSendException(String message, Throwable cause) {
		super(message, cause);
	}

}
