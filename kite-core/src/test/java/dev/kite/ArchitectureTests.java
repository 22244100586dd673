package dev.kite;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layers of kite-core, checked on the compiled classes so that the package tree keeps
 * showing the architecture: wire types and the codec at the bottom, authentication and
 * the shared {@code rpc} layer above them, and the server and the client on top, neither
 * knowing the other.
 */
class ArchitectureTests {

	private static JavaClasses classes;

	@BeforeAll
	static void importClasses() {
		classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages("dev.kite");
	}

	@Test
	void noPackageCycles() {
		slices().matching("dev.kite.(**)").should().beFreeOfCycles().check(classes);
	}

	@Test
	void clientDoesNotKnowTheServer() {
		noClasses().that()
			.resideInAPackage("dev.kite.client..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.kite.server..")
			.check(classes);
	}

	@Test
	void serverDoesNotKnowTheClient() {
		noClasses().that()
			.resideInAPackage("dev.kite.server..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.kite.client..")
			.check(classes);
	}

	@Test
	void sharedLayersKnowNeitherSide() {
		noClasses().that()
			.resideInAnyPackage("dev.kite.rpc..", "dev.kite.auth..", "dev.kite.dnode..", "dev.kite.protocol..",
					"dev.kite.annotation..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.kite.server..", "dev.kite.client..")
			.check(classes);
	}

	@Test
	void wireTypesAndCodecStandAlone() {
		noClasses().that()
			.resideInAnyPackage("dev.kite.protocol..", "dev.kite.dnode..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.kite.rpc..", "dev.kite.auth..", "dev.kite.annotation..")
			.check(classes);
	}

}
