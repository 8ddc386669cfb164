package org.nhsv2.appointment.query;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nhsv2.appointment.IntegrationTest;
import org.nhsv2.platform.testing.Api;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.nhsv2.platform.testing.DemoUsers.ALICE;
import static org.nhsv2.platform.testing.DemoUsers.RIVERSIDE;

/** A projection that cannot write an event retries it until it can: it never skips it. */
class ProjectionFailureIT extends IntegrationTest {

    @AfterEach
    void repairTheView() {
        jdbc.execute("""
                do $$ begin
                  if exists (select 1 from information_schema.columns
                             where table_name = 'appointment_view' and column_name = 'broken_status') then
                    alter table appointment_view rename column broken_status to status;
                  end if;
                end $$""");
    }

    @Test
    void shouldRetryAFailedEventUntilTheViewCanTakeItInsteadOfSkippingIt() {
        Api alice = as(ALICE);
        // Every write of the projection now fails, as if the view's table were unavailable.
        jdbc.execute("alter table appointment_view rename column status to broken_status");

        Api.Response booked = alice.post("/api/appointments", booking(RIVERSIDE, UUID.randomUUID(), freeSlot()));

        // The booking itself is stored; the read side cannot show it in time.
        assertThat(booked.status()).isEqualTo(202);
        String location = booked.header("Location").orElseThrow();
        String id = location.substring(location.lastIndexOf('/') + 1);
        assertThat(jdbc.queryForObject("select count(*) from domain_event_entry where aggregate_identifier = ?",
                Integer.class, id)).isEqualTo(1);

        repairTheView();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(alice.get(location).status()).isEqualTo(200));
        assertThat(alice.get(location).text("status")).isEqualTo("BOOKED");
    }
}
