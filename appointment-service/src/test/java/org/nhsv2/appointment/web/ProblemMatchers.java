package org.nhsv2.appointment.web;

import org.nhsv2.appointment.api.AppointmentError;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.ResultMatcher;

import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** What every error answer must look like: an RFC 9457 problem with a stable type and code. */
final class ProblemMatchers {

    private ProblemMatchers() {
    }

    static ResultMatcher problem(HttpStatus status, String code) {
        return ResultMatcher.matchAll(
                status().is(status.value()),
                content().contentType(MediaType.APPLICATION_PROBLEM_JSON),
                jsonPath("$.type").value("/problems/" + code),
                jsonPath("$.status").value(status.value()),
                jsonPath("$.code").value(code),
                jsonPath("$.title").isNotEmpty(),
                jsonPath("$.trace").doesNotExist(),
                jsonPath("$.exception").doesNotExist());
    }

    /** A command-side rejection: the error's code and title, the rejection's detail. */
    static ResultMatcher rejected(HttpStatus status, AppointmentError error) {
        return ResultMatcher.matchAll(
                problem(status, error.code()),
                jsonPath("$.title").value(error.title()),
                jsonPath("$.detail").value(error.title()));
    }

    /** 400 naming exactly these fields. */
    static ResultMatcher invalidFields(String... fields) {
        return ResultMatcher.matchAll(
                problem(HttpStatus.BAD_REQUEST, "invalid-request"),
                jsonPath("$.title").value("Invalid request"),
                jsonPath("$.errors[*].field").value(containsInAnyOrder((Object[]) fields)),
                jsonPath("$.errors[*].message").isNotEmpty());
    }
}
