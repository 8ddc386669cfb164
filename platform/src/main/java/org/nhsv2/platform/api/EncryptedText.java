package org.nhsv2.platform.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Objects;

/**
 * Personal or clinical text sealed with its patient's data key. Events carry only this form, so
 * deleting the key erases the text from the whole history without rewriting any event.
 */
public record EncryptedText(String ciphertext) {

    /** What a sealed value reads as once its patient's key is destroyed. */
    public static final String ERASED = "[erased]";

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
