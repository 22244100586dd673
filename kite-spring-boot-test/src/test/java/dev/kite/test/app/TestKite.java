package dev.kite.test.app;

import java.security.Principal;
import java.util.List;

import dev.kite.annotation.KiteMethod;
import dev.kite.dnode.RemoteCallback;
import dev.kite.protocol.KiteException;
import org.springframework.stereotype.Component;

/**
 * A kite with one method per thing a test asserts on.
 */
@Component
public class TestKite {

	@KiteMethod(value = "square", authenticated = false)
	public double square(double number) {
		return number * number;
	}

	@KiteMethod(value = "echo", authenticated = false)
	public String echo(String text) {
		return text;
	}

	@KiteMethod(value = "letters", authenticated = false)
	public List<String> letters(String text) {
		return text.chars().mapToObj(Character::toString).toList();
	}

	@KiteMethod(value = "fail", authenticated = false)
	public void fail() {
		throw new KiteException("notFound", "nothing here", "E42");
	}

	@KiteMethod(value = "twice", authenticated = false)
	public void twice(double number, RemoteCallback callback) {
		callback.call(number);
		callback.call(number * 2);
	}

	@KiteMethod("whoami")
	public String whoami(Principal caller) {
		return caller.getName();
	}

}
