package org.nhsv2.notification.mailbox;

import org.nhsv2.notification.email.Delivery;
import org.nhsv2.notification.email.EmailSender;
import org.nhsv2.notification.email.OutgoingEmail;

/** Sends nothing: keeps each email in the {@link Mailbox}, in the transaction that handles its request. */
public class MailboxSender implements EmailSender {

    static final String ID_PREFIX = "mailbox:";

    private final Mailbox mailbox;

    public MailboxSender(Mailbox mailbox) {
        this.mailbox = mailbox;
    }

    @Override
    public Delivery send(OutgoingEmail email) {
        return new Delivery.Accepted(ID_PREFIX + mailbox.store(email));
    }
}
