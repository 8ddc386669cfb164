package org.nhsv2.platform.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.nhsv2.platform.problem.ProblemWriter;
import org.nhsv2.platform.problem.Problems;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.util.MimeTypeUtils;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Collections;
import java.util.List;

/**
 * The request's media-type headers, checked before anything reads them. A Content-Type that names no concrete type
 * ({@code *}{@code /*}), cannot be parsed, or names a charset this JVM does not know is answered 415; an Accept header
 * that cannot be parsed, or names more types than Spring sorts (50), 406. Deeper down, Spring would throw for them,
 * which reads as a bug of ours (500) rather than the client's: an IllegalArgumentException, or, for a type that begins
 * with a double quote, a StringIndexOutOfBoundsException out of Spring's own parser (spring-core 6.2.19,
 * {@code MimeTypeUtils}), thrown again while Spring chooses an exception handler for the first.
 */
class MediaTypeHeaderCheck extends OncePerRequestFilter {

    private final ProblemWriter problems;

    MediaTypeHeaderCheck(ProblemWriter problems) {
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
        if (!acceptParses(request)) {
            problems.write(response, Problems.of(HttpStatus.NOT_ACCEPTABLE, "http-406", "Not Acceptable",
                    "The Accept header cannot be read as media types; send Accept: application/json"));
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean isConcrete(String contentType) {
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            type.getCharset(); // an unknown charset throws here
            return !type.isWildcardType() && !type.isWildcardSubtype();
        } catch (IllegalArgumentException | IndexOutOfBoundsException unparseable) {
            return false; // InvalidMediaTypeException, unknown charsets, and Spring's parser failing on a quote
        }
    }

    /**
     * Parsed and sorted as Spring's content negotiation does it (its parser keeps what it parsed, so this costs
     * little). Spring refuses to sort more than 50 types; where an answer has no body it would then answer anyway, and 406
     * everywhere else: refused here, one answer for every route.
     */
    private static boolean acceptParses(HttpServletRequest request) {
        if (request.getHeader(HttpHeaders.ACCEPT) == null) {
            return true;
        }
        try {
            List<MediaType> accepted = MediaType.parseMediaTypes(
                    Collections.list(request.getHeaders(HttpHeaders.ACCEPT)));
            MimeTypeUtils.sortBySpecificity(accepted);
            return true;
        } catch (IllegalArgumentException | IndexOutOfBoundsException unparseable) {
            return false; // InvalidMimeTypeException (too many types) is an IllegalArgumentException too
        }
    }
}
