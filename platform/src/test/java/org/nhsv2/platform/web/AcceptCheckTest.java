package org.nhsv2.platform.web;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nhsv2.platform.problem.ProblemAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.WebApplicationContext;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.head;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** The Accept header checked before any handler runs, through the real MVC configuration the platform gives. */
class AcceptCheckTest {

    private static final String BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,"
            + "image/webp,*/*;q=0.8";

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class,
                    HttpMessageConvertersAutoConfiguration.class, WebMvcAutoConfiguration.class,
                    ProblemAutoConfiguration.class, WebInputAutoConfiguration.class))
            .withUserConfiguration(Routes.class);

    @Nested
    class ForAReading {

        @Test
        void shouldAnswer406ProblemBeforeTheHandlerRunsWhenJsonIsAcceptedOnlyInACharsetItIsNotWrittenIn() {
            run((mvc, routes) -> {
                refused(mvc.perform(get("/thing").header(HttpHeaders.ACCEPT, "application/json; charset=ISO-8859-1")));
                assertThat(routes.calls).hasValue(0);
            });
        }

        /** springdoc's swagger-config declares what it produces: Spring then answered this Accept with a 500. */
        @Test
        void shouldAnswer406NotA500WhenTheRouteDeclaresJsonAndTheCharsetIsNotWritable() {
            run((mvc, routes) -> {
                refused(mvc.perform(get("/declared").header(HttpHeaders.ACCEPT, "application/json;charset=ISO-8859-1")));
                refused(mvc.perform(head("/declared").header(HttpHeaders.ACCEPT, "application/json;charset=ISO-8859-1")));
                assertThat(routes.calls).hasValue(0);
            });
        }

        @Test
        void shouldAnswer406WhenOnlyHtmlIsAcceptedAndTheRouteWritesJson() {
            run((mvc, routes) -> {
                refused(mvc.perform(get("/thing").accept(MediaType.TEXT_HTML)));
                assertThat(routes.calls).hasValue(0);
            });
        }

        /** Spring writes its first choice or nothing; a wildcard the client likes less does not save it. */
        @Test
        void shouldAnswer406WhenThePreferredTypeIsInACharsetThatIsNotWrittenEvenIfAWildcardFollows() {
            run((mvc, routes) -> refused(mvc.perform(get("/declared")
                    .header(HttpHeaders.ACCEPT, "application/json;charset=ISO-8859-1, */*;q=0.1"))));
        }

        /** Spring sorts at most 50 matches of accepted and writable types; more failed as a 500. */
        @Test
        void shouldAnswer406WhenTheAcceptHeaderNamesTooManyTypesToChooseFrom() {
            run((mvc, routes) -> refused(mvc.perform(get("/thing")
                    .header(HttpHeaders.ACCEPT, String.join(", ", Collections.nCopies(30, "application/json"))))));
        }

        @ParameterizedTest
        @ValueSource(strings = {"*/*", "application/json", "application/json;charset=UTF-8", "application/json; charset=utf-8",
                "application/*", "application/json;q=0.5, text/html", "text/html, */*;q=0.1", BROWSER,
                "application/json;charset=ISO-8859-1;q=0.5, application/json"})
        void shouldAnswerJsonWhenTheAcceptHeaderAdmitsIt(String accept) {
            run((mvc, routes) -> {
                for (String path : new String[] {"/thing", "/declared"}) {
                    mvc.perform(get(path).header(HttpHeaders.ACCEPT, accept)).andExpect(status().isOk())
                            .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON));
                }
                assertThat(routes.calls).hasValue(2);
            });
        }

        @Test
        void shouldAnswerJsonWhenNoAcceptHeaderIsSent() {
            run((mvc, routes) -> mvc.perform(get("/thing")).andExpect(status().isOk())
                    .andExpect(jsonPath("$.name").value("thing")));
        }

        /** A page or a feed is a String, which a converter writes in any type and charset. */
        @ParameterizedTest
        @ValueSource(strings = {BROWSER, "text/html", "text/html;charset=ISO-8859-1", "*/*", "text/*"})
        void shouldAnswerAPageWhateverTypeABrowserAccepts(String accept) {
            run((mvc, routes) -> mvc.perform(get("/page").header(HttpHeaders.ACCEPT, accept))
                    .andExpect(status().isOk()).andExpect(content().contentTypeCompatibleWith(MediaType.TEXT_HTML)));
        }

        /** springdoc's /swagger-ui.html: a redirect, without a body, is the same whatever the Accept header says. */
        @ParameterizedTest
        @ValueSource(strings = {BROWSER, "*/*", "application/json; charset=ISO-8859-1", "text/calendar", "foo"})
        void shouldRedirectWhateverTheAcceptHeaderSays(String accept) {
            run((mvc, routes) -> mvc.perform(get("/elsewhere").header(HttpHeaders.ACCEPT, accept))
                    .andExpect(status().isFound()));
        }

        /** Spring matches the Accept header of an answer without a body too, and fails the same way. */
        @Test
        void shouldAnswer406WhenTheAcceptHeaderOfARedirectNamesTooManyTypesToChooseFrom() {
            run((mvc, routes) -> refused(mvc.perform(get("/elsewhere")
                    .header(HttpHeaders.ACCEPT, String.join(", ", Collections.nCopies(30, "application/json"))))));
        }

        /** Spring writes a problem as one when the Accept header admits nothing else. */
        @Test
        void shouldAnswerAProblemRouteWhateverTheAcceptHeaderSays() {
            run((mvc, routes) -> mvc.perform(get("/problem").accept(MediaType.TEXT_HTML))
                    .andExpect(status().isOk())
                    .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)));
        }

        @ParameterizedTest
        @ValueSource(strings = {"text/calendar", "text/calendar;charset=utf-8", "*/*", "text/*",
                "text/calendar, */*;q=0.8", "text/calendar;charset=ISO-8859-1"})
        void shouldAnswerAFeedWhenTheAcceptHeaderAdmitsACalendar(String accept) {
            run((mvc, routes) -> mvc.perform(get("/feed.ics").header(HttpHeaders.ACCEPT, accept))
                    .andExpect(status().isOk()).andExpect(content().contentTypeCompatibleWith("text/calendar")));
        }
    }

    @Nested
    class ForAChange {

        @Test
        void shouldAnswer406BeforeTheChangeIsMadeWhenTheAcceptedCharsetIsNotWritable() {
            run((mvc, routes) -> {
                refused(mvc.perform(post("/things").header(HttpHeaders.ACCEPT, "application/json; charset=ISO-8859-1")));
                refused(mvc.perform(post("/things").header(HttpHeaders.ACCEPT, "application/json;charset=ISO-8859-1, */*;q=0.1")));
                assertThat(routes.calls).hasValue(0);
            });
        }

        @Test
        void shouldMakeTheChangeWhenTheAcceptHeaderAdmitsTheAnswer() {
            run((mvc, routes) -> {
                mvc.perform(post("/things").accept(MediaType.ALL)).andExpect(status().isOk());
                mvc.perform(post("/things")).andExpect(status().isOk());
                assertThat(routes.calls).hasValue(2);
            });
        }
    }

    /**
     * The container forwards an error raised outside MVC (a filter's 401, say) to /error with the request's own
     * Accept; the problem keeps its status and is written whatever the Accept header says.
     */
    @Nested
    class ForAnErrorDispatch {

        @ParameterizedTest
        @ValueSource(strings = {"text/html", "application/json;charset=ISO-8859-1",
                "application/problem+json;charset=ISO-8859-1"})
        void shouldAnswerTheProblemWithItsOwnStatus(String accept) {
            run((mvc, routes) -> mvc.perform(errorDispatch(post("/error").header(HttpHeaders.ACCEPT, accept)))
                    .andExpect(status().isUnauthorized())
                    .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.status").value(401)));
        }
    }

    private static MockHttpServletRequestBuilder errorDispatch(MockHttpServletRequestBuilder request) {
        return request.with(sent -> {
            sent.setDispatcherType(DispatcherType.ERROR);
            sent.setAttribute(RequestDispatcher.ERROR_STATUS_CODE, 401);
            return sent;
        });
    }

    private static void refused(ResultActions answer) throws Exception {
        answer.andExpect(status().isNotAcceptable())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(406))
                .andExpect(jsonPath("$.code").value("http-406"));
    }

    private void run(MvcTest test) {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            test.run(MockMvcBuilders.webAppContextSetup((WebApplicationContext) context).build(),
                    context.getBean(Routes.class));
        });
    }

    @FunctionalInterface
    private interface MvcTest {
        void run(MockMvc mvc, Routes routes) throws Exception;
    }

    record Thing(String name) {
    }

    @RestController
    static class Routes {

        final AtomicInteger calls = new AtomicInteger();

        @GetMapping("/thing")
        Thing thing() {
            calls.incrementAndGet();
            return new Thing("thing");
        }

        /** As springdoc's swagger-config: a map, written by Jackson, on a route that declares JSON. */
        @GetMapping(value = "/declared", produces = MediaType.APPLICATION_JSON_VALUE)
        Map<String, Object> declared() {
            calls.incrementAndGet();
            return Map.of("name", "declared");
        }

        @GetMapping("/page")
        ResponseEntity<String> page() {
            return ResponseEntity.ok().contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
                    .body("<!doctype html><p>A page</p>");
        }

        @GetMapping(value = "/feed.ics", produces = "text/calendar")
        ResponseEntity<String> feed() {
            return ResponseEntity.ok().contentType(MediaType.parseMediaType("text/calendar;charset=UTF-8"))
                    .body("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n");
        }

        @GetMapping("/elsewhere")
        ResponseEntity<Void> elsewhere() {
            return ResponseEntity.status(HttpStatus.FOUND).location(URI.create("/thing")).build();
        }

        @GetMapping("/problem")
        ProblemDetail problem() {
            return ProblemDetail.forStatus(200);
        }

        @PostMapping("/things")
        Thing make() {
            calls.incrementAndGet();
            return new Thing("made");
        }
    }
}
