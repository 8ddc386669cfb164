package org.nhsv2.appointment.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** A booking request body as the client sends it: valid unless a field is changed or left out. */
final class BookingBody {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Object> fields = new LinkedHashMap<>();

    private BookingBody() {
    }

    static BookingBody valid(UUID facilityId, UUID patientId) {
        BookingBody body = new BookingBody();
        body.fields.put("facilityId", facilityId.toString());
        body.fields.put("patientId", patientId.toString());
        body.fields.put("patientName", "  Ada Lovelace ");
        body.fields.put("patientEmail", "ada@example.org");
        body.fields.put("start", AppointmentFixture.START.toString());
        body.fields.put("reason", "Check-up");
        return body;
    }

    BookingBody with(String field, Object value) {
        fields.put(field, value);
        return this;
    }

    BookingBody without(String field) {
        fields.remove(field);
        return this;
    }

    String json() {
        try {
            return JSON.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
