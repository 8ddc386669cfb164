package org.nhsv2.platform.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.nhsv2.platform.problem.ProblemWriter;
import org.nhsv2.platform.problem.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * A Content-Type that names no concrete type ({@code *}{@code /*}), cannot be parsed, or names a
 * charset this JVM does not know is answered 415 here. Deeper down, Spring would throw an
 * IllegalArgumentException for it, which reads as a bug of ours (500) rather than the client's.
 */
class ContentTypeCheck extends OncePerRequestFilter {

    private final ProblemWriter problems;

    ContentTypeCheck(ProblemWriter problems) {
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String contentType = request.getContentType();
        if (contentType != null && !isConcrete(contentType)) {
            problems.write(response, Problems.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "http-415", "Unsupported Media Type",
                    "Send the body as application/json"));
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean isConcrete(String contentType) {
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            type.getCharset(); // an unknown charset throws here
            return !type.isWildcardType() && !type.isWildcardSubtype();
        } catch (IllegalArgumentException unparseable) { // InvalidMediaTypeException and unknown charsets
            return false;
        }
    }
}
