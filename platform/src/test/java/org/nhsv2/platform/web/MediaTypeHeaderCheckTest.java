package org.nhsv2.platform.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nhsv2.platform.problem.ProblemWriter;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import java.util.Collections;

import static org.assertj.core.api.Assertions.assertThat;

/** Media-type headers Spring cannot read are the client's error (415, 406), answered before anything reads them. */
class MediaTypeHeaderCheckTest {

    private final MediaTypeHeaderCheck check = new MediaTypeHeaderCheck(new ProblemWriter(new ObjectMapper()));

    @ParameterizedTest
    @ValueSource(strings = {"\"a/b", "\"                                       /!", "text", "*/*", "application/json; charset=nope"})
    void shouldAnswer415ForAContentTypeThatIsNotAConcreteKnownType(String contentType) throws Exception {
        MockHttpServletResponse response = send(contentType, null);

        assertThat(response.getStatus()).isEqualTo(415);
        assertThat(response.getContentType()).startsWith("application/problem+json");
    }

    /** The first two made Spring's parser throw StringIndexOutOfBoundsException: a 500 (found by ApiFuzzIT). */
    @ParameterizedTest
    @ValueSource(strings = {"\"                                       /!", "\"a/b", "text/", "no slash", "a/b; q=x"})
    void shouldAnswer406ForAnAcceptHeaderThatIsNotMediaTypes(String accept) throws Exception {
        MockHttpServletResponse response = send(null, accept);

        assertThat(response.getStatus()).isEqualTo(406);
        assertThat(response.getContentType()).startsWith("application/problem+json");
        assertThat(response.getContentAsString()).contains("\"code\":\"http-406\"");
    }

    /** Spring sorts at most 50; past that it answered a route without a body anyway and refused the others. */
    @Test
    void shouldAnswer406ForAnAcceptHeaderOfMoreTypesThanSpringSorts() throws Exception {
        MockHttpServletResponse response = send(null, String.join(", ", Collections.nCopies(51, "application/json")));

        assertThat(response.getStatus()).isEqualTo(406);
        assertThat(response.getContentAsString()).contains("\"code\":\"http-406\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "*/*", "application/problem+json, application/json;q=0.9", "text/html"})
    void shouldPassWhatParses(String accept) throws Exception {
        assertPassed(accept);
    }

    @Test
    void shouldPassAsManyTypesAsSpringSorts() throws Exception {
        assertPassed(String.join(", ", Collections.nCopies(50, "application/json")));
    }

    private void assertPassed(String accept) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/appointments");
        request.setContentType("application/json");
        request.addHeader("Accept", accept);
        MockFilterChain chain = new MockFilterChain();

        check.doFilter(request, new MockHttpServletResponse(), chain);

        assertThat(chain.getRequest()).isSameAs(request);
    }

    private MockHttpServletResponse send(String contentType, String accept) throws Exception {
        // As Tomcat gives it, unparsed (the mock would parse a Content-Type as it is set, and throw).
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/appointments") {
            @Override
            public String getContentType() {
                return contentType;
            }
        };
        if (accept != null) {
            request.addHeader("Accept", accept);
        }
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        check.doFilter(request, response, chain);
        assertThat(chain.getRequest()).as("passed on").isNull();
        return response;
    }
}
