package org.nhsv2.appointment.web;

import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.nhsv2.appointment.api.AppointmentError;
import org.nhsv2.appointment.api.AppointmentHistory;
import org.nhsv2.appointment.api.AppointmentRejection;
import org.nhsv2.appointment.api.AppointmentStatus;
import org.nhsv2.appointment.api.AppointmentView;
import org.nhsv2.appointment.api.CancelAppointmentCommand;
import org.nhsv2.appointment.api.FindAppointmentHistoryQuery;
import org.nhsv2.appointment.api.FindAppointmentQuery;
import org.nhsv2.appointment.api.MarkAppointmentFulfilledCommand;
import org.nhsv2.appointment.api.MarkAppointmentNoShowCommand;
import org.nhsv2.appointment.api.RescheduleAppointmentCommand;
import org.nhsv2.platform.api.Actor;
import org.nhsv2.platform.problem.Problems;
import org.nhsv2.platform.web.IdempotencyKeyHeader;
import org.nhsv2.platform.web.ReadYourWrites;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

@RestController
@Tag(name = "Appointments", description = "Book, read, reschedule, cancel and complete appointments")
@RequestMapping("/api/appointments")
class AppointmentController {

    static final String IDEMPOTENCY_KEY = IdempotencyKeyHeader.NAME;
    static final String IDEMPOTENT_REPLAYED = IdempotencyKeyHeader.REPLAYED;

    private final ReadYourWrites readYourWrites;
    private final QueryGateway queries;

    AppointmentController(ReadYourWrites readYourWrites, QueryGateway queries) {
        this.readYourWrites = readYourWrites;
        this.queries = queries;
    }

    @PostMapping
    @ApiResponse(responseCode = "201", description = "Booked; the body is the appointment as readers now see it")
    @ApiResponse(responseCode = "202", description = "Booked; the read side is catching up, follow Location")
    ResponseEntity<AppointmentView> book(@Valid @RequestBody BookAppointmentRequest request,
                                         @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String key,
                                         Actor actor) {
        UUID appointmentId = UUID.randomUUID();
        var command = request.toCommand(appointmentId, actor.id(), IdempotencyKeyHeader.parse(key, actor.id()));
        try {
            return readYourWrites.send(command, actor, new FindAppointmentQuery(appointmentId), AppointmentView.class,
                            view -> true)
                    .map(view -> ResponseEntity.created(location(appointmentId)).body(view))
                    .orElseGet(() -> ResponseEntity.accepted().location(location(appointmentId)).build());
        } catch (CommandExecutionException e) {
            Optional<UUID> original = e.getDetails()
                    .filter(AppointmentRejection.class::isInstance).map(AppointmentRejection.class::cast)
                    .filter(rejection -> rejection.error() == AppointmentError.DUPLICATE_REQUEST)
                    .map(AppointmentRejection::originalAppointmentId);
            if (original.isEmpty()) {
                throw e;
            }
            return replay(original.get());
        }
    }

    @GetMapping("/{appointmentId}")
    AppointmentView get(@PathVariable UUID appointmentId, Actor actor) {
        return readable(appointmentId, actor);
    }

    @GetMapping("/{appointmentId}/history")
    AppointmentHistory history(@PathVariable UUID appointmentId, Actor actor) {
        readable(appointmentId, actor);
        return queries.query(new FindAppointmentHistoryQuery(appointmentId),
                        ResponseTypes.optionalInstanceOf(AppointmentHistory.class)).join()
                .orElseThrow(() -> notFound(appointmentId));
    }

    @PostMapping("/{appointmentId}/reschedule")
    ResponseEntity<AppointmentView> reschedule(@PathVariable UUID appointmentId,
                                               @Valid @RequestBody RescheduleRequest request, Actor actor) {
        Predicate<AppointmentView> moved = view ->
                (request.start() == null || view.start().equals(request.start()))
                        && (request.durationMinutes() == null || view.durationMinutes() == request.durationMinutes());
        return change(appointmentId, new RescheduleAppointmentCommand(appointmentId, request.start(),
                request.durationMinutes(), request.reason()), actor, moved);
    }

    @PostMapping("/{appointmentId}/cancel")
    ResponseEntity<AppointmentView> cancel(@PathVariable UUID appointmentId, @Valid @RequestBody CancelRequest request,
                                           Actor actor) {
        return change(appointmentId, new CancelAppointmentCommand(appointmentId, request.reason()), actor,
                view -> view.status() == AppointmentStatus.CANCELLED);
    }

    @PostMapping("/{appointmentId}/fulfil")
    ResponseEntity<AppointmentView> fulfil(@PathVariable UUID appointmentId, Actor actor) {
        return change(appointmentId, new MarkAppointmentFulfilledCommand(appointmentId), actor,
                view -> view.status() == AppointmentStatus.FULFILLED);
    }

    @PostMapping("/{appointmentId}/no-show")
    ResponseEntity<AppointmentView> noShow(@PathVariable UUID appointmentId, Actor actor) {
        return change(appointmentId, new MarkAppointmentNoShowCommand(appointmentId), actor,
                view -> view.status() == AppointmentStatus.NO_SHOW);
    }

    private ResponseEntity<AppointmentView> change(UUID appointmentId, Object command, Actor actor,
                                                   Predicate<AppointmentView> done) {
        return readYourWrites.send(command, actor, new FindAppointmentQuery(appointmentId), AppointmentView.class, done)
                .map(ResponseEntity::ok)
                .orElseGet(() -> ResponseEntity.accepted().location(location(appointmentId)).build());
    }

    private ResponseEntity<AppointmentView> replay(UUID originalId) {
        return find(originalId)
                .map(view -> ResponseEntity.created(location(originalId)).header(IDEMPOTENT_REPLAYED, "true").body(view))
                .orElseGet(() -> ResponseEntity.accepted().location(location(originalId))
                        .header(IDEMPOTENT_REPLAYED, "true").build());
    }

    /** Doctors see their facilities' appointments, patients their own (others' look absent), admins all. */
    private AppointmentView readable(UUID appointmentId, Actor actor) {
        AppointmentView view = find(appointmentId).orElseThrow(() -> notFound(appointmentId));
        switch (actor.role()) {
            case DOCTOR -> {
                if (!actor.worksAt(view.facilityId())) {
                    throw new ErrorResponseException(HttpStatus.FORBIDDEN, Problems.of(HttpStatus.FORBIDDEN,
                            AppointmentError.FACILITY_FORBIDDEN.code(), AppointmentError.FACILITY_FORBIDDEN.title(),
                            "The appointment belongs to a facility you are not a member of"), null);
                }
            }
            case PATIENT -> {
                if (!actor.is(view.patientId())) {
                    throw notFound(appointmentId);
                }
            }
            case ADMIN -> {
                // Operators may read everything.
            }
        }
        return view;
    }

    private Optional<AppointmentView> find(UUID appointmentId) {
        return queries.query(new FindAppointmentQuery(appointmentId),
                ResponseTypes.optionalInstanceOf(AppointmentView.class)).join();
    }

    static ErrorResponseException notFound(UUID appointmentId) {
        return new ErrorResponseException(HttpStatus.NOT_FOUND, Problems.of(HttpStatus.NOT_FOUND,
                AppointmentError.APPOINTMENT_NOT_FOUND.code(), AppointmentError.APPOINTMENT_NOT_FOUND.title(),
                "No appointment " + appointmentId + " that you may see"), null);
    }

    static URI location(UUID appointmentId) {
        return URI.create("/api/appointments/" + appointmentId);
    }
}
