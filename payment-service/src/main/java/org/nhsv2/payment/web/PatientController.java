package org.nhsv2.payment.web;

import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.nhsv2.payment.api.FindPatientTransactionsQuery;
import org.nhsv2.payment.api.TransactionPage;
import org.nhsv2.platform.api.Actor;
import org.nhsv2.platform.api.ErasePatientPersonalDataCommand;
import org.nhsv2.platform.api.PersonalDataErasureReport;
import org.nhsv2.platform.web.ErasureResponse;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.UUID;

@RestController
@Tag(name = "Patients", description = "A patient's payments, and erasure of their personal data")
@RequestMapping("/api/patients")
class PatientController {

    private final CommandGateway commands;
    private final QueryGateway queries;

    PatientController(CommandGateway commands, QueryGateway queries) {
        this.commands = commands;
        this.queries = queries;
    }

    /** Newest first. */
    @GetMapping("/me/transactions")
    TransactionPage mine(@RequestParam(defaultValue = "0") @Min(0) @Max(10_000) int page,
                         @RequestParam(defaultValue = "50") @Min(1) @Max(200) int size, Actor actor) {
        return queries.query(new FindPatientTransactionsQuery(actor.id(), page, size),
                ResponseTypes.instanceOf(TransactionPage.class)).join();
    }

    /**
     * Destroys the patient's data key in this service: names, emails and refund reasons of their
     * transactions read "[erased]" from then on. Always recorded; the answer says what was erased.
     */
    @DeleteMapping("/{patientId}/personal-data")
    ErasureResponse erase(@PathVariable UUID patientId, Actor actor) {
        PersonalDataErasureReport report = commands.sendAndWait(new ErasePatientPersonalDataCommand(patientId),
                MetaData.from(actor.metaData()));
        return ErasureResponse.of(report, "checkout request");
    }
}
