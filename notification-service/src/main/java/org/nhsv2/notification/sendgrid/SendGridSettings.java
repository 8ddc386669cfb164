package org.nhsv2.notification.sendgrid;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.net.URI;
import java.time.Duration;

/**
 * How the service reaches SendGrid ({@code nhsv2.email.sendgrid.*}). Without an {@code apiKey} nothing is
 * sent: emails are kept in the local mailbox.
 *
 * @param apiBase     scheme, host and port of SendGrid's API; tests point it at WireMock
 * @param fromAddress a sender verified in SendGrid, required with a key
 */
@ConfigurationProperties("nhsv2.email.sendgrid")
public record SendGridSettings(
        String apiKey,
        @DefaultValue("https://api.sendgrid.com") URI apiBase,
        String fromAddress,
        @DefaultValue("NHSv2") String fromName,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("20s") Duration readTimeout) {

    public boolean configured() {
        return apiKey != null && !apiKey.isBlank();
    }

    /** The key stays out of logs. */
    @Override
    public String toString() {
        return "SendGridSettings[apiBase=" + apiBase + ", configured=" + configured() + ", key redacted]";
    }
}
