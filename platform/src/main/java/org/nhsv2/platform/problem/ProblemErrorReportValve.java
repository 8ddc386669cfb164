package org.nhsv2.platform.problem;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatus;

import java.io.IOException;
import java.io.Writer;

/**
 * What Tomcat answers itself, before any filter or controller runs (a malformed URI, an encoded
 * slash, a header it cannot parse): a problem document like every other error, not an HTML page.
 */
class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        HttpStatus known = HttpStatus.resolve(status);
        String title = known != null ? known.getReasonPhrase() : "Error";
        String code = status == 400 ? "invalid-request" : "http-" + status;
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                // Fixed text only: nothing of the request is echoed back.
                writer.write("{\"type\":\"/problems/" + code + "\",\"title\":\"" + title + "\",\"status\":" + status
                        + ",\"detail\":\"The server could not process the request as sent\",\"code\":\"" + code + "\"}");
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // The connection is gone or already used: nothing more can be said to the client.
        }
    }
}
