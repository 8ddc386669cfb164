package org.nhsv2.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins each contract's JSON to a stored example: a change that would break a consumer of the
 * current version (a renamed, removed or retyped field) fails here. Such a change needs a new
 * version and a new example; an added optional field needs the example updated.
 */
class ContractExamplesTest {

    private static final UUID REQUEST = UUID.fromString("6f1c2a3e-8d4b-4c1a-9e2f-0a1b2c3d4e5f");
    private static final UUID APPOINTMENT = UUID.fromString("1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed");
    private static final UUID PATIENT = UUID.fromString("00000000-0000-0000-0000-00000000b0b1");
    private static final UUID SUPERSEDED_BY = UUID.fromString("9a7e5c3b-1d2f-4e6a-8b0c-2d4f6a8c0e1b");
    private static final Instant AT = Instant.parse("2026-11-27T09:30:00Z");

    @ParameterizedTest
    @EnumSource(Contract.class)
    void shouldWriteEachContractExactlyAsItsStoredExample(Contract contract) throws IOException {
        JsonNode written = ContractJson.mapper().valueToTree(example(contract));

        assertThat(written).isEqualTo(stored(contract));
    }

    @ParameterizedTest
    @EnumSource(Contract.class)
    void shouldReadEachStoredExampleBackIntoTheSameRecord(Contract contract) throws IOException {
        Object read = ContractJson.mapper().treeToValue(stored(contract), contract.recordType());

        assertThat(read).isEqualTo(example(contract));
    }

    @ParameterizedTest
    @EnumSource(Contract.class)
    void shouldGiveTheSameMessageTheSameIdAndNameItsTypeAndRoute(Contract contract) {
        assertThat(contract.messageId(example(contract))).isEqualTo(contract.messageId(example(contract)));
        assertThat(Contract.of(example(contract))).isEqualTo(contract);
        assertThat(Contract.ofType(contract.type())).contains(contract);
        assertThat(contract.routingKey()).matches("[a-z-]+(\\.[a-z-]+)+");
    }

    @ParameterizedTest
    @EnumSource(Contract.class)
    void shouldIgnoreAFieldAddedByANewerProducerOfTheSameVersion(Contract contract) throws IOException {
        var withExtra = ((com.fasterxml.jackson.databind.node.ObjectNode) stored(contract)).put("addedLater", "x");

        assertThat(ContractJson.mapper().treeToValue(withExtra, contract.recordType())).isEqualTo(example(contract));
    }

    /** An email request of a producer from before revisions (the field is optional): read with none, never superseded. */
    @org.junit.jupiter.api.Test
    void shouldReadAnEmailRequestWithoutARevision() throws IOException {
        var withoutRevision = ((com.fasterxml.jackson.databind.node.ObjectNode) stored(Contract.EMAIL_REQUESTED))
                .without("revision");

        EmailRequested read = ContractJson.mapper().treeToValue(withoutRevision, EmailRequested.class);

        EmailRequested example = (EmailRequested) example(Contract.EMAIL_REQUESTED);
        assertThat(read.revision()).isNull();
        assertThat(read).isEqualTo(new EmailRequested(example.requestId(), example.correlationId(), example.patientId(),
                example.recipient(), example.template(), example.locale(), example.model(), example.attachments()));
    }

    /** An erasure from a producer from before the basis and reference (both optional): read with neither. */
    @org.junit.jupiter.api.Test
    void shouldReadAnErasureWithoutABasisOrReference() throws IOException {
        var withoutThem = ((com.fasterxml.jackson.databind.node.ObjectNode) stored(Contract.PATIENT_PERSONAL_DATA_ERASED))
                .without(List.of("basis", "reference"));

        PatientPersonalDataErased read = ContractJson.mapper().treeToValue(withoutThem, PatientPersonalDataErased.class);

        assertThat(read).isEqualTo(new PatientPersonalDataErased(PATIENT, AT));
        assertThat(read.basis()).isNull();
    }

    private static JsonNode stored(Contract contract) throws IOException {
        String name = "/contracts/" + contract.type() + ".v" + contract.version() + ".json";
        try (InputStream in = ContractExamplesTest.class.getResourceAsStream(name)) {
            assertThat(in).as("stored example %s", name).isNotNull();
            return ContractJson.mapper().readTree(in);
        }
    }

    private static Object example(Contract contract) {
        return switch (contract) {
            case EMAIL_REQUESTED -> new EmailRequested(REQUEST, APPOINTMENT, PATIENT, "pat@example.org",
                    EmailTemplate.APPOINTMENT_CONFIRMATION, "en-GB",
                    Map.of("patientName", "Pat Example", "start", "2026-12-01T09:00:00Z", "zone", "Europe/London"),
                    List.of(new EmailAttachment("invite.ics", "text/calendar; method=REQUEST", "QkVHSU46VkNBTEVOREFS")), 2);
            case EMAIL_DELIVERED -> new EmailDelivered(REQUEST, APPOINTMENT, "sg-4f2a", AT);
            case EMAIL_FAILED -> new EmailFailed(REQUEST, APPOINTMENT, "the address does not exist", true);
            case EMAIL_SUPERSEDED -> new EmailSuperseded(REQUEST, APPOINTMENT, SUPERSEDED_BY);
            case PATIENT_PERSONAL_DATA_ERASED -> new PatientPersonalDataErased(PATIENT, AT, "DATA_SUBJECT_REQUEST",
                    "DSR-2026-0042");
        };
    }
}
