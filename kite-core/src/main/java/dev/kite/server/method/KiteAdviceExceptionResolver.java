package dev.kite.server.method;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.kite.annotation.KiteAdvice;
import dev.kite.annotation.KiteExceptionHandler;
import dev.kite.protocol.KiteError;
import dev.kite.protocol.KiteException;
import dev.kite.rpc.KiteExceptionResolver;
import dev.kite.rpc.KiteRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationContext;
import org.springframework.core.ExceptionDepthComparator;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Resolves exceptions through the {@link KiteExceptionHandler} methods of
 * {@link KiteAdvice} beans. For a given exception the handler whose declared type is
 * closest in the class hierarchy wins.
 *
 * <p>
 * Thread safety: handlers are collected once, after all singletons exist; the
 * per-exception-type choice is cached in a concurrent map.
 */
public final class KiteAdviceExceptionResolver implements KiteExceptionResolver, SmartInitializingSingleton {

	private final ApplicationContext context;

	private final Map<Class<? extends Throwable>, AdviceMethod> handlers = new LinkedHashMap<>();

	private final Map<Class<?>, List<AdviceMethod>> cache = new ConcurrentHashMap<>();

	/**
	 * @param context where to find {@link KiteAdvice} beans
	 */
	public KiteAdviceExceptionResolver(ApplicationContext context) {
		this.context = context;
	}

	@Override
	public void afterSingletonsInstantiated() {
		for (String beanName : this.context.getBeanNamesForAnnotation(KiteAdvice.class)) {
			Class<?> type = this.context.getType(beanName);
			if (type == null) {
				continue;
			}
			Map<Method, KiteExceptionHandler> methods = MethodIntrospector.selectMethods(type,
					(MethodIntrospector.MetadataLookup<KiteExceptionHandler>) (method) -> AnnotatedElementUtils
						.findMergedAnnotation(method, KiteExceptionHandler.class));
			methods.forEach((method, annotation) -> register(beanName, method, annotation));
		}
	}

	@SuppressWarnings("unchecked")
	private void register(String beanName, Method method, KiteExceptionHandler annotation) {
		List<Class<? extends Throwable>> types = new ArrayList<>(List.of(annotation.value()));
		if (types.isEmpty()) {
			for (Class<?> parameterType : method.getParameterTypes()) {
				if (Throwable.class.isAssignableFrom(parameterType)) {
					types.add((Class<? extends Throwable>) parameterType);
				}
			}
		}
		if (types.isEmpty()) {
			throw new IllegalStateException("@KiteExceptionHandler " + method + " names no exception type");
		}
		Class<?> returnType = method.getReturnType();
		if (returnType != KiteError.class && !KiteException.class.isAssignableFrom(returnType)) {
			throw new IllegalStateException(
					"@KiteExceptionHandler " + method + " must return KiteError or KiteException");
		}
		ReflectionUtils.makeAccessible(method);
		for (Class<? extends Throwable> type : types) {
			AdviceMethod existing = this.handlers.putIfAbsent(type, new AdviceMethod(beanName, method, type));
			if (existing != null) {
				throw new IllegalStateException("Two @KiteExceptionHandler methods for " + type.getName() + ": "
						+ existing.method() + " and " + method);
			}
		}
	}

	@Override
	public @Nullable KiteError resolve(Throwable failure, KiteRequest request) {
		for (AdviceMethod handler : candidates(failure.getClass())) {
			Object bean = this.context.getBean(handler.beanName());
			Object[] arguments = new Object[handler.method().getParameterCount()];
			Class<?>[] parameterTypes = handler.method().getParameterTypes();
			for (int i = 0; i < arguments.length; i++) {
				if (parameterTypes[i].isInstance(failure)) {
					arguments[i] = failure;
				}
				else if (parameterTypes[i] == KiteRequest.class) {
					arguments[i] = request;
				}
			}
			Object result = ReflectionUtils.invokeMethod(handler.method(), bean, arguments);
			if (result instanceof KiteError error) {
				return error;
			}
			if (result instanceof KiteException exception) {
				return exception.error();
			}
		}
		return null;
	}

	private List<AdviceMethod> candidates(Class<? extends Throwable> failureType) {
		return this.cache.computeIfAbsent(failureType, (type) -> {
			List<Class<? extends Throwable>> matching = new ArrayList<>();
			for (Class<? extends Throwable> handled : this.handlers.keySet()) {
				if (handled.isAssignableFrom(failureType)) {
					matching.add(handled);
				}
			}
			matching.sort(new ExceptionDepthComparator(failureType));
			return matching.stream().map(this.handlers::get).toList();
		});
	}

	private record AdviceMethod(String beanName, Method method, Class<? extends Throwable> type) {
	}

}
