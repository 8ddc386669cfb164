package org.nhsv2.appointment.query;

import org.axonframework.queryhandling.QueryHandler;
import org.nhsv2.appointment.api.AppointmentPage;
import org.nhsv2.appointment.api.AppointmentView;
import org.nhsv2.appointment.api.FacilityView;
import org.nhsv2.appointment.api.FindAppointmentQuery;
import org.nhsv2.appointment.api.FindFacilitiesQuery;
import org.nhsv2.appointment.api.FindFacilityAppointmentsQuery;
import org.nhsv2.appointment.api.FindPatientAppointmentsQuery;
import org.nhsv2.appointment.facility.FacilityDirectory;
import org.springframework.stereotype.Component;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

@Component
class AppointmentQueries {

    private final AppointmentViewRepository rows;
    private final FacilityDirectory facilities;
    private final FacilityDayCache cache;
    private final AppointmentViews views;

    AppointmentQueries(AppointmentViewRepository rows, FacilityDirectory facilities, FacilityDayCache cache,
                       AppointmentViews views) {
        this.rows = rows;
        this.facilities = facilities;
        this.cache = cache;
        this.views = views;
    }

    @QueryHandler
    Optional<AppointmentView> handle(FindAppointmentQuery query) {
        return rows.find(query.appointmentId()).map(views::open);
    }

    @QueryHandler
    List<FacilityView> handle(FindFacilitiesQuery query) {
        return facilities.all();
    }

    /**
     * Built from cached whole local days, so a change evicts exactly the days it touched. Empty when
     * there is no such facility.
     */
    @QueryHandler
    Optional<AppointmentPage> handle(FindFacilityAppointmentsQuery query) {
        Optional<ZoneId> zone = facilities.zoneOf(query.facilityId());
        if (zone.isEmpty()) {
            return Optional.empty();
        }
        List<AppointmentRow> matching = new ArrayList<>();
        for (LocalDate day = query.from(); !day.isAfter(query.to()); day = day.plusDays(1)) {
            LocalDate thisDay = day;
            // atStartOfDay(zone) keeps 23- and 25-hour days right across daylight-saving changes.
            List<AppointmentRow> ofDay = cache.getOrLoad(query.facilityId(), day, () -> rows.findStarting(
                    query.facilityId(), thisDay.atStartOfDay(zone.get()).toInstant(),
                    thisDay.plusDays(1).atStartOfDay(zone.get()).toInstant()));
            ofDay.stream()
                    .filter(row -> query.doctorId() == null || query.doctorId().equals(row.doctorId()))
                    .filter(row -> query.status() == null || query.status() == row.status())
                    .forEach(matching::add);
        }
        int from = Math.min(query.page() * query.size(), matching.size());
        int to = Math.min(from + query.size(), matching.size());
        return Optional.of(new AppointmentPage(views.open(matching.subList(from, to)), query.page(), query.size(),
                matching.size()));
    }

    @QueryHandler
    AppointmentPage handle(FindPatientAppointmentsQuery query) {
        List<AppointmentRow> page = rows.findByPatient(query.patientId(), query.facilityIds(),
                query.page() * query.size(), query.size());
        return new AppointmentPage(views.open(page), query.page(), query.size(),
                rows.countByPatient(query.patientId(), query.facilityIds()));
    }
}
