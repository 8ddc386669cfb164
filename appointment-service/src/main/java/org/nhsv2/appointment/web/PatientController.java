package org.nhsv2.appointment.web;

import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.nhsv2.appointment.api.AppointmentPage;
import org.nhsv2.appointment.api.FindPatientAppointmentsQuery;
import org.nhsv2.platform.api.Actor;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Set;
import java.util.UUID;

@RestController
@Tag(name = "Patients", description = "A patient's appointments, and erasure of their personal data")
@RequestMapping("/api/patients")
class PatientController {

    private final QueryGateway queries;

    PatientController(QueryGateway queries) {
        this.queries = queries;
    }

    @GetMapping("/me/appointments")
    AppointmentPage mine(@RequestParam(defaultValue = "0") @Min(0) @Max(10_000) int page,
                         @RequestParam(defaultValue = "50") @Min(1) @Max(200) int size, Actor actor) {
        return find(new FindPatientAppointmentsQuery(actor.id(), Set.of(), page, size));
    }

    /** A doctor sees the patient's appointments at the doctor's own facilities only. */
    @GetMapping("/{patientId}/appointments")
    AppointmentPage ofPatient(@PathVariable UUID patientId,
                              @RequestParam(defaultValue = "0") @Min(0) @Max(10_000) int page,
                              @RequestParam(defaultValue = "50") @Min(1) @Max(200) int size, Actor actor) {
        if (actor.role() == Actor.Role.ADMIN) {
            return find(new FindPatientAppointmentsQuery(patientId, Set.of(), page, size));
        }
        if (actor.facilities().isEmpty()) {
            return new AppointmentPage(List.of(), page, size, 0);
        }
        return find(new FindPatientAppointmentsQuery(patientId, actor.facilities(), page, size));
    }

    private AppointmentPage find(FindPatientAppointmentsQuery query) {
        return queries.query(query, ResponseTypes.instanceOf(AppointmentPage.class)).join();
    }
}
