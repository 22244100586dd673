package dev.kite.autoconfigure;

import dev.kite.rpc.KiteMethodRegistry;
import dev.kite.rpc.builtin.BuiltinKiteMethods;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.scheduling.TaskScheduler;

/**
 * Registers the built-in methods ({@code kite.ping}, {@code kite.heartbeat},
 * {@code kite.systemInfo}, {@code kite.log}) on every {@link KiteMethodRegistry} bean as
 * it is created, whoever declared it: an application that declares its own registry still
 * serves them. Built-ins go in before anything else sees the registry, so a
 * {@code @KiteMethod} that reuses a built-in's name always fails the startup the same
 * way. A built-in whose name the application's own registry bean already holds
 * (registered in its bean method) is left to the application.
 *
 * <p>
 * Runs on the thread that creates the registry bean (the one refreshing the context). The
 * scheduler is looked up only then, so this post-processor does not create it early.
 */
final class BuiltinKiteMethodsRegistrar implements BeanPostProcessor {

	private final ObjectProvider<TaskScheduler> scheduler;

	BuiltinKiteMethodsRegistrar(ObjectProvider<TaskScheduler> scheduler) {
		this.scheduler = scheduler;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof KiteMethodRegistry registry) {
			KiteMethodRegistry builtins = new KiteMethodRegistry();
			BuiltinKiteMethods.registerAll(builtins, this.scheduler.getObject());
			builtins.methods()
				.stream()
				.filter((method) -> registry.find(method.name()) == null)
				.forEach(registry::register);
		}
		return bean;
	}

}
