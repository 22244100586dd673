package dev.kite.benchmarks.kontrol;

import java.util.List;
import java.util.concurrent.ExecutorService;

import dev.kite.benchmarks.LoopbackTomcat;
import dev.kite.dnode.DnodeModule;
import dev.kite.kontrol.Kontrol;
import dev.kite.kontrol.KontrolKeys;
import dev.kite.kontrol.KontrolSettings;
import dev.kite.kontrol.store.KeyPairStore;
import dev.kite.kontrol.store.KiteStore;
import dev.kite.rpc.KiteDispatcher;
import dev.kite.rpc.KiteMethodRegistry;
import dev.kite.rpc.KiteWebSocketLimits;
import dev.kite.server.websocket.KiteEndpointRegistrar;
import dev.kite.server.websocket.KiteEndpointSettings;
import dev.kite.server.websocket.KiteWebSocketHandler;
import org.springframework.beans.factory.support.BeanDefinitionBuilder;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.web.context.support.AnnotationConfigWebApplicationContext;
import org.springframework.web.socket.server.support.WebSocketHandlerMapping;

/**
 * A real {@link Kontrol} (Go's default settings, a fresh self key pair) served on
 * embedded Tomcat at {@code http://127.0.0.1:<ephemeral port>/kite} through the
 * production {@link KiteEndpointRegistrar}: its own {@link KiteMethodRegistry} with the
 * built-ins and Kontrol's methods, and a {@link KiteDispatcher} that authenticates with
 * Kontrol's providers — the wiring of kite-kontrol's end-to-end test.
 *
 * <p>
 * Threads: Tomcat's acceptor and pollers read the sockets; handlers run on the given
 * executor, heartbeat watchdogs and the expiry cleaner on the given scheduler. Created
 * and closed by one thread.
 */
final class EmbeddedKontrol implements AutoCloseable {

	private final Kontrol kontrol;

	private final LoopbackTomcat server;

	private final AnnotationConfigWebApplicationContext context = new AnnotationConfigWebApplicationContext();

	private final int port;

	EmbeddedKontrol(KiteStore store, KeyPairStore keyPairStore, ExecutorService executor,
			ThreadPoolTaskScheduler scheduler) throws Exception {
		KontrolSettings settings = KontrolSettings.builder("kontrol", scheduler).build();
		this.kontrol = new Kontrol(settings, store, keyPairStore, KontrolKeys.generate());
		this.kontrol.start();
		KiteDispatcher dispatcher = this.kontrol.newDispatcher(this.kontrol.newMethodRegistry(), executor);
		KiteWebSocketHandler handler = new KiteWebSocketHandler(dispatcher, DnodeModule.newMapper(), executor,
				KiteWebSocketLimits.defaults());
		KiteEndpointRegistrar endpoint = new KiteEndpointRegistrar(handler, KiteEndpointSettings.builder().build(),
				scheduler, List.of());
		this.context.addBeanFactoryPostProcessor(
				(beanFactory) -> ((BeanDefinitionRegistry) beanFactory).registerBeanDefinition("kiteEndpoint",
						BeanDefinitionBuilder
							.genericBeanDefinition(WebSocketHandlerMapping.class, endpoint::handlerMapping)
							.getBeanDefinition()));
		try {
			this.server = LoopbackTomcat.start("kontrol", this.context);
		}
		catch (Exception ex) {
			this.kontrol.close();
			throw ex;
		}
		this.port = this.server.port();
	}

	Kontrol kontrol() {
		return this.kontrol;
	}

	/** Kontrol's SockJS base URL. */
	String url() {
		return "http://127.0.0.1:" + this.port + "/kite";
	}

	@Override
	public void close() throws Exception {
		this.kontrol.close();
		this.server.close();
	}

}
