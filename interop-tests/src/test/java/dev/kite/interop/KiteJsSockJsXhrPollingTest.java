package dev.kite.interop;

/**
 * The kite.js client checks over {@link KiteJsTransport#XHR_POLLING}.
 */
class KiteJsSockJsXhrPollingTest extends KiteJsClientChecks {

	KiteJsSockJsXhrPollingTest() {
		super(KiteJsTransport.XHR_POLLING);
	}

}
