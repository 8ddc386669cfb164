package org.nhsv2.appointment.command;

import org.junit.jupiter.api.Test;
import org.nhsv2.appointment.api.BookAppointmentCommand;
import org.nhsv2.platform.idempotency.IdempotencyKeys;
import org.nhsv2.platform.idempotency.IdempotencySettings;
import org.nhsv2.platform.idempotency.RequestFingerprints;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.nhsv2.appointment.command.AppointmentFixtures.booking;

class BookingRequestsTest {

    private static final String SECRET = "test-fingerprint-secret-0000000000000000";

    private static BookingRequests requests(String secret) {
        return new BookingRequests(mock(IdempotencyKeys.class),
                new RequestFingerprints(new IdempotencySettings(Duration.ofHours(24), secret)));
    }

    @Test
    void shouldGiveTheSameFingerprintWhenTheSameBookingIsAskedForAgainUnderAnotherId() {
        BookAppointmentCommand first = booking().command();
        BookAppointmentCommand retry = new BookAppointmentCommand(UUID.randomUUID(), first.facilityId(), first.doctorId(),
                first.patientId(), first.patientName(), first.patientEmail(), first.start(), first.durationMinutes(),
                first.reason(), first.idempotencyKey());

        assertThat(requests(SECRET).fingerprint(retry)).isEqualTo(requests(SECRET).fingerprint(first)).matches("[0-9a-f]{64}");
    }

    @Test
    void shouldGiveAnotherFingerprintWhenAnyRequestedValueDiffers() {
        BookingRequests requests = requests(SECRET);
        String original = requests.fingerprint(booking().command());

        assertThat(requests.fingerprint(booking().withReason("Other").command())).isNotEqualTo(original);
        assertThat(requests.fingerprint(booking().withReason(null).command())).isNotEqualTo(original);
        assertThat(requests.fingerprint(booking().lasting(45).command())).isNotEqualTo(original);
        assertThat(requests.fingerprint(booking().withDoctor(UUID.randomUUID()).command())).isNotEqualTo(original);
    }

    @Test
    void shouldDependOnTheSecretSoThatAStoredFingerprintCannotBeCheckedAgainstAGuess() {
        assertThat(requests(SECRET).fingerprint(booking().command()))
                .isNotEqualTo(requests(SECRET.replace('0', '1')).fingerprint(booking().command()));
    }

    @Test
    void shouldRefuseASecretShorterThan32Characters() {
        assertThatThrownBy(() -> new IdempotencySettings(Duration.ofHours(24), "short"))
                .hasMessageContaining("NHSV2_IDEMPOTENCY_SECRET");
    }
}
