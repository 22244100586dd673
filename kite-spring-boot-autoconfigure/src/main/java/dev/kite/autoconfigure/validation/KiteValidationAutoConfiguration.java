package dev.kite.autoconfigure.validation;

import dev.kite.autoconfigure.KiteServerAutoConfiguration;
import jakarta.validation.ConstraintViolationException;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Bean Validation failures of {@code @KiteMethod} arguments answer {@code argumentError}
 * ({@link BeanValidationKiteExceptionResolver}) when the application has Bean Validation
 * (e.g. {@code spring-boot-starter-validation}); the methods of {@code @Validated} beans
 * are validated by Boot's {@code MethodValidationPostProcessor}.
 */
@AutoConfiguration(before = KiteServerAutoConfiguration.class)
@ConditionalOnClass(ConstraintViolationException.class)
public final class KiteValidationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	BeanValidationKiteExceptionResolver beanValidationKiteExceptionResolver() {
		return new BeanValidationKiteExceptionResolver();
	}

}
