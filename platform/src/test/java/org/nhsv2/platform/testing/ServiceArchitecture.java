package org.nhsv2.platform.testing;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.axonframework.modelling.command.AggregateRoot;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.ArrayList;
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
 * The seams of STYLE.md's "Architecture rules", for any service laid out as {@code <service>.api},
 * {@code .command}, {@code .query}, {@code .web}. No rule passes vacuously: a rule whose subject
 * package is empty fails, and every package a rule names must hold classes.
 */
public final class ServiceArchitecture {

    /** Plain types every service's messages may carry (Actor, EncryptedText, Rejection, ...). */
    private static final String PLATFORM_API = "org.nhsv2.platform.api..";

    private final String service;
    private final String api;
    private final String command;
    private final String query;
    private final String web;

    private ServiceArchitecture(String servicePackage) {
        this.service = servicePackage + "..";
        this.api = servicePackage + ".api..";
        this.command = servicePackage + ".command..";
        this.query = servicePackage + ".query..";
        this.web = servicePackage + ".web..";
    }

    /** Checks every rule on the service's main classes; {@code more} are the service's own rules. */
    public static void check(String servicePackage, ArchRule... more) {
        ServiceArchitecture architecture = new ServiceArchitecture(servicePackage);
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(servicePackage);
        for (String named : List.of(architecture.api, architecture.command, architecture.query, architecture.web)) {
            assertThat(classes.that(resideInAPackage(named))).as("classes in %s", named).isNotEmpty();
        }
        List<ArchRule> rules = new ArrayList<>(architecture.rules());
        rules.addAll(List.of(more));
        rules.forEach(rule -> rule.check(classes));
    }

    private List<ArchRule> rules() {
        return List.of(
                noClasses().that().resideInAPackage(command)
                        .should().dependOnClassesThat().resideInAPackage(query)
                        .allowEmptyShould(false),
                noClasses().that().resideInAPackage(query)
                        .should().dependOnClassesThat().resideInAPackage(command)
                        .allowEmptyShould(false),
                // Of the service's own code, the web layer sees only api types; Axon gateways and Spring are fine.
                noClasses().that().resideInAPackage(web)
                        .should().dependOnClassesThat(resideInAPackage(service).and(resideOutsideOfPackages(web, api)))
                        .allowEmptyShould(false),
                noClasses().that().resideInAPackage(api)
                        .should().dependOnClassesThat()
                        .resideInAnyPackage("org.springframework..", "jakarta.persistence..", "javax.persistence..")
                        .allowEmptyShould(false),
                noClasses().that().resideInAPackage(api)
                        .should().dependOnClassesThat(resideInAPackage(service).and(resideOutsideOfPackage(api)))
                        .allowEmptyShould(false),
                // Messages travel and get stored: plain Java plus Axon's and Jackson's annotations, nothing else.
                classes().that().resideInAPackage(api)
                        .should().onlyDependOnClassesThat(resideInAnyPackage("java..", api, PLATFORM_API,
                                "com.fasterxml.jackson.annotation..")
                                .or(resideInAPackage("org.axonframework..").and(ANNOTATIONS)))
                        .allowEmptyShould(false),
                classes().that().areAnnotatedWith(Aggregate.class).or().areMetaAnnotatedWith(AggregateRoot.class)
                        .should().resideInAPackage(command).andShould().notBePublic()
                        .allowEmptyShould(false),
                classes().that().haveSimpleNameEndingWith("Command").or().haveSimpleNameEndingWith("Event")
                        .or().haveSimpleNameEndingWith("Query")
                        .should().beRecords()
                        .allowEmptyShould(false));
    }
}
