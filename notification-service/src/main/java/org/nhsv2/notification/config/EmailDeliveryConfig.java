package org.nhsv2.notification.config;

import org.nhsv2.notification.email.EmailSender;
import org.nhsv2.platform.web.Recipients;
import org.nhsv2.notification.mailbox.Mailbox;
import org.nhsv2.notification.mailbox.MailboxSender;
import org.nhsv2.notification.sendgrid.SendGridSender;
import org.nhsv2.notification.sendgrid.SendGridSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.time.Clock;

/**
 * Where emails go: SendGrid when {@code SENDGRID_API_KEY} is set, else the local mailbox, which the log
 * says loudly at start-up, since then no patient receives anything.
 */
@Configuration(proxyBeanMethods = false)
class EmailDeliveryConfig {

    private static final Logger log = LoggerFactory.getLogger(EmailDeliveryConfig.class);

    @Bean
    Mailbox mailbox(JdbcClient jdbc, Clock clock, SendGridSettings sendGrid) {
        return new Mailbox(jdbc, clock, !sendGrid.configured());
    }

    @Bean
    EmailSender emailSender(SendGridSettings sendGrid, Mailbox mailbox) {
        if (!sendGrid.configured()) {
            log.warn("No SENDGRID_API_KEY: emails are NOT sent. They are kept in the local mailbox, readable by an"
                    + " ADMIN at GET /api/mailbox?recipient=...");
            return new MailboxSender(mailbox);
        }
        if (!Recipients.isDeliverable(sendGrid.fromAddress())) {
            throw new IllegalStateException("Set NHSV2_EMAIL_FROM_ADDRESS (nhsv2.email.sendgrid.from-address) to a sender"
                    + " verified in SendGrid: it is required once SENDGRID_API_KEY is set");
        }
        log.info("Emails are sent through SendGrid at {} from {}", sendGrid.apiBase(), sendGrid.fromAddress());
        return new SendGridSender(sendGrid);
    }
}
