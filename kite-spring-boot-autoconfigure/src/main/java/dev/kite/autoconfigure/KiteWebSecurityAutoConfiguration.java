package dev.kite.autoconfigure;

import dev.kite.server.websocket.KiteWebSocketHandler;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Lets kite peers reach the kite endpoint when Spring Security guards the web
 * application. Authentication of kite calls happens per message (kite keys and tokens
 * inside each call), not at the HTTP handshake, and SockJS XHR transports POST without
 * CSRF tokens: so this chain permits {@code kite.server.path/**} and disables CSRF there.
 * Every other path stays with the application's own chains, or Boot's default one (this
 * configuration runs after it, so its presence never switches Boot's default off).
 *
 * <p>
 * The chain is ordered just before Boot's default chain. To write your own rules for the
 * kite path, declare a bean named {@code kiteSecurityFilterChain} or set
 * {@code kite.server.security.permit-endpoint=false}.
 */
@AutoConfiguration(after = { KiteServerAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ SecurityFilterChain.class, HttpSecurity.class, ServletWebSecurityAutoConfiguration.class })
@ConditionalOnBean({ KiteWebSocketHandler.class, HttpSecurity.class })
@ConditionalOnBooleanProperty(name = "kite.server.security.permit-endpoint", matchIfMissing = true)
public final class KiteWebSecurityAutoConfiguration {

	/** The bean name of the kite endpoint's filter chain. */
	public static final String FILTER_CHAIN_BEAN_NAME = "kiteSecurityFilterChain";

	@Bean(name = FILTER_CHAIN_BEAN_NAME)
	@ConditionalOnMissingBean(name = FILTER_CHAIN_BEAN_NAME)
	@Order(SecurityFilterProperties.BASIC_AUTH_ORDER - 1)
	SecurityFilterChain kiteSecurityFilterChain(HttpSecurity http, KiteProperties properties) {
		String path = properties.getServer().getPath();
		return http.securityMatcher(path, path + "/**")
			.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
			.csrf((csrf) -> csrf.disable())
			.requestCache((cache) -> cache.disable())
			.build();
	}

}
