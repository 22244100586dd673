package dev.kite.test.app;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The tiny kite application the test support is tested against.
 */
@SpringBootApplication
public class TestKiteApplication {

}
