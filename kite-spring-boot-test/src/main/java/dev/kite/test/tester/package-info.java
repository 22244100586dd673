/**
 * Calling a kite under test the way a remote peer does, with AssertJ assertions on what
 * it answers: {@link dev.kite.test.tester.KiteTester}.
 */
@NullMarked
package dev.kite.test.tester;

import org.jspecify.annotations.NullMarked;
