package org.nhsv2.notification.web;

import org.nhsv2.notification.mailbox.StoredEmail;

import java.util.List;

/** The newest emails kept for a recipient, newest first, at most the page size asked for. */
record MailboxPage(String recipient, List<StoredEmail> emails) {
}
