package org.nhsv2.appointment.saga;

import org.nhsv2.appointment.api.FacilityView;
import org.nhsv2.appointment.api.SealedFields;
import org.nhsv2.appointment.facility.FacilityDirectory;
import org.nhsv2.contracts.EmailAttachment;
import org.nhsv2.contracts.EmailRequested;
import org.nhsv2.contracts.EmailTemplate;
import org.nhsv2.platform.api.EncryptedText;
import org.nhsv2.platform.messaging.IntegrationMessages;
import org.nhsv2.platform.vault.PersonalDataVault;
import org.nhsv2.platform.vault.PersonalDataVault.Binding;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes the {@link EmailRequested} for an email about an appointment and publishes it, returning
 * once the broker confirmed it: opens the patient's name and address, adds the facility's name,
 * address and zone, and attaches the invitation. Throws when the broker does not confirm, so the
 * saga's event handler fails and is retried.
 */
@Component
public class AppointmentEmails {

    private final IntegrationMessages messages;
    private final PersonalDataVault vault;
    private final FacilityDirectory facilities;
    private final ConfirmationSettings settings;
    private final Clock clock;

    AppointmentEmails(IntegrationMessages messages, PersonalDataVault vault, FacilityDirectory facilities,
                      ConfirmationSettings settings, Clock clock) {
        this.messages = messages;
        this.vault = vault;
        this.facilities = facilities;
        this.settings = settings;
        this.clock = clock;
    }

    /** False when there is no one to write to: the patient's data has been erased. */
    public boolean request(UUID requestId, EmailTemplate template, AppointmentFacts facts) {
        UUID id = facts.appointmentId();
        // One key lookup for both fields
        PersonalDataVault.Reader reader = vault.readerFor(List.of(facts.patientId()));
        String email = open(reader, facts, facts.patientEmail(), SealedFields.PATIENT_EMAIL);
        String name = open(reader, facts, facts.patientName(), SealedFields.PATIENT_NAME);
        if (email == null || EncryptedText.ERASED.equals(email)) {
            return false;
        }
        FacilityView facility = facilities.facility(facts.facilityId());
        ZoneId zone = ZoneId.of(facility.timeZone());
        Map<String, String> model = new HashMap<>();
        model.put(EmailTemplate.PATIENT_NAME, name);
        model.put(EmailTemplate.START, facts.start().toString());
        model.put(EmailTemplate.END, facts.end().toString());
        model.put(EmailTemplate.ZONE, zone.getId());
        model.put(EmailTemplate.FACILITY_NAME, facility.name());
        model.put(EmailTemplate.FACILITY_ADDRESS, facility.address());
        if (facts.previousStart() != null) {
            model.put(EmailTemplate.PREVIOUS_START, facts.previousStart().toString());
        }
        Invitation invitation = new Invitation(id, facts.cancelled(), facts.sequence(), facts.start(), facts.end(), zone,
                facility.name(), facility.address(), settings.organizer(), email, clock.instant());
        EmailAttachment attachment = new EmailAttachment(Invitation.FILE_NAME, invitation.contentType(),
                Base64.getEncoder().encodeToString(invitation.toIcs().getBytes(StandardCharsets.UTF_8)));
        // The invitation's SEQUENCE orders the emails: one written before a later change is not sent after it
        messages.publish(new EmailRequested(requestId, id, facts.patientId(), email, template, "en-GB", model,
                List.of(attachment), facts.sequence()));
        return true;
    }

    private static String open(PersonalDataVault.Reader reader, AppointmentFacts facts, EncryptedText text, String field) {
        return reader.open(facts.patientId(), text, Binding.of(facts.appointmentId(), field));
    }
}
