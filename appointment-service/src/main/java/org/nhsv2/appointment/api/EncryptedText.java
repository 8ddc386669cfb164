package org.nhsv2.appointment.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Objects;

/**
 * Personal or clinical text sealed with its patient's data key. Events carry only this form, so
 * deleting the key erases the text from the whole history without rewriting any event.
 */
public record EncryptedText(String ciphertext) {

    public EncryptedText {
        Objects.requireNonNull(ciphertext, "ciphertext");
    }

    @JsonCreator
    public static EncryptedText of(String ciphertext) {
        return new EncryptedText(ciphertext);
    }

    @JsonValue
    @Override
    public String ciphertext() {
        return ciphertext;
    }

    @Override
    public String toString() {
        return "EncryptedText[sealed]";
    }
}
