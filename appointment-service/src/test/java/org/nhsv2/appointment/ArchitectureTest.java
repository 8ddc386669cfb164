package org.nhsv2.appointment;

import org.junit.jupiter.api.Test;
import org.nhsv2.platform.testing.ServiceArchitecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The seams every service keeps (see {@link ServiceArchitecture}: command and query apart, the web
 * layer on api types only, messages as plain records), and the appointment service's own.
 */
class ArchitectureTest {

    @Test
    void shouldKeepTheSeamsOfAService() {
        ServiceArchitecture.check("org.nhsv2.appointment",
                noClasses().that().resideInAPackage("org.nhsv2.appointment.web..")
                        .should().dependOnClassesThat().resideInAPackage("org.nhsv2.appointment.patientdata..")
                        .allowEmptyShould(false),
                noClasses().that().resideInAPackage("org.nhsv2.appointment.patientdata..")
                        .should().dependOnClassesThat().resideInAnyPackage("org.nhsv2.appointment.web..",
                                "org.nhsv2.appointment.query..")
                        .allowEmptyShould(false));
    }
}
