package org.nhsv2.appointment.api;

import org.junit.jupiter.api.Test;
import org.nhsv2.platform.api.EncryptedText;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Logs never hold personal data: the messages that carry it in clear leave it out of toString. */
class PersonalDataRedactionTest {

    private static final UUID ID = UUID.randomUUID();
    private static final Instant START = Instant.parse("2030-01-01T10:00:00Z");

    @Test
    void shouldLeaveNameEmailAndReasonOutWhenACommandOrViewIsPrinted() {
        Object[] carriers = {
                new BookAppointmentCommand(ID, ID, ID, ID, "Ada Lovelace", "ada@example.test", START, 30, "chest pain", null),
                new RescheduleAppointmentCommand(ID, START, 30, "chest pain"),
                new CancelAppointmentCommand(ID, "chest pain"),
                new AppointmentView(ID, ID, ID, ID, "Ada Lovelace", "ada@example.test", START, START, 30, "chest pain",
                        AppointmentStatus.CANCELLED, "chest pain", null, null, 1)};

        for (Object carrier : carriers) {
            assertThat(carrier.toString())
                    .contains(ID.toString())
                    .doesNotContain("Ada", "ada@example.test", "chest pain");
        }
    }

    @Test
    void shouldNotPrintTheCiphertextOfSealedText() {
        assertThat(new EncryptedText("v1:abc:secretbytes").toString()).doesNotContain("secretbytes");
    }
}
