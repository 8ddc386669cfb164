package org.nhsv2.platform.problem;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Errors that the container forwards to {@code /error} (raised outside any controller) as problem
 * documents, in place of Spring Boot's own error format. Reached only on an error dispatch: a request
 * for {@code /error} itself is refused like any path without a rule.
 */
@Hidden
@RestController
class ProblemErrorController implements ErrorController {

    @RequestMapping("/error")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer value && HttpStatus.resolve(value) != null && value >= 400
                ? HttpStatus.valueOf(value) : HttpStatus.INTERNAL_SERVER_ERROR;
        String problemCode = status == HttpStatus.BAD_REQUEST ? "invalid-request" : "http-" + status.value();
        ProblemDetail problem = Problems.of(status, problemCode, status.getReasonPhrase(),
                status.is5xxServerError() ? "Something went wrong on our side; it has been logged"
                        : "The request could not be processed as sent");
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
