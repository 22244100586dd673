package dev.kite.server.method;

import dev.kite.dnode.DnodeTrees;
import dev.kite.dnode.RemoteCallback;
import dev.kite.protocol.KiteErrorTypes;
import dev.kite.protocol.KiteException;
import dev.kite.rpc.KiteInvocation;
import org.springframework.core.MethodParameter;

/** Supplies the function the caller passed at this parameter's position. */
final class RemoteCallbackArgumentResolver implements KiteArgumentResolver {

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return parameter.getParameterType() == RemoteCallback.class;
	}

	@Override
	public boolean isPositional(MethodParameter parameter) {
		return true;
	}

	@Override
	public RemoteCallback resolveArgument(MethodParameter parameter, int position, KiteInvocation invocation) {
		RemoteCallback callback = DnodeTrees.callbackAt(invocation.argument(position));
		if (callback == null) {
			throw new KiteException(KiteErrorTypes.ARGUMENT_ERROR,
					"Argument " + position + " of " + invocation.request().method() + " must be a function");
		}
		return callback;
	}

}
