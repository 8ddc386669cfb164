package org.nhsv2.appointment.api;

import java.util.List;

public record AppointmentPage(List<AppointmentView> items, int page, int size, long totalItems) {

    public AppointmentPage {
        items = List.copyOf(items);
    }
}
