package org.nhsv2.platform.problem;

import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.nhsv2.platform.actor.ActorArgumentResolver;
import org.nhsv2.platform.eventstore.TransactionConflictRetry;
import org.nhsv2.platform.api.Rejection;
import org.nhsv2.platform.web.DeclaredAnswerTypes;
import org.nhsv2.platform.web.RequestBodyLimit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.converter.HttpMessageNotWritableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.validation.FieldError;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import java.net.ConnectException;
import java.net.URI;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every error as {@code application/problem+json} with a stable {@code type} and {@code code}:
 * 400 with field errors for bad input, the command side's rejections by their kind, and never a
 * stack trace.
 */
@RestControllerAdvice
public class ProblemAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);
    /** admin_shutdown, crash_shutdown, cannot_connect_now: PostgreSQL stopping, crashed or not yet accepting. */
    private static final Set<String> UNAVAILABLE_SERVER_STATES = Set.of("57P01", "57P02", "57P03");

    @ExceptionHandler(CommandExecutionException.class)
    ResponseEntity<Object> rejected(CommandExecutionException e, WebRequest request) {
        Rejection rejection = Rejections.of(e).orElse(null);
        if (rejection == null) {
            return unexpected(e, request);
        }
        HttpStatus status = switch (rejection.kind()) {
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case FORBIDDEN -> HttpStatus.FORBIDDEN;
            case CONFLICT -> HttpStatus.CONFLICT;
            case RULE_VIOLATION -> HttpStatus.UNPROCESSABLE_ENTITY;
            case DEPENDENCY_FAILED -> HttpStatus.BAD_GATEWAY;
        };
        ProblemDetail problem = Problems.of(status, rejection.code(), rejection.title(), rejection.detail());
        return handleExceptionInternal(e, problem, new HttpHeaders(), status, request);
    }

    /** Two instances changed one aggregate at once; the loser may simply retry. */
    @ExceptionHandler(ConcurrencyException.class)
    ResponseEntity<Object> concurrent(ConcurrencyException e, WebRequest request) {
        ProblemDetail problem = Problems.of(HttpStatus.CONFLICT, "concurrent-modification", "Concurrent modification",
                "It was changed at the same time; read it again and retry");
        return handleExceptionInternal(e, problem, new HttpHeaders(), HttpStatus.CONFLICT, request);
    }

    /**
     * The security filters answer most 403s; this one is raised inside MVC, when the token passed the
     * route's role check but names no usable caller (see {@link ActorArgumentResolver}).
     */
    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<Object> denied(AccessDeniedException e, WebRequest request) {
        ProblemDetail problem = Problems.of(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", e.getMessage());
        return handleExceptionInternal(e, problem, new HttpHeaders(), HttpStatus.FORBIDDEN, request);
    }

    /**
     * What the client sent cannot be read as sent, found past the filters that refuse the rest: a body declared
     * multipart that is not (the servlet parses it before a handler is chosen), or a parameter name Spring
     * Security's firewall refuses once something reads it (springdoc's redirect does).
     */
    @ExceptionHandler({MultipartException.class, RequestRejectedException.class})
    ResponseEntity<Object> unreadable(Exception e, WebRequest request) {
        ProblemDetail problem = e instanceof MultipartException
                ? Problems.of(HttpStatus.BAD_REQUEST, "malformed-request", "Malformed request",
                        "The request body is declared multipart but cannot be read as such")
                : Problems.of(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
                        "The request's parameters hold characters that are not allowed");
        return handleExceptionInternal(e, problem, new HttpHeaders(), HttpStatus.BAD_REQUEST, request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e, WebRequest request) {
        if (isDependencyDown(e)) {
            log.warn("A dependency is unavailable while handling {}: {}", request.getDescription(false), e.toString());
            return retryLater(e, "dependency-unavailable", "Service temporarily unavailable",
                    "A system this service depends on is not answering; retry shortly", 5, request);
        }
        if (TransactionConflictRetry.isTransactionConflict(e)) {
            // Still a deadlock or serialization loser after every retry: nothing was stored, the same request can
            // succeed a moment later.
            log.warn("A change lost to concurrent ones after every retry, handling {}: {}", request.getDescription(false),
                    e.toString());
            return retryLater(e, "contention", "Too much contention",
                    "The change lost to concurrent changes each time it was tried and nothing was stored; retry shortly",
                    1, request);
        }
        log.error("Unexpected failure handling {}", request.getDescription(false), e);
        ProblemDetail problem = Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
                "Something went wrong on our side; it has been logged");
        return handleExceptionInternal(e, problem, new HttpHeaders(), HttpStatus.INTERNAL_SERVER_ERROR, request);
    }

    /** A 503 problem with {@code Retry-After}: the same request may succeed once the given seconds have passed. */
    private ResponseEntity<Object> retryLater(Exception e, String code, String title, String detail,
                                              int retryAfterSeconds, WebRequest request) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfterSeconds));
        return handleExceptionInternal(e, Problems.of(HttpStatus.SERVICE_UNAVAILABLE, code, title, detail), headers,
                HttpStatus.SERVICE_UNAVAILABLE, request);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        List<Map<String, String>> errors = e.getBindingResult().getAllErrors().stream()
                .map(error -> Map.of(
                        "field", error instanceof FieldError field ? field.getField() : error.getObjectName(),
                        "message", String.valueOf(error.getDefaultMessage())))
                .toList();
        return invalid(e, errors, headers, request);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException e,
                                                                            HttpHeaders headers, HttpStatusCode status,
                                                                            WebRequest request) {
        List<Map<String, String>> errors = e.getParameterValidationResults().stream()
                .flatMap(result -> result.getResolvableErrors().stream().map(error -> Map.of(
                        "field", String.valueOf(result.getMethodParameter().getParameterName()),
                        "message", String.valueOf(((MessageSourceResolvable) error).getDefaultMessage()))))
                .toList();
        return invalid(e, errors, headers, request);
    }

    /** Malformed JSON, a wrong type or an unknown field: say which field, never echo a stack trace. */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        RequestBodyLimit.BodyTooLargeException tooLarge = causeOfType(e, RequestBodyLimit.BodyTooLargeException.class);
        if (tooLarge != null) {
            headers.set(HttpHeaders.CONNECTION, "close");
            return handleExceptionInternal(e, RequestBodyLimit.problem(tooLarge.maxBytes()), headers,
                    HttpStatus.PAYLOAD_TOO_LARGE, request);
        }
        StreamConstraintsException limit = causeOfType(e, StreamConstraintsException.class);
        if (limit != null) {
            ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, "malformed-request", "Malformed request",
                    "The request body nests too deep or holds a string, number or name that is too long");
            return handleExceptionInternal(e, problem, headers, HttpStatus.BAD_REQUEST, request);
        }
        // Not getMostSpecificCause(): Jackson chains the parser's own exception (a DateTimeParseException
        // for a bad Instant) under its mapping exception, and only the latter knows the field.
        MismatchedInputException cause = causeOfType(e, MismatchedInputException.class);
        if (cause instanceof UnrecognizedPropertyException unknown) {
            return invalid(e, List.of(Map.of("field", unknown.getPropertyName(), "message", "unknown field")), headers, request);
        }
        if (cause != null) {
            String field = path(cause.getPath());
            return invalid(e, List.of(Map.of("field", field, "message", "has the wrong type or format")), headers, request);
        }
        ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, "malformed-request", "Malformed request",
                "The request body is missing or is not valid JSON");
        return handleExceptionInternal(e, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    /**
     * On a route that declares what it produces, Spring reports a type it negotiated but no converter writes (JSON in
     * ISO-8859-1, say: JSON is written in UTF-8 only) as "not writable". The API's routes never get that far: the
     * Accept check refuses such a request before its handler runs. The actuator's endpoints declare their answers only
     * as {@code Object}, so the check cannot tell in advance, and nothing there changes state: the refusal is the
     * client's Accept header refused, 406 (what the route declares is kept by {@link DeclaredAnswerTypes}). A failure
     * to write an answer (a cause, or a route that declares nothing) stays a 500.
     */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotWritable(HttpMessageNotWritableException e,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        List<MediaType> declared = DeclaredAnswerTypes.of(request);
        if (e.getCause() == null && !declared.isEmpty()) {
            return handleHttpMediaTypeNotAcceptable(new HttpMediaTypeNotAcceptableException(declared), headers,
                    HttpStatus.NOT_ACCEPTABLE, request);
        }
        return super.handleHttpMessageNotWritable(e, headers, status, request);
    }

    /** Gives the framework's own 4xx problems (wrong method, bad path variable, ...) a stable type too. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception e, Object body, HttpHeaders headers,
                                                             HttpStatusCode status, WebRequest request) {
        if (body == null && e instanceof ErrorResponse framework) {
            // Most of the framework's handlers pass no body (missing parameter, wrong method, ...); resolve it
            // here as the superclass would, so that it gets the stable type too.
            body = framework.updateAndGetBody(getMessageSource(), LocaleContextHolder.getLocale());
        }
        if (body instanceof ProblemDetail problem && problem.getStatus() != status.value()) {
            // Spring answers a path variable that converts to nothing (" " for a UUID) with 400, but its
            // MissingPathVariableException keeps the body it made for 500: "Internal Server Error".
            HttpStatus answered = HttpStatus.resolve(status.value());
            problem.setStatus(status.value());
            problem.setTitle(answered != null ? answered.getReasonPhrase() : null);
        }
        if (body instanceof ProblemDetail problem && problem.getProperties() == null) {
            String code = status.value() == 400 ? "invalid-request" : "http-" + status.value();
            problem.setType(URI.create("/problems/" + code));
            problem.setProperty("code", code);
        }
        if (body instanceof ProblemDetail) {
            // Set, not negotiated: an error is a problem document whatever the client's Accept header
            // (even one that cannot be parsed) says.
            HttpHeaders problemHeaders = new HttpHeaders();
            problemHeaders.putAll(headers);
            problemHeaders.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
            headers = problemHeaders;
        }
        return super.handleExceptionInternal(e, body, headers, status, request);
    }

    private ResponseEntity<Object> invalid(Exception e, List<Map<String, String>> errors, HttpHeaders headers,
                                           WebRequest request) {
        return handleExceptionInternal(e, Problems.invalidRequest(errors), headers, HttpStatus.BAD_REQUEST, request);
    }

    /**
     * The database (or another server) could not be reached: a 503 to retry, not a bug. Spring translates
     * only what goes through its own templates; Axon's event store and Hibernate hand on the driver's
     * {@link SQLException}, so its SQL state decides: class 08 (connection exception) or a server that is
     * shutting down, crashed or still starting (57P01, 57P02, 57P03).
     */
    static boolean isDependencyDown(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof TransactionSystemException failed && endedWithTheDatabaseGone(failed)) {
                return true;
            }
            if (cause instanceof CannotCreateTransactionException
                    || cause instanceof DataAccessResourceFailureException
                    || cause instanceof TransientDataAccessResourceException
                    || cause instanceof ConnectException
                    || cause instanceof SQLTransientConnectionException
                    || cause instanceof SQLException sql && isConnectionLost(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * A commit that failed as the connection went, whose rollback then failed on the closed connection: the
     * rollback's failure is the cause, the commit's (the connection lost) only the application exception. Where the
     * commit's failure had been translated (a DataAccessResourceFailureException), Spring logs it and throws the
     * rollback's failure without it; a rollback fails in the driver only when the database or the connection has
     * gone, and the transaction's outcome is for the retry to find.
     */
    private static boolean endedWithTheDatabaseGone(TransactionSystemException failed) {
        Throwable commitFailure = failed.getApplicationException();
        return commitFailure != null ? isDependencyDown(commitFailure) : failed.getCause() instanceof SQLException;
    }

    private static boolean isConnectionLost(String sqlState) {
        return sqlState != null && (sqlState.startsWith("08") || UNAVAILABLE_SERVER_STATES.contains(sqlState));
    }

    /** The outermost exception of the type in the cause chain, if any. */
    private static <T extends Throwable> T causeOfType(Throwable e, Class<T> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }

    private static String path(List<JsonMappingException.Reference> path) {
        String joined = path.stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
        return joined.isEmpty() ? "body" : joined;
    }
}
