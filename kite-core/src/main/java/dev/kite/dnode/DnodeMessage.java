package dev.kite.dnode;

import tools.jackson.databind.node.ArrayNode;

/**
 * A parsed incoming dnode message: either a call of a named method or an invocation of a
 * function this side sent earlier. Functions inside {@link #arguments()} are already
 * turned into {@link RemoteCallback} holders.
 */
public sealed interface DnodeMessage permits DnodeMessage.MethodCall, DnodeMessage.CallbackCall {

	/** The message's arguments (never null; {@code []} when absent). */
	ArrayNode arguments();

	/**
	 * A call of a method by name ({@code "method":"square"}).
	 *
	 * @param method the method name
	 * @param arguments the arguments
	 */
	record MethodCall(String method, ArrayNode arguments) implements DnodeMessage {
	}

	/**
	 * An invocation of one of our functions by id ({@code "method":0}).
	 *
	 * @param callbackId the id we gave the function
	 * @param arguments the arguments
	 */
	record CallbackCall(long callbackId, ArrayNode arguments) implements DnodeMessage {
	}

}
