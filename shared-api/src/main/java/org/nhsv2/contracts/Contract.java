package org.nhsv2.contracts;

import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every message services exchange: its type name (the AMQP {@code type} property), the version of
 * its JSON (the {@code contract-version} header), the routing key it is published with and what
 * identifies one message for consumers that must not act twice.
 * <p>
 * A change a consumer of the current version cannot read (a removed or renamed field, a changed
 * meaning) is a new version; adding an optional field is not. The examples under
 * {@code src/test/resources/contracts} pin the JSON of each version.
 */
public enum Contract {

    EMAIL_REQUESTED("EmailRequested", 1, EmailRequested.class, "email.requested",
            message -> ((EmailRequested) message).requestId().toString()),
    EMAIL_DELIVERED("EmailDelivered", 1, EmailDelivered.class, "email.delivered",
            message -> "delivered:" + ((EmailDelivered) message).requestId()),
    EMAIL_FAILED("EmailFailed", 1, EmailFailed.class, "email.failed",
            message -> "failed:" + ((EmailFailed) message).requestId()),
    EMAIL_SUPERSEDED("EmailSuperseded", 1, EmailSuperseded.class, "email.superseded",
            message -> "superseded:" + ((EmailSuperseded) message).requestId()),
    PATIENT_PERSONAL_DATA_ERASED("PatientPersonalDataErased", 1, PatientPersonalDataErased.class,
            "patient.personal-data-erased", message -> erasureId((PatientPersonalDataErased) message));

    /** The header that carries {@link #version()}. */
    public static final String VERSION_HEADER = "contract-version";

    private final String type;
    private final int version;
    private final Class<?> recordType;
    private final String routingKey;
    private final Function<Object, String> messageId;

    Contract(String type, int version, Class<?> recordType, String routingKey, Function<Object, String> messageId) {
        this.type = type;
        this.version = version;
        this.recordType = recordType;
        this.routingKey = routingKey;
        this.messageId = messageId;
    }

    public String type() {
        return type;
    }

    public int version() {
        return version;
    }

    public Class<?> recordType() {
        return recordType;
    }

    /**
     * The key it is published under. Answers to an email request ({@link #EMAIL_DELIVERED},
     * {@link #EMAIL_FAILED}, {@link #EMAIL_SUPERSEDED}) add the requesting service's name, so each reaches only its requester.
     */
    public String routingKey() {
        return routingKey;
    }

    /** The same message published twice gets the same id. */
    public String messageId(Object message) {
        return messageId.apply(message);
    }

    public static Optional<Contract> ofType(String type) {
        return Arrays.stream(values()).filter(contract -> contract.type.equals(type)).findFirst();
    }

    public static Contract of(Object message) {
        return Arrays.stream(values())
                .filter(contract -> contract.recordType.isInstance(message))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(message.getClass().getName() + " is not a contract"));
    }

    private static String erasureId(PatientPersonalDataErased erased) {
        return "erased:" + erased.patientId() + ":" + erased.erasedAt().toEpochMilli();
    }
}
