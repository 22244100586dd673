package dev.kite.rpc;

/**
 * Thrown when two methods are registered under one wire name: a caller could not tell
 * which one it calls, so the kite refuses to start rather than pick one.
 */
public class DuplicateKiteMethodException extends IllegalStateException {

	private final String methodName;

	private final String existingSource;

	private final String duplicateSource;

	/**
	 * @param methodName the wire name registered twice
	 * @param existingSource where the method registered first comes from
	 * @param duplicateSource where the second one comes from
	 */
	public DuplicateKiteMethodException(String methodName, String existingSource, String duplicateSource) {
		super("Duplicate kite method '" + methodName + "': " + existingSource + " and " + duplicateSource);
		this.methodName = methodName;
		this.existingSource = existingSource;
		this.duplicateSource = duplicateSource;
	}

	/** The wire name registered twice. */
	public String getMethodName() {
		return this.methodName;
	}

	/**
	 * Where the method registered first comes from, e.g.
	 * {@code bean 'math' method square(double)}.
	 */
	public String getExistingSource() {
		return this.existingSource;
	}

	/** Where the second method of that name comes from. */
	public String getDuplicateSource() {
		return this.duplicateSource;
	}

}
