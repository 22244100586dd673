package dev.kite.autoconfigure.kontrol;

import dev.kite.kontrol.Kontrol;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Lets kites reach an embedded Kontrol when Spring Security guards the application, as
 * {@code KiteWebSecurityAutoConfiguration} does for the kite endpoint: Kontrol
 * authenticates every call itself (kite keys and tokens inside the messages, the kite key
 * in the register body), and SockJS XHR transports and Go's {@code POST register} carry
 * no CSRF token. So this chain permits {@code kite.kontrol.server.path/**} and the HTTP
 * {@code register} and {@code heartbeat} endpoints, with CSRF off there.
 *
 * <p>
 * Declare a bean named {@code kontrolSecurityFilterChain} for your own rules, or set
 * {@code kite.server.security.permit-endpoint=false} (which also covers the kite
 * endpoint).
 */
@AutoConfiguration(after = { KontrolServerAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ Kontrol.class, SecurityFilterChain.class, HttpSecurity.class,
		ServletWebSecurityAutoConfiguration.class })
@ConditionalOnBean({ Kontrol.class, HttpSecurity.class })
@ConditionalOnBooleanProperty(name = "kite.server.security.permit-endpoint", matchIfMissing = true)
public final class KontrolWebSecurityAutoConfiguration {

	/** The bean name of Kontrol's filter chain. */
	public static final String FILTER_CHAIN_BEAN_NAME = "kontrolSecurityFilterChain";

	@Bean(name = FILTER_CHAIN_BEAN_NAME)
	@ConditionalOnMissingBean(name = FILTER_CHAIN_BEAN_NAME)
	@Order(SecurityFilterProperties.BASIC_AUTH_ORDER - 2)
	SecurityFilterChain kontrolSecurityFilterChain(HttpSecurity http, KontrolServerProperties properties) {
		String path = properties.getPath();
		String base = KontrolServerAutoConfiguration.httpBase(path);
		return http.securityMatcher(path, path + "/**", base + "/register", base + "/heartbeat")
			.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
			.csrf((csrf) -> csrf.disable())
			.requestCache((cache) -> cache.disable())
			.build();
	}

}
