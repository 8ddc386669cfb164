package org.nhsv2.platform;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.stereotype.Component;
import org.springframework.stereotype.Repository;
import org.springframework.stereotype.Service;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.ANNOTATIONS;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The library knows no service, is switched on by depending on it (auto-configurations listed in
 * their imports file, nothing for a component scan to find), and its api package is what services'
 * messages may carry: plain Java with Axon's and Jackson's annotations.
 */
@AnalyzeClasses(packages = "org.nhsv2.platform", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String API = "org.nhsv2.platform.api..";

    @ArchTest
    static final ArchRule platformShouldKnowNoService = noClasses()
            .that().resideInAPackage("org.nhsv2.platform..")
            .should().dependOnClassesThat().resideInAnyPackage("org.nhsv2.appointment..", "org.nhsv2.payment..",
                    "org.nhsv2.notification..")
            .allowEmptyShould(false);

    /** Beans come from the auto-configurations' {@code @Bean} methods, never from a scan of this package. */
    @ArchTest
    static final ArchRule nothingShouldWaitForAComponentScan = noClasses()
            .should().beAnnotatedWith(Component.class).orShould().beAnnotatedWith(Service.class)
            .orShould().beAnnotatedWith(Repository.class)
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule apiShouldBePlainJava = classes()
            .that().resideInAPackage(API)
            .should().onlyDependOnClassesThat(resideInAnyPackage("java..", API, "com.fasterxml.jackson.annotation..")
                    .or(resideInAPackage("org.axonframework..").and(ANNOTATIONS)))
            .allowEmptyShould(false);

    /** Every auto-configuration is listed, and every listed class is one. */
    @ArchTest
    static void shouldListEveryAutoConfiguration(JavaClasses classes) throws IOException {
        List<String> listed = imports("META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports");
        List<String> declared = classes.stream().filter(c -> c.isAnnotatedWith(AutoConfiguration.class))
                .map(c -> c.getName()).toList();
        assertThat(listed).containsExactlyInAnyOrderElementsOf(declared).isNotEmpty();
    }

    private static List<String> imports(String resource) throws IOException {
        try (InputStream in = Objects.requireNonNull(ArchitectureTest.class.getClassLoader().getResourceAsStream(resource))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        }
    }
}
