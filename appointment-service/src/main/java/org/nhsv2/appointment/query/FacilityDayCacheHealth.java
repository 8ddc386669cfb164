package org.nhsv2.appointment.query;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

/**
 * The cache as health sees it: {@code DEGRADED} while Redis is unreachable, which the health
 * endpoint answers with 200 and readiness ignores, since listings are then served from the database.
 */
@Component("cache")
class FacilityDayCacheHealth implements HealthIndicator {

    static final Status DEGRADED = new Status("DEGRADED", "Redis is unreachable; listings are read from the database");

    private final FacilityDayCache cache;

    FacilityDayCacheHealth(FacilityDayCache cache) {
        this.cache = cache;
    }

    @Override
    public Health health() {
        if (cache.isAvailable()) {
            return Health.up().build();
        }
        return Health.status(DEGRADED)
                .withDetail("pendingEvictions", cache.pendingEvictions())
                .build();
    }
}
