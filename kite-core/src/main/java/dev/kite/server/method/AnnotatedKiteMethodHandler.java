package dev.kite.server.method;

import java.lang.reflect.Method;
import java.util.List;

import dev.kite.protocol.KiteErrorTypes;
import dev.kite.protocol.KiteException;
import dev.kite.rpc.KiteInvocation;
import dev.kite.rpc.KiteMethodHandler;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.core.BridgeMethodResolver;
import org.springframework.core.MethodParameter;
import org.springframework.util.ReflectionUtils;
import org.springframework.web.method.HandlerMethod;

/**
 * Calls one {@code @KiteMethod} bean method. Everything that can be decided before the
 * first call is decided at construction: one resolver and one {@code withArgs} position
 * per parameter (for Jackson-bound parameters, the Jackson type and scalar reads), the
 * invocable (proxy-aware) method made accessible. The bean is looked up by name on first
 * use (and on every use if it is not a singleton), so AOP proxies — security,
 * transactions, validation — apply.
 *
 * <p>
 * Thread safety: immutable but for the cached singleton bean, published through a
 * volatile field.
 */
final class AnnotatedKiteMethodHandler implements KiteMethodHandler {

	private final HandlerMethod handlerMethod;

	private final BeanFactory beanFactory;

	private final String beanName;

	private final boolean singleton;

	private final Method method;

	private final BoundParameter[] parameters;

	private final int positionalCount;

	private volatile @Nullable Object cachedBean;

	AnnotatedKiteMethodHandler(BeanFactory beanFactory, String beanName, Method invocableMethod,
			List<KiteArgumentResolver> resolvers) {
		this.beanFactory = beanFactory;
		this.beanName = beanName;
		this.singleton = beanFactory.isSingleton(beanName);
		this.handlerMethod = new HandlerMethod(beanName, beanFactory, invocableMethod);
		this.method = BridgeMethodResolver.findBridgedMethod(invocableMethod);
		ReflectionUtils.makeAccessible(this.method);
		MethodParameter[] methodParameters = this.handlerMethod.getMethodParameters();
		this.parameters = new BoundParameter[methodParameters.length];
		int position = 0;
		for (int i = 0; i < methodParameters.length; i++) {
			MethodParameter parameter = methodParameters[i];
			KiteArgumentResolver resolver = resolvers.stream()
				.filter((candidate) -> candidate.supportsParameter(parameter))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException("No KiteArgumentResolver for parameter " + parameter));
			boolean positional = resolver.isPositional(parameter);
			JacksonArgumentResolver.ParameterBinding binding = (resolver instanceof JacksonArgumentResolver jackson)
					? jackson.bind(parameter) : (at, invocation) -> resolver.resolveArgument(parameter, at, invocation);
			this.parameters[i] = new BoundParameter(binding, positional ? position++ : -1);
		}
		this.positionalCount = position;
	}

	@Override
	public @Nullable Object handle(KiteInvocation invocation) throws Exception {
		int sent = invocation.arguments().size();
		if (sent > this.positionalCount) {
			// Go's argument helpers (One, SliceOfLength) refuse extra arguments too.
			throw new KiteException(KiteErrorTypes.ARGUMENT_ERROR,
					invocation.request().method() + " takes " + this.positionalCount
							+ ((this.positionalCount == 1) ? " argument" : " arguments") + ", got " + sent);
		}
		@Nullable Object[] arguments = new Object[this.parameters.length];
		for (int i = 0; i < arguments.length; i++) {
			BoundParameter bound = this.parameters[i];
			arguments[i] = bound.binding().resolve(bound.position(), invocation);
		}
		return this.method.invoke(bean(), arguments);
	}

	private Object bean() {
		if (!this.singleton) {
			return this.beanFactory.getBean(this.beanName);
		}
		Object bean = this.cachedBean;
		if (bean == null) {
			bean = this.beanFactory.getBean(this.beanName);
			this.cachedBean = bean;
		}
		return bean;
	}

	@Override
	public String toString() {
		return this.handlerMethod.toString();
	}

	private record BoundParameter(JacksonArgumentResolver.ParameterBinding binding, int position) {
	}

}
