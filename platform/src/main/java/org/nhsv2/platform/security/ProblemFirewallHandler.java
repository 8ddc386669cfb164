package org.nhsv2.platform.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.nhsv2.platform.problem.ProblemWriter;
import org.nhsv2.platform.problem.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;

import java.io.IOException;

/**
 * A request Spring Security's firewall refuses (an encoded slash or dot segment, a non-printable
 * character in the path or a header) is a client's mistake: 400 with a problem document, not an
 * exception for the container.
 */
class ProblemFirewallHandler implements RequestRejectedHandler {

    private final ProblemWriter problems;

    ProblemFirewallHandler(ProblemWriter problems) {
        this.problems = problems;
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException e)
            throws IOException {
        problems.write(response, Problems.of(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
                "The request's path or headers hold characters or sequences that are not allowed"));
    }
}
