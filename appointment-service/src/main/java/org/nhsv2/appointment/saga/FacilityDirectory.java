package org.nhsv2.appointment.saga;

import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.nhsv2.appointment.api.FacilityView;
import org.nhsv2.appointment.api.FindFacilitiesQuery;
import org.springframework.stereotype.Component;

import java.util.UUID;

/** A facility's name, address and zone, for what the saga writes about an appointment there. */
@Component
class FacilityDirectory {

    private final QueryGateway queries;

    FacilityDirectory(QueryGateway queries) {
        this.queries = queries;
    }

    FacilityView facility(UUID facilityId) {
        return queries.query(new FindFacilitiesQuery(), ResponseTypes.multipleInstancesOf(FacilityView.class)).join()
                .stream().filter(facility -> facility.id().equals(facilityId)).findFirst()
                .orElseThrow(() -> new IllegalStateException("facility " + facilityId + " is not known"));
    }
}
