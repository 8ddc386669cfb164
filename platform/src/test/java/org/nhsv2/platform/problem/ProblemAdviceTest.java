package org.nhsv2.platform.problem;

import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.common.jdbc.JdbcException;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nhsv2.platform.web.DeclaredAnswerTypes;
import org.springframework.http.HttpHeaders;
import org.springframework.http.converter.HttpMessageNotWritableException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.servlet.HandlerMapping;

import java.net.ConnectException;
import java.net.URI;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ProblemAdviceTest {

    private final ProblemAdvice advice = new ProblemAdvice();

    @Nested
    class WhenTheDatabaseIsUnreachable {

        /** As they reach the advice while PostgreSQL restarts: through Axon's JDBC stores, Hikari, Spring. */
        static Stream<Exception> failures() {
            return Stream.of(
                    // An open session ended by a fast shutdown, while Axon appends an event
                    new EventStoreException("An event could not be persisted", new SQLException(
                            "FATAL: terminating connection due to administrator command", "57P01")),
                    // A pooled connection whose server has gone, while Axon stores a token
                    new CommandExecutionException("command failed", new JdbcException(
                            "Could not store token", new SQLException("An I/O error occurred", "08006"))),
                    // No connection within Hikari's timeout
                    new CannotCreateTransactionException("Failed to obtain JDBC Connection",
                            new SQLTransientConnectionException(
                                    "HikariPool-1 - Connection is not available, request timed out after 2000ms",
                                    "08001")),
                    new EventStoreException("reading failed", new SQLException("the database system is starting up",
                            "57P03")),
                    new CannotCreateTransactionException("Failed to obtain JDBC Connection",
                            new ConnectException("Connection refused")),
                    // A commit cut off by a fast shutdown, whose rollback then meets Hikari's closed connection
                    rollbackFailedAfter(new TransactionSystemException("Could not commit JDBC transaction",
                            new SQLException("FATAL: terminating connection due to administrator command", "57P01"))),
                    // The same as Spring throws it when the commit's failure was a translated one (a
                    // DataAccessResourceFailureException): it logs that and throws the rollback's, without it
                    new TransactionSystemException("JDBC rollback failed", new SQLException("Connection is closed")));
        }


        @ParameterizedTest
        @MethodSource("failures")
        void shouldAnswer503DependencyUnavailableWithRetryAfter(Exception failure) {
            ResponseEntity<Object> answer = answer(failure);

            assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
            assertThat(answer.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("5");
            assertThat(answer.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
            ProblemDetail problem = (ProblemDetail) answer.getBody();
            assertThat(problem.getType()).isEqualTo(URI.create("/problems/dependency-unavailable"));
            assertThat(problem.getDetail()).doesNotContain("administrator", "Hikari", "I/O");
        }
    }

    @Nested
    class WhenTheDatabaseRefusesTheStatement {

        static Stream<Exception> failures() {
            return Stream.of(
                    new EventStoreException("An event could not be persisted",
                            new SQLException("duplicate key", "23505")),
                    new JdbcException("Could not load saga", new RuntimeException(new SQLException("no state"))),
                    new IllegalStateException("a bug"),
                    // a rollback that failed after something else than the connection went wrong
                    rollbackFailedAfter(new IllegalStateException("a bug")));
        }

        @ParameterizedTest
        @MethodSource("failures")
        void shouldAnswer500WithoutInternals(Exception failure) {
            ResponseEntity<Object> answer = answer(failure);

            assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
            assertThat(answer.getHeaders().containsKey(HttpHeaders.RETRY_AFTER)).isFalse();
            assertThat(((ProblemDetail) answer.getBody()).getType()).isEqualTo(URI.create("/problems/internal-error"));
        }
    }

    @Nested
    class WhenAChangeLostToConcurrentOnesAfterEveryRetry {

        @ParameterizedTest
        @ValueSource(strings = {"40P01", "40001"})
        void shouldAnswer503ContentionWithRetryAfter(String sqlState) {
            ResponseEntity<Object> answer = answer(new CommandExecutionException("command failed",
                    new EventStoreException("An event could not be persisted", new SQLException(
                            "ERROR: deadlock detected", sqlState))));

            assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
            assertThat(answer.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
            ProblemDetail problem = (ProblemDetail) answer.getBody();
            assertThat(problem.getType()).isEqualTo(URI.create("/problems/contention"));
            assertThat(problem.getProperties()).containsEntry("code", "contention");
        }

        @Test
        void shouldStillAnswer500ForAnotherDatabaseError() {
            ResponseEntity<Object> answer = answer(new EventStoreException("An event could not be persisted",
                    new SQLException("ERROR: value too long", "22001")));

            assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
        }
    }

    /**
     * An Accept header that admits no answer is refused before the handler runs (AcceptCheck); an answer that
     * still cannot be written is a failure of ours, whatever the client accepts. Only Spring's own refusal of the type
     * it negotiated on a route that declares what it produces (the actuator's, which AcceptCheck cannot check in
     * advance) is the client's Accept refused.
     */
    @Nested
    class WhenTheAnswerCannotBeWritten {

        @Test
        void shouldAnswer500ProblemWhateverTheAcceptHeaderSays() throws Exception {
            for (String accept : new String[] {"application/json", "application/json; charset=ISO-8859-1"}) {
                MockHttpServletRequest request = new MockHttpServletRequest("GET", "/v3/api-docs/swagger-config");
                request.addHeader(HttpHeaders.ACCEPT, accept);

                ResponseEntity<Object> answer = advice.handleException(new HttpMessageNotWritableException(
                        "Could not write JSON"), new ServletWebRequest(request, new MockHttpServletResponse()));

                assertThat(answer.getStatusCode()).as(accept).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
                assertThat(answer.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
                ProblemDetail problem = (ProblemDetail) answer.getBody();
                assertThat(problem.getStatus()).isEqualTo(500);
                assertThat(problem.getProperties()).containsEntry("code", "http-500");
            }
        }
    }

    @Nested
    class WhenTheNegotiatedTypeIsNotWritable {

        private final MockHttpServletRequest request = new MockHttpServletRequest("GET", "/actuator/health");

        WhenTheNegotiatedTypeIsNotWritable() {
            request.addHeader(HttpHeaders.ACCEPT, "application/json; charset=ISO-8859-1");
            request.setAttribute(HandlerMapping.PRODUCIBLE_MEDIA_TYPES_ATTRIBUTE, Set.of(MediaType.APPLICATION_JSON));
            new DeclaredAnswerTypes().preHandle(request, new MockHttpServletResponse(), new Object());
            // as the dispatcher does before it hands an exception to the advice
            request.removeAttribute(HandlerMapping.PRODUCIBLE_MEDIA_TYPES_ATTRIBUTE);
        }

        @Test
        void shouldAnswer406ProblemNamingWhatTheRouteProduces() throws Exception {
            ResponseEntity<Object> answer = advice.handleException(new HttpMessageNotWritableException(
                    "No converter for [class Health] with preset Content-Type 'null'"),
                    new ServletWebRequest(request, new MockHttpServletResponse()));

            assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.NOT_ACCEPTABLE);
            assertThat(answer.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
            ProblemDetail problem = (ProblemDetail) answer.getBody();
            assertThat(problem.getStatus()).isEqualTo(406);
            assertThat(problem.getProperties()).containsEntry("code", "http-406");
            assertThat(problem.getDetail()).contains("application/json");
        }

        @Test
        void shouldStillAnswer500WhenWritingTheChosenTypeFailed() throws Exception {
            ResponseEntity<Object> answer = advice.handleException(new HttpMessageNotWritableException(
                    "Could not write JSON", new IllegalStateException("a getter threw")),
                    new ServletWebRequest(request, new MockHttpServletResponse()));

            assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
        }
    }

    /** What Spring throws when a failed commit's rollback fails too: the rollback's failure, the commit's kept aside. */
    private static TransactionSystemException rollbackFailedAfter(Exception commitFailure) {
        TransactionSystemException rollbackFailure = new TransactionSystemException("JDBC rollback failed",
                new SQLException("Connection is closed"));
        rollbackFailure.initApplicationException(commitFailure);
        return rollbackFailure;
    }

    private ResponseEntity<Object> answer(Exception failure) {
        return advice.unexpected(failure, new ServletWebRequest(new MockHttpServletRequest("POST", "/api/things"),
                new MockHttpServletResponse()));
    }
}
