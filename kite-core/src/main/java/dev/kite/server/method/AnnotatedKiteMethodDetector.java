package dev.kite.server.method;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.kite.annotation.KiteMethod;
import dev.kite.rpc.KiteMethodDefinition;
import dev.kite.rpc.KiteMethodRegistry;
import dev.kite.rpc.KiteThrottle;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationContext;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.format.datetime.standard.DurationFormatterUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;
import tools.jackson.databind.ObjectMapper;

/**
 * Finds {@link KiteMethod} methods on the context's beans and registers them, once all
 * singletons exist (before the web server accepts connections).
 *
 * <p>
 * Detection walks bean <em>names</em> and inspects each bean's type, as Spring for
 * GraphQL does for its controllers: no classpath scan, no eager creation of lazy beans,
 * and the method invoked is the one on the (possibly proxied) bean, so security and
 * transaction advice apply.
 */
public final class AnnotatedKiteMethodDetector implements SmartInitializingSingleton {

	private static final Logger logger = LoggerFactory.getLogger(AnnotatedKiteMethodDetector.class);

	private final ApplicationContext context;

	private final KiteMethodRegistry registry;

	private final List<KiteArgumentResolver> resolvers;

	/**
	 * @param context where to look for beans
	 * @param registry where to register methods
	 * @param customResolvers user resolvers, asked before the built-in ones
	 * @param mapper converts arguments to declared types
	 */
	public AnnotatedKiteMethodDetector(ApplicationContext context, KiteMethodRegistry registry,
			List<? extends KiteArgumentResolver> customResolvers, ObjectMapper mapper) {
		this.context = context;
		this.registry = registry;
		List<KiteArgumentResolver> all = new ArrayList<>(customResolvers);
		all.add(new KiteRequestArgumentResolver());
		all.add(new AuthenticationArgumentResolver());
		all.add(new RemoteCallbackArgumentResolver());
		all.add(new JsonNodeArgumentResolver());
		all.add(new JacksonArgumentResolver(mapper));
		this.resolvers = List.copyOf(all);
	}

	@Override
	public void afterSingletonsInstantiated() {
		for (String beanName : this.context.getBeanNamesForType(Object.class)) {
			if (ScopedProxyUtils.isScopedTarget(beanName)) {
				continue;
			}
			Class<?> beanType = this.context.getType(beanName);
			if (beanType != null) {
				detect(beanName, beanType);
			}
		}
	}

	private void detect(String beanName, Class<?> beanType) {
		Class<?> userType = ClassUtils.getUserClass(beanType);
		if (userType.isInterface()) {
			// A bean typed by an interface is a proxy with no implementation of its own
			// (a declarative
			// kite client, an HTTP interface client, a repository): its @KiteMethod names
			// are what it
			// calls on another kite, not what we serve.
			return;
		}
		Map<Method, KiteMethod> methods = MethodIntrospector.selectMethods(userType,
				(MethodIntrospector.MetadataLookup<KiteMethod>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, KiteMethod.class));
		methods.forEach((method, annotation) -> {
			Method invocable = AopUtils.selectInvocableMethod(method, beanType);
			String name = StringUtils.hasText(annotation.value()) ? annotation.value() : method.getName();
			String source = "bean '" + beanName + "' method " + method.getName() + "("
					+ StringUtils.arrayToCommaDelimitedString(
							java.util.Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName).toArray())
					+ ")";
			this.registry.register(new KiteMethodDefinition(name,
					new AnnotatedKiteMethodHandler(this.context, beanName, invocable, this.resolvers),
					annotation.authenticated(), source, throttle(annotation, source)));
			logger.debug("Serving kite method '{}' from {}", name, source);
		});
	}

	private static @Nullable KiteThrottle throttle(KiteMethod annotation, String source) {
		String fillInterval = annotation.throttleFillInterval();
		if (!StringUtils.hasText(fillInterval)) {
			return null;
		}
		try {
			return new KiteThrottle(DurationFormatterUtils.detectAndParse(fillInterval.trim()),
					annotation.throttleCapacity());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("Invalid throttle of " + source + ": " + ex.getMessage(), ex);
		}
	}

}
