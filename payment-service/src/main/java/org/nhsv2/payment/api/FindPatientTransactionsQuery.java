package org.nhsv2.payment.api;

import java.util.UUID;

/** Newest first. */
public record FindPatientTransactionsQuery(UUID patientId, int page, int size) {}
