package org.nhsv2.appointment.web;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

record CancelRequest(@NotBlank @Size(max = 500) String reason) {
}
