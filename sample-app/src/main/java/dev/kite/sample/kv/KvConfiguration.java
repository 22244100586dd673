package dev.kite.sample.kv;

import dev.kite.rpc.KiteMethodRegistry;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

/**
 * Wires the key-value kite and registers its methods on the app's kite endpoint.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(KvProperties.class)
class KvConfiguration {

	/**
	 * The watchers. Their drains run on threads of their own rather than the kite
	 * executor: a drain may wait on a peer that does not read, and a bounded pool shared
	 * with calls would let a few such peers stall every call. At most one drain runs per
	 * watcher, and only while it has entries waiting. Daemon threads, so a drain waiting
	 * on a dead peer (bounded by the transport's send timeout) does not hold up exit.
	 */
	@Bean
	KvWatchers kvWatchers(KvProperties properties) {
		SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("kv-watch-");
		executor.setDaemon(true);
		return new KvWatchers(executor, properties.watchQueueCapacity());
	}

	@Bean
	KvStore kvStore(KvWatchers watchers) {
		return new KvStore(watchers::publish);
	}

	@Bean
	KvKite kvKite(KvStore store, KvWatchers watchers, KvProperties properties, KiteMethodRegistry registry) {
		KvKite kite = new KvKite(store, watchers);
		kite.register(registry, properties.authenticatedWrites());
		return kite;
	}

}
