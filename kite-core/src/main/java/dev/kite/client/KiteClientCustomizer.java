package dev.kite.client;

/**
 * Adjusts the options of a named client before it is created (Spring beans of this type
 * apply in {@code @Order}).
 *
 * <p>
 * Thread safety: called on the thread that resolves the client's options: the one
 * refreshing the context, or, for a client whose URL names a placeholder resolved on
 * first use, the thread that first uses the client.
 */
@FunctionalInterface
public interface KiteClientCustomizer {

	/**
	 * @param name the client's name ({@code kite.clients.<name>})
	 * @param options its options so far
	 * @return the options to use
	 */
	KiteClientOptions.Builder customize(String name, KiteClientOptions.Builder options);

}
