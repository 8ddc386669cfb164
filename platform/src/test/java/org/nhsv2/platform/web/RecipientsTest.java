package org.nhsv2.platform.web;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class RecipientsTest {

    @ParameterizedTest
    @ValueSource(strings = {"pat.one@example.test", "Pat.One+clinic@mail.example.co.uk", "o'brien@example.org",
            "a@b.io"})
    void shouldAcceptWhenTheAddressIsPlain(String address) {
        assertThat(Recipients.isDeliverable(address)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "pat.one", "pat.one@", "@example.test", "pat one@example.test", "pat.one@localhost",
            "Pat One <pat.one@example.test>", "pat.one@example.test, eve@example.test", "pat.one@example.test\nBcc: x@y.z",
            ".pat@example.test", "pat..one@example.test", "pat@-example.test", "pat@example..test"})
    void shouldRefuseWhenTheAddressIsNotOnePlainAddress(String address) {
        assertThat(Recipients.isDeliverable(address)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(ints = {65, 250})
    void shouldRefuseWhenAPartIsTooLong(int localLength) {
        assertThat(Recipients.isDeliverable("a".repeat(localLength) + "@example.test")).isFalse();
    }
}
