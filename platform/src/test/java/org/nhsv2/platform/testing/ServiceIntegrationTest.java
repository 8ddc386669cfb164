package org.nhsv2.platform.testing;

import org.axonframework.config.EventProcessingConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

/**
 * Base of a service's integration tests: the whole service on a random port (its actuator on another),
 * in the local profile, against the real servers {@code script/test} provides, with a clock a test may
 * move. A service's own base names its projection and adds its settings ({@code @TestPropertySource}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "management.server.port=0")
@ActiveProfiles("local")
@AutoConfigureObservability
@Import(MutableClock.InContext.class)
public abstract class ServiceIntegrationTest {

    @LocalServerPort
    protected int port;
    @LocalManagementPort
    protected int managementPort;
    @Autowired
    protected MutableClock clock;
    @Autowired
    protected JdbcTemplate jdbc;
    @Autowired
    protected ApplicationContext context;

    @Autowired
    private EventProcessingConfiguration processing;

    /** The tracking processor of the service's main view. */
    protected abstract String projection();

    /** Tests start only when this context's projection runs (see {@link Projections#awaitRunning}). */
    @BeforeEach
    protected void awaitTheProjection() {
        Projections.awaitRunning(processing, jdbc, projection());
    }

    protected Api as(String username) {
        return Api.as(port, username);
    }
}
