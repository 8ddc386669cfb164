package org.nhsv2.payment.web;

import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.nhsv2.payment.api.FindPatientTransactionsQuery;
import org.nhsv2.payment.api.TransactionPage;
import org.nhsv2.platform.api.Actor;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Patients", description = "A patient's payments, and erasure of their personal data (ADMIN)")
@RequestMapping("/api/patients")
class PatientController {

    private final QueryGateway queries;

    PatientController(QueryGateway queries) {
        this.queries = queries;
    }

    /** Newest first. */
    @GetMapping("/me/transactions")
    TransactionPage mine(@RequestParam(defaultValue = "0") @Min(0) @Max(10_000) int page,
                         @RequestParam(defaultValue = "50") @Min(1) @Max(200) int size, Actor actor) {
        return queries.query(new FindPatientTransactionsQuery(actor.id(), page, size),
                ResponseTypes.instanceOf(TransactionPage.class)).join();
    }
}
