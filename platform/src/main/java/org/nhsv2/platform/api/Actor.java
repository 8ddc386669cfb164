package org.nhsv2.platform.api;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Who sends a command, carried in its metadata. {@code actorId} and {@code actorRole} are copied
 * onto every resulting event (the audit trail); the facility list only serves authorisation.
 */
public record Actor(UUID id, Role role, Set<UUID> facilities) {

    public static final String ID = "actorId";
    public static final String ROLE = "actorRole";
    public static final String FACILITIES = "actorFacilities";

    public enum Role { DOCTOR, PATIENT, ADMIN }

    public Actor {
        facilities = Set.copyOf(facilities);
    }

    public boolean worksAt(UUID facilityId) {
        return role == Role.DOCTOR && facilities.contains(facilityId);
    }

    public boolean is(UUID userId) {
        return id.equals(userId);
    }

    public Map<String, String> metaData() {
        return Map.of(ID, id.toString(), ROLE, role.name(), FACILITIES,
                facilities.stream().map(UUID::toString).sorted().collect(Collectors.joining(",")));
    }

    /** The reverse of {@link #metaData()}; {@code null} when the message carries no actor. */
    public static Actor fromMetaData(Map<String, ?> metaData) {
        Object id = metaData.get(ID);
        Object role = metaData.get(ROLE);
        if (id == null || role == null) {
            return null;
        }
        Object facilities = metaData.get(FACILITIES);
        Set<UUID> facilityIds = facilities == null || facilities.toString().isBlank()
                ? Set.of()
                : Arrays.stream(facilities.toString().split(",")).map(UUID::fromString).collect(Collectors.toSet());
        return new Actor(UUID.fromString(id.toString()), Role.valueOf(role.toString()), facilityIds);
    }
}
