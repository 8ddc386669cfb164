package org.nhsv2.notification;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import java.util.List;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The notification service's seams. It has none of the Axon seams that the platform's
 * {@code ServiceArchitecture} checks (no api, command or query packages), so its rules are its own, in
 * the same spirit: ports and adapters, each outside library behind one package, no rule about a package
 * that does not exist.
 */
class ArchitectureTest {

    private static final String SERVICE = "org.nhsv2.notification";
    private static final String EMAIL = SERVICE + ".email..";
    private static final String TEMPLATE = SERVICE + ".template..";
    private static final String MAILBOX = SERVICE + ".mailbox..";
    private static final String SENDGRID = SERVICE + ".sendgrid..";
    private static final String ERASURE = SERVICE + ".erasure..";
    private static final String WEB = SERVICE + ".web..";
    private static final String CONFIG = SERVICE + ".config..";

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(SERVICE);

    @Test
    void shouldKeepTheSeamsOfTheService() {
        for (String named : List.of(EMAIL, TEMPLATE, MAILBOX, SENDGRID, ERASURE, WEB, CONFIG)) {
            assertThat(classes.that(resideInAPackage(named))).as("classes in %s", named).isNotEmpty();
        }
        List<ArchRule> rules = List.of(
                // Handling a request knows the sending port, not where emails go.
                noClasses().that().resideInAPackage(EMAIL)
                        .should().dependOnClassesThat().resideInAnyPackage(MAILBOX, SENDGRID, ERASURE, WEB, CONFIG)
                        .allowEmptyShould(false),
                noClasses().that().resideInAPackage(TEMPLATE)
                        .should().dependOnClassesThat().resideInAnyPackage(EMAIL, MAILBOX, SENDGRID, ERASURE, WEB, CONFIG)
                        .allowEmptyShould(false),
                // The web layer reads the mailbox and nothing else of the service.
                noClasses().that().resideInAPackage(WEB)
                        .should().dependOnClassesThat().resideInAnyPackage(EMAIL, TEMPLATE, SENDGRID, ERASURE, CONFIG)
                        .allowEmptyShould(false),
                noClasses().that().resideInAnyPackage(MAILBOX, SENDGRID)
                        .should().dependOnClassesThat().resideInAnyPackage(TEMPLATE, ERASURE, WEB, CONFIG)
                        .allowEmptyShould(false),
                noClasses().that().resideInAPackage(SENDGRID)
                        .should().dependOnClassesThat().resideInAPackage(MAILBOX)
                        .allowEmptyShould(false),
                // Each outside library behind its own package.
                noClasses().that().resideOutsideOfPackage(SENDGRID)
                        .should().dependOnClassesThat().resideInAnyPackage("com.sendgrid..", "org.apache.http..")
                        .allowEmptyShould(false),
                noClasses().that().resideOutsideOfPackage(TEMPLATE)
                        .should().dependOnClassesThat().resideInAPackage("org.thymeleaf..")
                        .allowEmptyShould(false),
                // Axon is on the class path only for the platform's problem advice: this service uses none of it.
                noClasses().should().dependOnClassesThat().resideInAPackage("org.axonframework..")
                        .allowEmptyShould(false),
                classes().that().resideInAPackage(WEB).and().haveSimpleNameEndingWith("Controller")
                        .should().notBePublic()
                        .allowEmptyShould(false));
        rules.forEach(rule -> rule.check(classes));
    }
}
