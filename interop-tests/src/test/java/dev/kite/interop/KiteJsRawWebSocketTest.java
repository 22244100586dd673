package dev.kite.interop;

/**
 * The kite.js client checks over {@link KiteJsTransport#RAW}.
 */
class KiteJsRawWebSocketTest extends KiteJsClientChecks {

	KiteJsRawWebSocketTest() {
		super(KiteJsTransport.RAW);
	}

}
