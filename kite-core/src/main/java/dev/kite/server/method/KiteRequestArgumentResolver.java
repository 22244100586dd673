package dev.kite.server.method;

import dev.kite.server.KiteInvocation;
import dev.kite.server.KiteRequest;
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
