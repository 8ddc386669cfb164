package org.nhsv2.appointment.saga;

import java.util.UUID;

/** The deadline payload: the email that was to be answered by now. */
record EmailSilence(UUID requestId) {
}
