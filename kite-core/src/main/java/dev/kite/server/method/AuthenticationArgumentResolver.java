package dev.kite.server.method;

import java.security.Principal;

import dev.kite.rpc.KiteInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.annotation.AuthenticationPrincipal;

/**
 * Injects the verified {@link Authentication} (also as {@link Principal}), or with
 * {@link AuthenticationPrincipal} its principal. {@code null} when the method does not
 * authenticate.
 */
final class AuthenticationArgumentResolver implements KiteArgumentResolver {

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return parameter.hasParameterAnnotation(AuthenticationPrincipal.class)
				|| Authentication.class.isAssignableFrom(parameter.getParameterType())
				|| parameter.getParameterType() == Principal.class;
	}

	@Override
	public @Nullable Object resolveArgument(MethodParameter parameter, int position, KiteInvocation invocation) {
		Authentication authentication = invocation.authentication();
		if (authentication == null) {
			return null;
		}
		Object value = parameter.hasParameterAnnotation(AuthenticationPrincipal.class) ? authentication.getPrincipal()
				: authentication;
		return parameter.getParameterType().isInstance(value) ? value : null;
	}

}
