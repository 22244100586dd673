package dev.kite.autoconfigure.validation;

import java.util.List;
import java.util.stream.Collectors;

import dev.kite.protocol.KiteError;
import dev.kite.protocol.KiteErrorTypes;
import dev.kite.rpc.KiteExceptionResolver;
import dev.kite.rpc.KiteRequest;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import org.jspecify.annotations.Nullable;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.context.support.DefaultMessageSourceResolvable;
import org.springframework.core.Ordered;
import org.springframework.validation.FieldError;
import org.springframework.validation.method.MethodValidationException;
import org.springframework.validation.method.ParameterValidationResult;

/**
 * Answers a Bean Validation failure of a {@code @KiteMethod}'s arguments (a
 * {@code @Validated} bean's method validation: {@link ConstraintViolationException}, or
 * Spring's {@link MethodValidationException} when violations are adapted) with
 * {@code argumentError} listing the violated constraints, e.g.
 * {@code "Invalid arguments: value: must be greater than or equal to 0"}, instead of
 * {@code genericError}. Paths start at the parameter (its name when compiled with
 * {@code -parameters}, else {@code arg0}…), sorted so the message is stable. The messages
 * are the constraints' own, meant for callers; the rejected values are not repeated.
 *
 * <p>
 * Thread safety: stateless.
 */
public class BeanValidationKiteExceptionResolver implements KiteExceptionResolver, Ordered {

	@Override
	public @Nullable KiteError resolve(Throwable failure, KiteRequest request) {
		List<String> violations;
		if (failure instanceof ConstraintViolationException constraints) {
			violations = constraints.getConstraintViolations()
				.stream()
				.map(BeanValidationKiteExceptionResolver::describe)
				.toList();
		}
		else if (failure instanceof MethodValidationException validation) {
			violations = validation.getParameterValidationResults()
				.stream()
				.flatMap((result) -> result.getResolvableErrors().stream().map((error) -> describe(result, error)))
				.toList();
		}
		else {
			return null;
		}
		return KiteError.of(KiteErrorTypes.ARGUMENT_ERROR,
				"Invalid arguments: " + violations.stream().sorted().collect(Collectors.joining("; ")));
	}

	private static String describe(ConstraintViolation<?> violation) {
		StringBuilder path = new StringBuilder();
		for (Path.Node node : violation.getPropertyPath()) {
			if (node.getKind() == ElementKind.METHOD || node.getKind() == ElementKind.CONSTRUCTOR) {
				continue; // the kite method's name is known to the caller
			}
			String text = node.toString();
			if (path.length() > 0 && !text.startsWith("[")) {
				path.append('.');
			}
			path.append(text);
		}
		return path + ": " + violation.getMessage();
	}

	private static String describe(ParameterValidationResult result, MessageSourceResolvable error) {
		String parameter = result.getMethodParameter().getParameterName();
		String path = (parameter != null) ? parameter : "arg" + result.getMethodParameter().getParameterIndex();
		if (error instanceof FieldError field) {
			path = path + "." + field.getField();
		}
		String message = (error instanceof DefaultMessageSourceResolvable resolvable) ? resolvable.getDefaultMessage()
				: error.getDefaultMessage();
		return path + ": " + message;
	}

	/**
	 * Before {@code @KiteAdvice} handlers and the default resolver's
	 * {@code genericError}.
	 */
	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE - 100;
	}

}
