package dev.kite.client.declarative;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import dev.kite.annotation.KiteMethod;
import dev.kite.client.KiteCall;
import dev.kite.client.KiteClients;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartFactoryBean;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * Creates the proxy behind a {@link KiteClient} interface. Each method call becomes one
 * {@link dev.kite.client.KiteCall} on the named client of the application's
 * {@link KiteClients}, with the result converted to the method's declared (generic)
 * return type. A method returning {@link CompletableFuture} or {@link CompletionStage}
 * never blocks its caller, and reports every failure (including "not configured" or
 * "closed") through its future; other methods wait at most the client's call timeout,
 * which also bounds the wait for a dial in progress.
 *
 * <p>
 * Thread safety: the proxy may be used from any thread; per-method call plans are cached
 * in a concurrent map.
 *
 * @param <T> the interface
 */
public final class KiteClientProxyFactoryBean<T> implements SmartFactoryBean<T>, BeanFactoryAware {

	private final Class<T> type;

	private final String clientName;

	private @Nullable BeanFactory beanFactory;

	/**
	 * @param type an interface annotated with {@link KiteClient}
	 */
	public KiteClientProxyFactoryBean(Class<T> type) {
		KiteClient annotation = AnnotatedElementUtils.findMergedAnnotation(type, KiteClient.class);
		if (!type.isInterface() || annotation == null) {
			throw new IllegalArgumentException(type.getName() + " is not an interface annotated with @KiteClient");
		}
		this.type = type;
		this.clientName = annotation.value();
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public T getObject() {
		BeanFactory factory = this.beanFactory;
		Assert.state(factory != null, "No BeanFactory");
		KiteClients clients = factory.getBean(KiteClients.class);
		clients.requireConfigured(this.clientName);
		return create(this.type, clients, this.clientName);
	}

	@Override
	public Class<T> getObjectType() {
		return this.type;
	}

	/**
	 * Created at startup, so an interface naming an unconfigured client fails the startup
	 * (creating the proxy dials nothing; the client connects on first use).
	 */
	@Override
	public boolean isEagerInit() {
		return true;
	}

	/**
	 * A proxy of {@code type} that calls through the named client.
	 * @param <T> the interface
	 * @param type the interface
	 * @param clients the registry
	 * @param clientName the client's name
	 * @return the proxy
	 */
	public static <T> T create(Class<T> type, KiteClients clients, String clientName) {
		Map<Method, Call> calls = new ConcurrentHashMap<>();
		InvocationHandler handler = (proxy, method, arguments) -> {
			if (method.getDeclaringClass() == Object.class) {
				return switch (method.getName()) {
					case "equals" -> proxy == arguments[0];
					case "hashCode" -> System.identityHashCode(proxy);
					default -> type.getSimpleName() + "[kite client '" + clientName + "']";
				};
			}
			if (method.isDefault()) {
				return InvocationHandler.invokeDefault(proxy, method, arguments);
			}
			Call call = calls.computeIfAbsent(method, Call::of);
			return call.invoke(clients, clientName, (arguments != null) ? arguments : new Object[0]);
		};
		return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type }, handler));
	}

	/**
	 * How one interface method calls: its kite method name, and how its result is
	 * returned.
	 */
	private record Call(String method, ParameterizedTypeReference<Object> resultType, Kind kind) {

		enum Kind {

			FUTURE, BLOCKING, VOID

		}

		static Call of(Method method) {
			KiteMethod annotation = AnnotatedElementUtils.findMergedAnnotation(method, KiteMethod.class);
			String name = (annotation != null && StringUtils.hasText(annotation.value())) ? annotation.value()
					: method.getName();
			Type returnType = method.getGenericReturnType();
			Class<?> raw = method.getReturnType();
			if (raw == void.class) {
				return new Call(name, ParameterizedTypeReference.forType(Object.class), Kind.VOID);
			}
			if (raw == CompletableFuture.class || raw == CompletionStage.class) {
				Type valueType = (returnType instanceof ParameterizedType parameterized)
						? parameterized.getActualTypeArguments()[0] : Object.class;
				return new Call(name, ParameterizedTypeReference.forType(valueType), Kind.FUTURE);
			}
			if (raw.isPrimitive()) {
				returnType = org.springframework.util.ClassUtils.resolvePrimitiveIfNecessary(raw);
			}
			return new Call(name, ParameterizedTypeReference.forType(returnType), Kind.BLOCKING);
		}

		@Nullable Object invoke(KiteClients clients, String clientName, Object[] arguments) throws Throwable {
			KiteCall call;
			try {
				call = clients.client(clientName).method(this.method).args(arguments);
			}
			catch (RuntimeException ex) {
				if (this.kind == Kind.FUTURE) {
					return CompletableFuture.failedFuture(ex); // an async method reports
																// through its future
				}
				throw ex;
			}
			if (this.kind == Kind.FUTURE) {
				// never blocks: before the client is connected, the call waits for the
				// dial (within
				// its timeout) inside the future
				return call.retrieve(this.resultType);
			}
			Object value = call.await(this.resultType);
			return (this.kind == Kind.VOID) ? null : value;
		}

	}

}
