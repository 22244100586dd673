package dev.kite.server.method;

import dev.kite.rpc.KiteInvocation;
import dev.kite.rpc.KitePeer;
import dev.kite.rpc.KitePeers;
import org.springframework.core.MethodParameter;

/**
 * Injects the {@link KitePeer} of the connection a call arrived on, so the method can
 * call what the caller exposes (a kite.js page's {@code api}, a Go kite's handlers).
 * Declared as a bean by the auto-configuration, since it needs this kite's identity and
 * scheduler.
 */
public final class KitePeerArgumentResolver implements KiteArgumentResolver {

	private final KitePeers peers;

	/**
	 * @param peers makes the peers
	 */
	public KitePeerArgumentResolver(KitePeers peers) {
		this.peers = peers;
	}

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return parameter.getParameterType() == KitePeer.class;
	}

	@Override
	public KitePeer resolveArgument(MethodParameter parameter, int position, KiteInvocation invocation) {
		return this.peers.of(invocation.session());
	}

}
