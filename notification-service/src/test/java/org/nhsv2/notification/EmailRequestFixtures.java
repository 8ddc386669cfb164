package org.nhsv2.notification;

import org.nhsv2.contracts.EmailAttachment;
import org.nhsv2.contracts.EmailRequested;
import org.nhsv2.contracts.EmailTemplate;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.nhsv2.contracts.EmailTemplate.AMOUNT;
import static org.nhsv2.contracts.EmailTemplate.CHECKOUT_URL;
import static org.nhsv2.contracts.EmailTemplate.CURRENCY;
import static org.nhsv2.contracts.EmailTemplate.END;
import static org.nhsv2.contracts.EmailTemplate.EXPIRES_AT;
import static org.nhsv2.contracts.EmailTemplate.FACILITY_ADDRESS;
import static org.nhsv2.contracts.EmailTemplate.FACILITY_NAME;
import static org.nhsv2.contracts.EmailTemplate.PAID_AT;
import static org.nhsv2.contracts.EmailTemplate.PATIENT_NAME;
import static org.nhsv2.contracts.EmailTemplate.PREVIOUS_START;
import static org.nhsv2.contracts.EmailTemplate.REFUNDED_AT;
import static org.nhsv2.contracts.EmailTemplate.START;
import static org.nhsv2.contracts.EmailTemplate.ZONE;

/**
 * Email requests as the other services send them: pat.one's appointment at Riverside on Tuesday
 * 1 December 2026, 09:00 to 09:30 London time (GMT), or a payment of GBP 70.00; each with fresh ids.
 */
public final class EmailRequestFixtures {

    public static final String PATIENT_EMAIL = "pat.one@example.test";
    public static final UUID PATIENT_ID = UUID.fromString("e0000000-0000-4000-8000-000000000001");
    public static final String INVITATION_TYPE = "text/calendar; method=REQUEST; charset=UTF-8";
    public static final String INVITATION = Base64.getEncoder().encodeToString(("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
            + "METHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:appointment@nhsv2\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
            .getBytes(StandardCharsets.UTF_8));

    private EmailRequestFixtures() {
    }

    public static Builder request(EmailTemplate template) {
        return new Builder(template);
    }

    public static final class Builder {

        private final EmailTemplate template;
        private final Map<String, String> model = new HashMap<>();
        private final List<EmailAttachment> attachments = new ArrayList<>();
        private UUID requestId = UUID.randomUUID();
        private UUID patientId = PATIENT_ID;
        private String recipient = PATIENT_EMAIL;
        private UUID correlationId = UUID.randomUUID();
        private Integer revision;

        private Builder(EmailTemplate template) {
            this.template = template;
            model.put(PATIENT_NAME, "Pat One");
            switch (template) {
                case APPOINTMENT_CONFIRMATION, APPOINTMENT_REMINDER, APPOINTMENT_CANCELLED, APPOINTMENT_RESCHEDULED -> {
                    model.put(START, "2026-12-01T09:00:00Z");
                    model.put(END, "2026-12-01T09:30:00Z");
                    model.put(ZONE, "Europe/London");
                    model.put(FACILITY_NAME, "Riverside Clinic");
                    model.put(FACILITY_ADDRESS, "1 River Road, London");
                    if (template == EmailTemplate.APPOINTMENT_RESCHEDULED) {
                        model.put(PREVIOUS_START, "2026-11-30T14:00:00Z");
                    }
                }
                case PAYMENT_LINK -> {
                    money();
                    model.put(CHECKOUT_URL, "https://checkout.stripe.com/c/pay/cs_test_a1");
                    // Far ahead: a payment link past its expiry is not sent (EmailRequestsIT).
                    model.put(EXPIRES_AT, "2096-12-01T09:00:00Z");
                    model.put(ZONE, "Europe/London");
                }
                case PAYMENT_RECEIPT -> {
                    money();
                    model.put(PAID_AT, "2026-12-01T09:00:00Z");
                }
                case REFUND_NOTE -> {
                    money();
                    model.put(REFUNDED_AT, "2026-12-01T09:00:00Z");
                }
            }
        }

        private void money() {
            model.put(AMOUNT, "7000");
            model.put(CURRENCY, "GBP");
        }

        public Builder requestId(UUID id) {
            this.requestId = id;
            return this;
        }

        public Builder patient(UUID id) {
            this.patientId = id;
            return this;
        }

        /** The appointment (or transaction) it is about: fresh unless set. */
        public Builder about(UUID correlation) {
            this.correlationId = correlation;
            return this;
        }

        /** The requester's revision of what the email describes; none unless set. */
        public Builder revision(int revision) {
            this.revision = revision;
            return this;
        }

        public Builder recipient(String address) {
            this.recipient = address;
            return this;
        }

        public Builder with(String key, String value) {
            model.put(key, value);
            return this;
        }

        public Builder without(String key) {
            model.remove(key);
            return this;
        }

        /** The calendar invitation an appointment email carries. */
        public Builder invitation() {
            attachments.add(new EmailAttachment("invitation.ics", INVITATION_TYPE, INVITATION));
            return this;
        }

        public EmailRequested build() {
            return new EmailRequested(requestId, correlationId, patientId, recipient, template, "en-GB", model,
                    attachments, revision);
        }
    }
}
