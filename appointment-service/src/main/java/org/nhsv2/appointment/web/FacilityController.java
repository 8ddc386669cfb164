package org.nhsv2.appointment.web;

import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.nhsv2.appointment.api.AppointmentError;
import org.nhsv2.appointment.api.AppointmentPage;
import org.nhsv2.appointment.api.AppointmentStatus;
import org.nhsv2.appointment.api.AppointmentTimes;
import org.nhsv2.appointment.api.FacilityView;
import org.nhsv2.appointment.api.FindFacilitiesQuery;
import org.nhsv2.appointment.api.FindFacilityAppointmentsQuery;
import org.nhsv2.platform.api.Actor;
import org.nhsv2.platform.problem.Problems;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

@RestController
@Tag(name = "Facilities", description = "Facilities and their appointments by local day")
@RequestMapping("/api/facilities")
class FacilityController {

    static final int MAX_DAYS = 31;

    private final QueryGateway queries;
    private final Clock clock;

    FacilityController(QueryGateway queries, Clock clock) {
        this.queries = queries;
        this.clock = clock;
    }

    @GetMapping
    List<FacilityView> facilities() {
        return queries.query(new FindFacilitiesQuery(), ResponseTypes.multipleInstancesOf(FacilityView.class)).join();
    }

    /** {@code from} and {@code to} are the facility's local days, inclusive; {@code to} defaults to {@code from}. */
    @GetMapping("/{facilityId}/appointments")
    AppointmentPage appointments(@PathVariable UUID facilityId,
                                 @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
                                 @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
                                 @RequestParam(required = false) UUID doctorId,
                                 @RequestParam(required = false) AppointmentStatus status,
                                 @RequestParam(defaultValue = "0") @Min(0) @Max(10_000) int page,
                                 @RequestParam(defaultValue = "50") @Min(1) @Max(200) int size,
                                 Actor actor) {
        if (actor.role() != Actor.Role.ADMIN && !actor.worksAt(facilityId)) {
            throw new ErrorResponseException(HttpStatus.FORBIDDEN, Problems.of(HttpStatus.FORBIDDEN,
                    AppointmentError.FACILITY_FORBIDDEN.code(), AppointmentError.FACILITY_FORBIDDEN.title(),
                    "You are not a member of facility " + facilityId), null);
        }
        LocalDate until = to != null ? to : from;
        Instant now = clock.instant();
        if (!AppointmentTimes.isWithinListingWindow(from, now) || !AppointmentTimes.isWithinListingWindow(until, now)) {
            throw new ErrorResponseException(HttpStatus.BAD_REQUEST, Problems.of(HttpStatus.BAD_REQUEST,
                    "invalid-range", "Invalid date range", "'from' and 'to' must be within "
                            + AppointmentTimes.LISTING_WINDOW_YEARS + " years of today"), null);
        }
        if (until.isBefore(from) || ChronoUnit.DAYS.between(from, until) >= MAX_DAYS) {
            throw new ErrorResponseException(HttpStatus.BAD_REQUEST, Problems.of(HttpStatus.BAD_REQUEST,
                    "invalid-range", "Invalid date range",
                    "'to' must be on or after 'from' and the range at most " + MAX_DAYS + " days"), null);
        }
        return queries.query(new FindFacilityAppointmentsQuery(facilityId, from, until, doctorId, status, page, size),
                        ResponseTypes.optionalInstanceOf(AppointmentPage.class)).join()
                .orElseThrow(() -> new ErrorResponseException(HttpStatus.NOT_FOUND, Problems.of(HttpStatus.NOT_FOUND,
                        "facility-not-found", "No such facility", "No facility " + facilityId), null));
    }
}
