package org.nhsv2.appointment.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.nhsv2.appointment.api.CalendarEntry;
import org.nhsv2.appointment.api.FindDoctorCalendarQuery;
import org.nhsv2.platform.api.Actor;
import org.nhsv2.platform.problem.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

@RestController
@Tag(name = "Doctors", description = "A doctor's calendar, when no Google Calendar is configured")
@RequestMapping("/api/doctors")
class DoctorController {

    /** The feed starts a month back, so a recent change still reaches a client that synchronises late. */
    static final Duration LOOK_BACK = Duration.ofDays(30);
    static final int MAX_ENTRIES = 2_000;
    static final MediaType CALENDAR = MediaType.parseMediaType("text/calendar;charset=UTF-8");

    private final QueryGateway queries;
    private final Clock clock;

    DoctorController(QueryGateway queries, Clock clock) {
        this.queries = queries;
        this.clock = clock;
    }

    @Operation(summary = "The doctor's appointments as an iCalendar feed (that doctor, or ADMIN)")
    @GetMapping(value = "/{doctorId}/calendar.ics", produces = "text/calendar")
    ResponseEntity<String> calendar(@PathVariable UUID doctorId, Actor actor) {
        if (actor.role() != Actor.Role.ADMIN && !actor.is(doctorId)) {
            throw new ErrorResponseException(HttpStatus.FORBIDDEN, Problems.of(HttpStatus.FORBIDDEN,
                    "calendar-forbidden", "Not your calendar", "Only that doctor or an admin may read it"), null);
        }
        List<CalendarEntry> entries = queries.query(new FindDoctorCalendarQuery(doctorId,
                clock.instant().minus(LOOK_BACK), MAX_ENTRIES), ResponseTypes.multipleInstancesOf(CalendarEntry.class)).join();
        return ResponseEntity.ok().contentType(CALENDAR).body(DoctorCalendarFeed.of(entries));
    }
}
