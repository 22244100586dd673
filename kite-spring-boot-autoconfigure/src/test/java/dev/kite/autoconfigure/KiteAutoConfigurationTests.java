package dev.kite.autoconfigure;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

import dev.kite.client.declarative.EnableKiteClients;
import dev.kite.client.declarative.KiteClient;
import dev.kite.annotation.KiteMethod;
import dev.kite.dnode.DnodeConnection;
import dev.kite.dnode.DnodeModule;
import dev.kite.protocol.Kite;
import dev.kite.rpc.KiteDispatcher;
import dev.kite.rpc.KiteMethodDefinition;
import dev.kite.rpc.KiteMethodRegistry;
import dev.kite.rpc.KitePeers;
import dev.kite.rpc.KiteSession;
import dev.kite.server.method.KitePeerArgumentResolver;
import dev.kite.server.websocket.KiteWebSocketHandler;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import tools.jackson.core.TokenStreamFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class KiteAutoConfigurationTests {

	private final WebApplicationContextRunner web = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, KiteAutoConfiguration.class,
				KiteServerAutoConfiguration.class, TaskExecutionAutoConfiguration.class));

	@Test
	void servesBuiltInsAndAnnotatedMethods() {
		this.web.withUserConfiguration(MathConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(KiteDispatcher.class).hasSingleBean(KiteWebSocketHandler.class);
			KiteMethodRegistry registry = context.getBean(KiteMethodRegistry.class);
			assertThat(registry.methods()).extracting("name")
				.contains("kite.ping", "kite.heartbeat", "kite.systemInfo", "kite.log", "square")
				.doesNotContain("kite.print", "kite.prompt", "kite.getPass");
			assertThat(registry.find("square").authenticated()).isFalse();
			assertThat(registry.find("kite.systemInfo").authenticated()).isTrue();
		});
	}

	@Test
	void aKiteMethodCanCallItsCallerAsThisKite() {
		this.web.withPropertyValues("kite.name=math", "kite.username=devrim").run((context) -> {
			assertThat(context).hasSingleBean(KitePeerArgumentResolver.class);
			List<String> sent = new CopyOnWriteArrayList<>();
			KiteSession session = new KiteSession("s1",
					new DnodeConnection(JsonMapper.builder().addModule(new DnodeModule()).build(), sent::add), false,
					Runnable::run);

			context.getBean(KitePeers.class).of(session).call("notify", "hi");

			Kite local = context.getBean(KiteAutoConfiguration.LOCAL_KITE_BEAN_NAME, Kite.class);
			JsonNode envelope = JsonMapper.builder().build().readTree(sent.get(0)).get("arguments").get(0);
			assertThat(envelope.get("kite").get("id").asString()).isEqualTo(local.id());
			assertThat(envelope.get("kite").get("username").asString()).isEqualTo("devrim");
			session.close();
		});
	}

	@Test
	void identityComesFromPropertiesWithAFreshIdPerStart() {
		this.web
			.withPropertyValues("kite.name=math", "kite.version=2.1.0", "kite.username=devrim",
					"kite.environment=production", "kite.region=eu", "kite.hostname=worker-1")
			.run((context) -> {
				Kite kite = context.getBean(KiteAutoConfiguration.LOCAL_KITE_BEAN_NAME, Kite.class);
				assertThat(kite)
					.isEqualTo(new Kite("math", "devrim", kite.id(), "production", "eu", "2.1.0", "worker-1"));
				assertThat(kite.id()).matches("[0-9a-f-]{36}");
			});
	}

	@Test
	void nameDefaultsToApplicationNameAndIdentityFieldsToUnknown() {
		this.web.withPropertyValues("spring.application.name=orders").run((context) -> {
			Kite kite = context.getBean(KiteAutoConfiguration.LOCAL_KITE_BEAN_NAME, Kite.class);
			assertThat(kite.name()).isEqualTo("orders");
			assertThat(kite.username()).isEqualTo("unknown");
			assertThat(kite.environment()).isEqualTo("unknown");
			assertThat(kite.region()).isEqualTo("unknown");
			assertThat(kite.version()).isEqualTo("1.0.0");
		});
	}

	@Test
	void versionMustHaveThreeParts() {
		this.web.withPropertyValues("kite.version=1.0")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("kite.version")
				.hasMessageContaining("three dot-separated numbers"));
	}

	@Test
	void identityFieldsMustNotContainSlashes() {
		this.web.withPropertyValues("kite.environment=prod/eu")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("kite.environment")
				.hasMessageContaining("'/'"));
	}

	@Test
	void duplicateMethodNamesFailStartupNamingBothBeans() {
		this.web.withUserConfiguration(MathConfiguration.class, DuplicateConfiguration.class)
			.run((context) -> assertThat(context).getFailure()
				.hasMessage("Duplicate kite method 'square': bean 'math' method square(double) and "
						+ "bean 'otherMath' method square(double)"));
	}

	@Test
	void clientInterfacesAreNotServed() {
		this.web.withUserConfiguration(MathConfiguration.class, ClientInterfaceConfiguration.class)
			.withPropertyValues("kite.clients.math.url=http://127.0.0.1:1/kite")
			.withConfiguration(AutoConfigurations.of(KiteClientAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(RemoteMath.class);
				KiteMethodRegistry registry = context.getBean(KiteMethodRegistry.class);
				assertThat(registry.find("square").source()).contains("bean 'math'");
				assertThat(registry.find("cube")).isNull();
			});
	}

	@Test
	void serverCanBeDisabled() {
		this.web.withPropertyValues("kite.server.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(KiteDispatcher.class).doesNotHaveBean(KiteWebSocketHandler.class);
			assertThat(context).hasBean(KiteAutoConfiguration.LOCAL_KITE_BEAN_NAME);
		});
	}

	@Test
	void serverNeedsAServletWebApplication() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(KiteAutoConfiguration.class, KiteServerAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(KiteDispatcher.class));
	}

	@Test
	void userBeansWin() {
		this.web.withUserConfiguration(CustomRegistryConfiguration.class)
			.run((context) -> assertThat(context.getBean(KiteMethodRegistry.class))
				.isSameAs(context.getBean(CustomRegistryConfiguration.class).registry));
	}

	@Test
	void aRegistryOfTheApplicationsStillServesTheBuiltIns() {
		this.web.withUserConfiguration(CustomRegistryConfiguration.class, MathConfiguration.class).run((context) -> {
			KiteMethodRegistry registry = context.getBean(KiteMethodRegistry.class);
			assertThat(registry.methods()).extracting("name")
				.containsExactlyInAnyOrder("kite.ping", "kite.heartbeat", "kite.systemInfo", "kite.log", "square");
		});
	}

	@Test
	void aBuiltInTheApplicationsRegistryAlreadyHoldsIsLeftToIt() {
		this.web.withUserConfiguration(OwnPingRegistryConfiguration.class).run((context) -> {
			KiteMethodRegistry registry = context.getBean(KiteMethodRegistry.class);
			assertThat(registry.find("kite.ping").source()).isEqualTo("my ping");
			assertThat(registry.find("kite.heartbeat")).isNotNull();
		});
	}

	@Test
	void theBuiltInsCanBeLeftOut() {
		this.web.withUserConfiguration(MathConfiguration.class)
			.withBean(KiteServerAutoConfiguration.BUILTIN_METHODS_REGISTRAR_BEAN_NAME, Object.class, Object::new)
			.run((context) -> assertThat(context.getBean(KiteMethodRegistry.class).methods()).extracting("name")
				.containsExactly("square"));
	}

	@Test
	void theSessionsLifecycleCanBeReplaced() {
		SmartLifecycle own = new SmartLifecycle() {

			@Override
			public void start() {
			}

			@Override
			public void stop() {
			}

			@Override
			public boolean isRunning() {
				return false;
			}

		};
		this.web.withBean(KiteServerAutoConfiguration.SESSIONS_LIFECYCLE_BEAN_NAME, SmartLifecycle.class, () -> own)
			.run((context) -> assertThat(context.getBean(KiteServerAutoConfiguration.SESSIONS_LIFECYCLE_BEAN_NAME))
				.isSameAs(own));
	}

	@Test
	void schedulerPoolSizeIsAProperty() {
		this.web.withPropertyValues("kite.scheduler.pool-size=5").run((context) -> {
			ThreadPoolTaskScheduler scheduler = context.getBean(KiteAutoConfiguration.SCHEDULER_BEAN_NAME,
					ThreadPoolTaskScheduler.class);
			assertThat(scheduler.getScheduledThreadPoolExecutor().getCorePoolSize()).isEqualTo(5);
		});
		this.web.run((context) -> assertThat(
				context.getBean(KiteAutoConfiguration.SCHEDULER_BEAN_NAME, ThreadPoolTaskScheduler.class)
					.getScheduledThreadPoolExecutor()
					.getCorePoolSize())
			.isEqualTo(KiteProperties.Scheduler.DEFAULT_POOL_SIZE));
	}

	@Test
	void invalidTuningFailsNamingTheProperty() {
		this.web.withPropertyValues("kite.scheduler.pool-size=0")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("kite.scheduler.pool-size"));
		this.web.withPropertyValues("kite.security.trust-cache-size=-1")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("kite.security.trust-cache-size"));
	}

	@Test
	void duplicateMethodNamesAreExplainedByTheFailureAnalyzer() {
		this.web.withUserConfiguration(MathConfiguration.class, DuplicateConfiguration.class).run((context) -> {
			FailureAnalysis analysis = new DuplicateKiteMethodFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).contains("'square'")
				.contains("bean 'math' method square(double)")
				.contains("bean 'otherMath' method square(double)");
			assertThat(analysis.getAction()).contains("@KiteMethod");
		});
	}

	@Test
	void theFailureAnalyzerIsRegistered() {
		// Boot's own analyzers need constructor arguments this bare loader cannot give;
		// only ours matters.
		assertThat(SpringFactoriesLoader.forDefaultResourceLocation()
			.load(FailureAnalyzer.class, SpringFactoriesLoader.FailureHandler.handleMessage((message, ex) -> {
			}))).hasAtLeastOneElementOfType(DuplicateKiteMethodFailureAnalyzer.class);
	}

	@Test
	void kiteBeansDoNotDisplaceTheApplicationsMapperExecutorOrScheduler() {
		this.web.withConfiguration(AutoConfigurations.of(TaskSchedulingAutoConfiguration.class))
			.withUserConfiguration(SchedulingConfiguration.class)
			.run((context) -> {
				assertThat(context).hasBean("jacksonJsonMapper");
				assertThat(context.getBean(JsonMapper.class)).isSameAs(context.getBean("jacksonJsonMapper"));
				assertThat(context).hasBean("applicationTaskExecutor");
				assertThat(context).hasBean("taskScheduler");
				assertThat(context.getBean(JsonMapper.class))
					.isNotSameAs(context.getBean(KiteAutoConfiguration.JSON_MAPPER_BEAN_NAME));
				assertThat(context.getBean(KiteServerAutoConfiguration.EXECUTOR_BEAN_NAME))
					.isInstanceOf(Executor.class);
			});
	}

	@Test
	void kiteMapperTakesTheApplicationsJacksonSettingsAndDoesNotCanonicaliseNames() {
		this.web.withPropertyValues("spring.jackson.property-naming-strategy=SNAKE_CASE").run((context) -> {
			JsonMapper kiteMapper = context.getBean(KiteAutoConfiguration.JSON_MAPPER_BEAN_NAME, JsonMapper.class);
			assertThat(kiteMapper.writeValueAsString(new UserType("x"))).isEqualTo("{\"first_name\":\"x\"}");
			assertThat(
					kiteMapper.tokenStreamFactory().isEnabled(TokenStreamFactory.Feature.CANONICALIZE_PROPERTY_NAMES))
				.isFalse();
			assertThat(context.getBean(JsonMapper.class)
				.tokenStreamFactory()
				.isEnabled(TokenStreamFactory.Feature.CANONICALIZE_PROPERTY_NAMES))
				.as("the application's own mapper is left as it was")
				.isTrue();
		});
	}

	record UserType(String firstName) {
	}

	@Test
	void invalidLimitsFailNamingTheProperty() {
		this.web.withPropertyValues("kite.server.max-message-size=0")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("kite.server.max-message-size"));
	}

	@Configuration(proxyBeanMethods = false)
	static class MathConfiguration {

		@Bean
		Math math() {
			return new Math();
		}

	}

	@KiteClient("math")
	interface RemoteMath {

		@KiteMethod("square")
		double remoteSquare(double n);

		double cube(double n);

	}

	@Configuration(proxyBeanMethods = false)
	@EnableKiteClients(basePackageClasses = KiteAutoConfigurationTests.class)
	static class ClientInterfaceConfiguration {

	}

	@Configuration(proxyBeanMethods = false)
	static class DuplicateConfiguration {

		@Bean
		Math otherMath() {
			return new Math();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomRegistryConfiguration {

		final KiteMethodRegistry registry = new KiteMethodRegistry();

		@Bean
		KiteMethodRegistry customRegistry() {
			return this.registry;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnPingRegistryConfiguration {

		@Bean
		KiteMethodRegistry ownPingRegistry() {
			KiteMethodRegistry registry = new KiteMethodRegistry();
			registry.register(new KiteMethodDefinition("kite.ping", (invocation) -> "mine", false, "my ping"));
			return registry;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableScheduling
	static class SchedulingConfiguration {

	}

	static class Math {

		@KiteMethod(value = "square", authenticated = false)
		public double square(double n) {
			return n * n;
		}

	}

}
