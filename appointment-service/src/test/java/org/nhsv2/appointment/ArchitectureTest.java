package org.nhsv2.appointment;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.axonframework.modelling.command.AggregateRoot;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.List;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.ANNOTATIONS;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seams of STYLE.md's "Architecture rules". Every rule refuses to pass vacuously: rules whose
 * subject package is empty fail ({@code allowEmptyShould(false)}), and packages that are only ever
 * the target of a rule are checked for classes in {@link #shouldFindClassesWhenAPackageIsNamedByARule}.
 */
@AnalyzeClasses(packages = "org.nhsv2.appointment", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String SERVICE = "org.nhsv2.appointment..";
    /** Plain types every service's messages may carry (Actor, EncryptedText, Rejection, ...). */
    private static final String PLATFORM_API = "org.nhsv2.platform.api..";
    private static final String API = "org.nhsv2.appointment.api..";
    private static final String COMMAND = "org.nhsv2.appointment.command..";
    private static final String QUERY = "org.nhsv2.appointment.query..";
    private static final String WEB = "org.nhsv2.appointment.web..";
    private static final String PATIENT_DATA = "org.nhsv2.appointment.patientdata..";

    @ArchTest
    static final ArchRule commandShouldNotDependOnQuery = noClasses()
            .that().resideInAPackage(COMMAND)
            .should().dependOnClassesThat().resideInAPackage(QUERY)
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule queryShouldNotDependOnCommand = noClasses()
            .that().resideInAPackage(QUERY)
            .should().dependOnClassesThat().resideInAPackage(COMMAND)
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule webShouldNotDependOnCommandQueryOrPatientData = noClasses()
            .that().resideInAPackage(WEB)
            .should().dependOnClassesThat().resideInAnyPackage(COMMAND, QUERY, PATIENT_DATA)
            .allowEmptyShould(false);

    /** Of the service's own code, the web layer sees only {@code api} types; Axon gateways and Spring are fine. */
    @ArchTest
    static final ArchRule webShouldUseNoServiceTypesButApi = noClasses()
            .that().resideInAPackage(WEB)
            .should().dependOnClassesThat(resideInAPackage(SERVICE).and(resideOutsideOfPackages(WEB, API)))
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule apiShouldNotDependOnSpringOrJpa = noClasses()
            .that().resideInAPackage(API)
            .should().dependOnClassesThat()
            .resideInAnyPackage("org.springframework..", "jakarta.persistence..", "javax.persistence..")
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule apiShouldNotDependOnOtherServicePackages = noClasses()
            .that().resideInAPackage(API)
            .should().dependOnClassesThat(resideInAPackage(SERVICE).and(resideOutsideOfPackage(API)))
            .allowEmptyShould(false);

    /**
     * Messages travel and get stored: plain Java plus Axon's annotations and Jackson's annotation package
     * (which also holds the annotations' member types, such as {@code JsonCreator.Mode}), nothing else.
     */
    @ArchTest
    static final ArchRule apiShouldUseOnlyJavaAndAxonOrJacksonAnnotations = classes()
            .that().resideInAPackage(API)
            .should().onlyDependOnClassesThat(resideInAnyPackage("java..", API, PLATFORM_API, "com.fasterxml.jackson.annotation..")
                    .or(resideInAPackage("org.axonframework..").and(ANNOTATIONS)))
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule aggregatesShouldBePackagePrivateInCommand = classes()
            .that().areAnnotatedWith(Aggregate.class)
            .or().areMetaAnnotatedWith(AggregateRoot.class)
            .should().resideInAPackage(COMMAND)
            .andShould().notBePublic()
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule commandsEventsAndQueriesShouldBeRecords = classes()
            .that().haveSimpleNameEndingWith("Command")
            .or().haveSimpleNameEndingWith("Event")
            .or().haveSimpleNameEndingWith("Query")
            .should().beRecords()
            .allowEmptyShould(false);

    /** A rule about a package that does not exist can never fail (library's {@code ..ui..} rules). */
    @ArchTest
    static void shouldFindClassesWhenAPackageIsNamedByARule(JavaClasses classes) {
        for (String namedPackage : List.of(API, COMMAND, QUERY, WEB, PATIENT_DATA)) {
            assertThat(classes.that(resideInAPackage(namedPackage)))
                    .as("classes in %s", namedPackage)
                    .isNotEmpty();
        }
    }
}
