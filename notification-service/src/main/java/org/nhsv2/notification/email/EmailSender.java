package org.nhsv2.notification.email;

/**
 * Where written emails go: SendGrid, or the local mailbox while no SendGrid key is configured. Called
 * inside the transaction that handles the request, so a mailbox keeps the email in it.
 */
public interface EmailSender {

    /**
     * @return accepted, with the provider's id for the message, or refused for good (retrying cannot help)
     * @throws EmailProviderUnavailableException when the provider could not be reached or asked to come back later
     * @throws EmailAnswerLostException          when the email went out and the provider's answer did not come back
     */
    Delivery send(OutgoingEmail email);
}
