package org.nhsv2.payment;

import org.junit.jupiter.api.Test;
import org.nhsv2.platform.testing.ServiceArchitecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The seams every service keeps (see {@link ServiceArchitecture}), and the payment service's own. */
class ArchitectureTest {

    @Test
    void shouldKeepTheSeamsOfAService() {
        ServiceArchitecture.check("org.nhsv2.payment",
                // Stripe is reached only through the command side's port; the sandbox only plays it locally.
                noClasses().that().resideOutsideOfPackages("org.nhsv2.payment.stripe..", "org.nhsv2.payment.sandbox..")
                        .should().dependOnClassesThat().resideInAPackage("com.stripe..")
                        .allowEmptyShould(false),
                noClasses().that().resideOutsideOfPackage("org.nhsv2.payment.sandbox..")
                        .should().dependOnClassesThat().resideInAPackage("org.nhsv2.payment.sandbox..")
                        .allowEmptyShould(false));
    }
}
