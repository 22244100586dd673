package dev.kite.server.method;

import dev.kite.rpc.KiteInvocation;
import dev.kite.rpc.KiteRequest;
import org.springframework.core.MethodParameter;

/** Injects the {@link KiteRequest} of the call. */
final class KiteRequestArgumentResolver implements KiteArgumentResolver {

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return parameter.getParameterType() == KiteRequest.class;
	}

	@Override
	public Object resolveArgument(MethodParameter parameter, int position, KiteInvocation invocation) {
		return invocation.request();
	}

}
