package org.nhsv2.notification.sendgrid;

import com.sendgrid.Client;
import com.sendgrid.Method;
import com.sendgrid.Request;
import com.sendgrid.Response;
import com.sendgrid.SendGrid;
import com.sendgrid.helpers.mail.Mail;
import com.sendgrid.helpers.mail.objects.Attachments;
import com.sendgrid.helpers.mail.objects.Content;
import com.sendgrid.helpers.mail.objects.Email;
import com.sendgrid.helpers.mail.objects.Personalization;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.nhsv2.contracts.EmailAttachment;
import org.nhsv2.notification.email.Delivery;
import org.nhsv2.notification.email.EmailAnswerLostException;
import org.nhsv2.notification.email.EmailProviderUnavailableException;
import org.nhsv2.notification.email.EmailSender;
import org.nhsv2.notification.email.OutgoingEmail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends through SendGrid's v3 Mail Send API with the official client: the configured sender, the
 * subject, the text and HTML parts, the attachments as given (a calendar invitation keeps its
 * {@code method=} content type) and the request id as a custom argument, which SendGrid's event webhook
 * hands back. One call per attempt: retries belong to the listener, with its back-off and its limit.
 * A failure without an answer is an outage only if SendGrid cannot have the email ({@link SendGridFailures});
 * otherwise its answer was lost, which is not retried as an outage would be.
 */
public class SendGridSender implements EmailSender, AutoCloseable {

    static final String REQUEST_ID_ARG = "request_id";
    private static final Logger log = LoggerFactory.getLogger(SendGridSender.class);

    private final SendGridSettings settings;
    private final CloseableHttpClient http;
    private final SendGrid sendGrid;
    /** Whether SendGrid refuses our key or sender now: said once when that starts and once when it ends. */
    private final AtomicBoolean accountRefused = new AtomicBoolean();

    public SendGridSender(SendGridSettings settings) {
        this.settings = settings;
        int connect = Math.toIntExact(settings.connectTimeout().toMillis());
        RequestConfig timeouts = RequestConfig.custom().setConnectTimeout(connect).setConnectionRequestTimeout(connect)
                .setSocketTimeout(Math.toIntExact(settings.readTimeout().toMillis())).build();
        this.http = HttpClients.custom().setDefaultRequestConfig(timeouts).disableAutomaticRetries().build();
        // The client takes a host (with its port) and "test" mode for plain http, as against WireMock.
        boolean plainHttp = "http".equalsIgnoreCase(settings.apiBase().getScheme());
        this.sendGrid = new SendGrid(settings.apiKey(), new Client(http, plainHttp));
        this.sendGrid.setHost(settings.apiBase().getAuthority());
    }

    @Override
    public Delivery send(OutgoingEmail email) {
        Request request = new Request();
        request.setMethod(Method.POST);
        request.setEndpoint("mail/send");
        try {
            request.setBody(mail(email).build());
        } catch (IOException e) {
            // Jackson writing our own objects: nothing went out.
            throw new EmailProviderUnavailableException("the email could not be written for SendGrid", e);
        }
        Response response;
        try {
            response = sendGrid.api(request);
        } catch (IOException e) {
            if (SendGridFailures.neverSent(e)) {
                throw new EmailProviderUnavailableException("SendGrid could not be reached: " + e.getClass().getSimpleName(), e);
            }
            // The request may have been written (a read timeout, a reset after sending): SendGrid may have the email.
            throw new EmailAnswerLostException("SendGrid's answer was lost: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"), e);
        }
        int status = response.getStatusCode();
        if (SendGridResponses.refusesOurAccount(status)) {
            if (accountRefused.compareAndSet(false, true)) {
                // SendGrid's reason tells key from sender; the recipient's address is taken out of it.
                log.error("No email is sent until SENDGRID_API_KEY is valid and may send as {}, a verified sender;"
                                + " meanwhile emails wait and are tried again (said once until SendGrid takes one). {}",
                        settings.fromAddress(),
                        SendGridResponses.accountRefusal(status, response.getBody(), email.recipient()));
            }
        } else if (status >= 200 && status < 300 && accountRefused.compareAndSet(true, false)) {
            log.info("SendGrid takes the API key and the sender again: the waiting emails go out");
        }
        return SendGridResponses.delivery(status, response.getHeaders(), response.getBody(), email.recipient());
    }

    private Mail mail(OutgoingEmail email) {
        Mail mail = new Mail();
        mail.setFrom(new Email(settings.fromAddress(), settings.fromName()));
        mail.setSubject(email.subject());
        Personalization personalization = new Personalization();
        personalization.addTo(new Email(email.recipient()));
        mail.addPersonalization(personalization);
        // Plain text first: SendGrid requires it before HTML.
        mail.addContent(new Content("text/plain", email.text()));
        mail.addContent(new Content("text/html", email.html()));
        for (EmailAttachment attachment : email.attachments()) {
            Attachments file = new Attachments();
            file.setFilename(attachment.fileName());
            file.setType(attachment.contentType());
            file.setContent(attachment.content());
            file.setDisposition("attachment");
            mail.addAttachments(file);
        }
        mail.addCustomArg(REQUEST_ID_ARG, email.requestId().toString());
        return mail;
    }

    @Override
    public void close() throws IOException {
        http.close();
    }
}
