package dev.kite.autoconfigure.client;

import dev.kite.autoconfigure.KiteAutoConfiguration;
import dev.kite.autoconfigure.KiteClientAutoConfiguration;
import dev.kite.client.KiteClients;
import dev.kite.client.KiteConnection;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client beans without a server or a network: named connection beans, and replacing
 * the registrar that declares them.
 */
class KiteClientAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, KiteAutoConfiguration.class,
				KiteClientAutoConfiguration.class))
		.withPropertyValues("kite.clients.math.url=http://127.0.0.1:1/kite");

	@Test
	void eachNamedClientIsALazyQualifiedConnectionBean() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed().hasBean("mathKiteConnection");
			assertThat(context.getBeanFactory().getBeanDefinition("mathKiteConnection").isLazyInit()).isTrue();
			assertThat(context.getBean(KiteClients.class).names()).containsExactly("math");
		});
	}

	@Test
	void theNamedClientsRegistrarCanBeReplaced() {
		this.runner.withUserConfiguration(NoNamedBeans.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(KiteClientAutoConfiguration.NAMED_CLIENTS_REGISTRAR_BEAN_NAME))
				.isInstanceOf(NoNamedBeans.Registrar.class);
			assertThat(context).doesNotHaveBean("mathKiteConnection").doesNotHaveBean(KiteConnection.class);
			assertThat(context.getBean(KiteClients.class).names()).containsExactly("math");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class NoNamedBeans {

		@Bean(KiteClientAutoConfiguration.NAMED_CLIENTS_REGISTRAR_BEAN_NAME)
		static Registrar namedKiteClientsRegistrar() {
			return new Registrar();
		}

		/**
		 * Declares no connection beans: the application asks {@link KiteClients} instead.
		 */
		static final class Registrar implements BeanDefinitionRegistryPostProcessor {

			@Override
			public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
			}

			@Override
			public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
			}

		}

	}

}
