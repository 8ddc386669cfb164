package org.nhsv2.platform.web;

import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.nhsv2.platform.api.Actor;
import org.nhsv2.platform.api.ErasePatientPersonalDataCommand;
import org.nhsv2.platform.api.PersonalDataErasureReport;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.util.UUID;

/**
 * {@code DELETE /api/patients/{patientId}/personal-data} in every service that holds personal data:
 * destroys the patient's data key there, so everything it sealed reads "[erased]". Always recorded,
 * also when there was nothing to erase; the answer says what was erased. For ADMIN only
 * ({@link org.nhsv2.platform.security.ApiSecurity#chain}).
 */
@RestController
@Tag(name = "Patients")
public class PersonalDataErasureController {

    /** The route, as the security chain matches it. */
    public static final String PATH = "/api/patients/*/personal-data";

    private final ObjectProvider<CommandGateway> commands;
    private final String requestName;

    /** @param requestName what the service's Idempotency-Keys remember, as the answer names it ("booking request") */
    PersonalDataErasureController(ObjectProvider<CommandGateway> commands, String requestName) {
        this.commands = commands;
        this.requestName = requestName;
    }

    @DeleteMapping("/api/patients/{patientId}/personal-data")
    ErasureResponse erase(@PathVariable UUID patientId, Actor actor) {
        PersonalDataErasureReport report = commands.getObject().sendAndWait(new ErasePatientPersonalDataCommand(patientId),
                MetaData.from(actor.metaData()));
        return ErasureResponse.of(report, requestName);
    }
}
