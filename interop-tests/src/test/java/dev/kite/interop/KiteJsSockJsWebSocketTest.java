package dev.kite.interop;

/**
 * The kite.js client checks over {@link KiteJsTransport#SOCKJS}.
 */
class KiteJsSockJsWebSocketTest extends KiteJsClientChecks {

	KiteJsSockJsWebSocketTest() {
		super(KiteJsTransport.SOCKJS);
	}

}
