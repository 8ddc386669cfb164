package org.nhsv2.platform.web;

import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.nhsv2.platform.api.Actor;
import org.nhsv2.platform.api.ErasePatientPersonalDataCommand;
import org.nhsv2.platform.api.ErasureBasis;
import org.nhsv2.platform.api.PersonalDataErasureReport;
import org.nhsv2.platform.problem.Problems;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code DELETE /api/patients/{patientId}/personal-data?basis=…&reference=…} in every service that holds personal
 * data: destroys the patient's data key there, so everything it sealed reads "[erased]". Always recorded, with who
 * asked and why ({@link ErasureBasis}, and the operator's own reference), also when there was nothing to erase; the
 * answer says what was erased. For ADMIN only ({@link org.nhsv2.platform.security.ApiSecurity#chain}).
 */
@RestController
@Tag(name = "Patients")
public class PersonalDataErasureController {

    /** The route, as the security chain matches it. */
    public static final String PATH = "/api/patients/*/personal-data";
    /** A reference in the operator's own records, such as a ticket number: no spaces, so no sentence about anyone. */
    static final String REFERENCE = "[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}";
    private static final Pattern REFERENCE_PATTERN = Pattern.compile(REFERENCE);

    private final ObjectProvider<CommandGateway> commands;
    private final String requestName;

    /** @param requestName what the service's Idempotency-Keys remember, as the answer names it ("booking request") */
    PersonalDataErasureController(ObjectProvider<CommandGateway> commands, String requestName) {
        this.commands = commands;
        this.requestName = requestName;
    }

    @DeleteMapping("/api/patients/{patientId}/personal-data")
    ErasureResponse erase(@PathVariable UUID patientId,
                          @Parameter(required = true, description = "Why the data is erased: the ground acted on",
                                  schema = @Schema(implementation = ErasureBasis.class))
                          @RequestParam(required = false) String basis,
                          @Parameter(description = "The erasure's reference in your own records, such as a ticket"
                                  + " number (letters, digits and . _ : / -, at most 64): never personal data",
                                  schema = @Schema(pattern = REFERENCE, maxLength = 64))
                          @RequestParam(required = false) String reference,
                          Actor actor) {
        PersonalDataErasureReport report = commands.getObject().sendAndWait(command(patientId, basis, reference),
                MetaData.from(actor.metaData()));
        return ErasureResponse.of(report, requestName);
    }

    /** The command, or a 400 {@code invalid-request} naming each parameter that is missing or wrong. */
    private static ErasePatientPersonalDataCommand command(UUID patientId, String basis, String reference) {
        List<Map<String, String>> errors = new ArrayList<>();
        Optional<ErasureBasis> ground = ErasureBasis.named(basis);
        if (ground.isEmpty()) {
            errors.add(Map.of("field", "basis", "message", (basis == null ? "is required" : "is not a known basis")
                    + ": one of " + Arrays.stream(ErasureBasis.values()).map(Enum::name)
                    .collect(Collectors.joining(", "))));
        }
        if (reference != null && !REFERENCE_PATTERN.matcher(reference).matches()) {
            errors.add(Map.of("field", "reference", "message", "must be 1 to 64 letters, digits and . _ : / -,"
                    + " starting with a letter or digit"));
        }
        if (!errors.isEmpty()) {
            throw new ErrorResponseException(HttpStatus.BAD_REQUEST, Problems.invalidRequest(errors), null);
        }
        return new ErasePatientPersonalDataCommand(patientId, ground.get(), reference);
    }
}
