package org.nhsv2.payment.web;

import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.nhsv2.payment.api.FindFacilityTransactionsQuery;
import org.nhsv2.payment.api.PaymentError;
import org.nhsv2.payment.api.TransactionPage;
import org.nhsv2.payment.api.TransactionStatus;
import org.nhsv2.platform.api.Actor;
import org.nhsv2.platform.problem.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.UUID;

@RestController
@Tag(name = "Facilities", description = "A facility's payments")
@RequestMapping("/api/facilities")
class FacilityController {

    private final QueryGateway queries;

    FacilityController(QueryGateway queries) {
        this.queries = queries;
    }

    /** Newest first; for the facility's doctors and admins. */
    @GetMapping("/{facilityId}/transactions")
    TransactionPage transactions(@PathVariable UUID facilityId,
                                 @RequestParam(required = false) TransactionStatus status,
                                 @RequestParam(defaultValue = "0") @Min(0) @Max(10_000) int page,
                                 @RequestParam(defaultValue = "50") @Min(1) @Max(200) int size, Actor actor) {
        if (actor.role() != Actor.Role.ADMIN && !actor.worksAt(facilityId)) {
            throw new ErrorResponseException(HttpStatus.FORBIDDEN, Problems.of(HttpStatus.FORBIDDEN,
                    PaymentError.FACILITY_FORBIDDEN.code(), PaymentError.FACILITY_FORBIDDEN.title(),
                    "You are not a member of facility " + facilityId), null);
        }
        return queries.query(new FindFacilityTransactionsQuery(facilityId, status, page, size),
                ResponseTypes.instanceOf(TransactionPage.class)).join();
    }
}
