package org.nhsv2.appointment.facility;

import org.nhsv2.appointment.api.FacilityView;
import org.nhsv2.platform.cache.NotifiedSnapshot;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The facilities, their zones and their doctors (seeded to match the identity provider), which every
 * booking, projection update and email needs and which almost never change: read from memory, reloaded
 * once the tables change on any instance (see {@link NotifiedSnapshot} and the {@code facility_changed}
 * triggers).
 */
@Component
public class FacilityDirectory implements SmartLifecycle {

    static final String CHANNEL = "facility_changed";

    private record Membership(UUID facilityId, UUID doctorId) {
    }

    private record Directory(Map<UUID, FacilityView> facilities, Set<Membership> staff) {
    }

    private final NotifiedSnapshot<Directory> snapshot;

    FacilityDirectory(JdbcTemplate jdbc, DataSourceProperties database,
                      @Value("${nhsv2.facilities.heartbeat:5s}") Duration heartbeat) {
        this.snapshot = new NotifiedSnapshot<>(CHANNEL, NotifiedSnapshot.ConnectionSource.of(database), heartbeat,
                () -> load(jdbc));
    }

    /** Every facility, by name. */
    public List<FacilityView> all() {
        return snapshot.get().facilities().values().stream().sorted(Comparator.comparing(FacilityView::name)).toList();
    }

    public Optional<FacilityView> find(UUID facilityId) {
        return Optional.ofNullable(snapshot.get().facilities().get(facilityId));
    }

    public boolean exists(UUID facilityId) {
        return find(facilityId).isPresent();
    }

    /** A facility an event names: it exists, or the event could not have been stored. */
    public FacilityView facility(UUID facilityId) {
        return find(facilityId).orElseThrow(() -> new IllegalStateException("facility " + facilityId + " is not known"));
    }

    public Optional<ZoneId> zoneOf(UUID facilityId) {
        return find(facilityId).map(facility -> ZoneId.of(facility.timeZone()));
    }

    public boolean worksAt(UUID doctorId, UUID facilityId) {
        return snapshot.get().staff().contains(new Membership(facilityId, doctorId));
    }

    /** Whether reads come from memory (the listening connection is up), for health and tests. */
    public boolean isKeptInMemory() {
        return snapshot.isListening();
    }

    private static Directory load(JdbcTemplate jdbc) {
        Map<UUID, FacilityView> facilities = new HashMap<>();
        Set<Membership> staff = new HashSet<>();
        // One statement, so the facilities and their staff are of one moment.
        jdbc.query("""
                select f.id, f.name, f.time_zone, f.address, d.doctor_id
                from facility f left join facility_doctor d on d.facility_id = f.id""", rs -> {
            UUID id = rs.getObject(1, UUID.class);
            if (!facilities.containsKey(id)) {
                facilities.put(id, new FacilityView(id, rs.getString(2), rs.getString(3), rs.getString(4)));
            }
            UUID doctorId = rs.getObject(5, UUID.class);
            if (doctorId != null) {
                staff.add(new Membership(id, doctorId));
            }
        });
        return new Directory(Map.copyOf(facilities), Set.copyOf(staff));
    }

    @Override
    public void start() {
        snapshot.start();
    }

    @Override
    public void stop() {
        snapshot.stop();
    }

    @Override
    public boolean isRunning() {
        return snapshot.isRunning();
    }
}
