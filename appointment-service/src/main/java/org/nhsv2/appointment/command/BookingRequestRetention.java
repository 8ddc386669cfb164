package org.nhsv2.appointment.command;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;

/**
 * Forgets Idempotency-Keys once clients have stopped retrying (a day by default, as payment APIs
 * do), so the table does not grow forever. Safe on any number of instances: it only deletes.
 */
@Component
class BookingRequestRetention {

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Duration retention;

    BookingRequestRetention(JdbcTemplate jdbc, Clock clock, IdempotencySettings settings) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.retention = settings.retention();
    }

    @Scheduled(fixedDelayString = "${nhsv2.idempotency.purge-interval:1h}",
            initialDelayString = "${nhsv2.idempotency.purge-interval:1h}")
    int purge() {
        return jdbc.update("delete from booking_request where created_at < ?",
                Timestamp.from(clock.instant().minus(retention)));
    }
}
