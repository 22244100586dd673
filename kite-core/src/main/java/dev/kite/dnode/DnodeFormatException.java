package dev.kite.dnode;

/**
 * A frame is not a dnode message: not JSON, not an object, or
 * {@code method}/{@code arguments} of the wrong type. The message says which; it never
 * contains the frame itself.
 */
public class DnodeFormatException extends RuntimeException {

	public DnodeFormatException(String message) {
		super(message);
	}

	public DnodeFormatException(String message, Throwable cause) {
		super(message, cause);
	}

}
