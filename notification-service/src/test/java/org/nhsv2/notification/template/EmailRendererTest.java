package org.nhsv2.notification.template;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nhsv2.contracts.EmailRequested;
import org.nhsv2.contracts.EmailTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.nhsv2.contracts.EmailTemplate.AMOUNT;
import static org.nhsv2.contracts.EmailTemplate.APPOINTMENT_CANCELLED;
import static org.nhsv2.contracts.EmailTemplate.APPOINTMENT_CONFIRMATION;
import static org.nhsv2.contracts.EmailTemplate.APPOINTMENT_REMINDER;
import static org.nhsv2.contracts.EmailTemplate.APPOINTMENT_RESCHEDULED;
import static org.nhsv2.contracts.EmailTemplate.CHECKOUT_URL;
import static org.nhsv2.contracts.EmailTemplate.CURRENCY;
import static org.nhsv2.contracts.EmailTemplate.END;
import static org.nhsv2.contracts.EmailTemplate.PATIENT_NAME;
import static org.nhsv2.contracts.EmailTemplate.EXPIRES_AT;
import static org.nhsv2.contracts.EmailTemplate.PAYMENT_LINK;
import static org.nhsv2.contracts.EmailTemplate.PAYMENT_RECEIPT;
import static org.nhsv2.contracts.EmailTemplate.REFUND_NOTE;
import static org.nhsv2.contracts.EmailTemplate.START;
import static org.nhsv2.contracts.EmailTemplate.ZONE;
import static org.nhsv2.notification.EmailRequestFixtures.request;

class EmailRendererTest {

    private static final String WHEN = "Tuesday 1 December 2026, 09:00 to 09:30 (GMT)";

    private final EmailRenderer renderer = new EmailRenderer();

    @ParameterizedTest
    @EnumSource(EmailTemplate.class)
    void shouldWriteASubjectAndBothPartsWhenTheTemplateIsKnown(EmailTemplate template) {
        RenderedEmail email = renderer.render(request(template).build());

        assertThat(renderer.writes(template)).isTrue();
        assertThat(email.subject()).isNotBlank().doesNotContain("{", "}", "\n");
        assertThat(email.text()).startsWith("Dear Pat One,\n").contains("NHSv2").doesNotContain("[(", "[#", "th:", "${");
        assertThat(email.html()).startsWith("<!DOCTYPE html>").contains("<p>Dear <span>Pat One</span>,</p>")
                .contains("<title>" + email.subject() + "</title>").doesNotContain(" th:", "${");
    }

    @ParameterizedTest
    @EnumSource(EmailTemplate.class)
    void shouldNeverShowAClinicalReasonWhenTheModelCarriesOne(EmailTemplate template) {
        RenderedEmail email = renderer.render(request(template).with("reason", "Suspected fracture").build());

        assertThat(email.subject() + email.text() + email.html()).doesNotContain("fracture");
    }

    @Nested
    class Appointments {

        @Test
        void shouldConfirmTheTimeInTheFacilitysZoneWhenBooked() {
            RenderedEmail email = renderer.render(request(APPOINTMENT_CONFIRMATION).invitation().build());

            assertThat(email.subject()).isEqualTo("Your appointment on Tuesday 1 December 2026, 09:00 (GMT) is confirmed");
            assertThat(email.text()).contains("Your appointment is booked for " + WHEN + " at Riverside Clinic.")
                    .contains("Address: 1 River Road, London")
                    .contains("The attached invitation adds the appointment to your calendar.");
            assertThat(email.html()).contains("<strong>" + WHEN + "</strong>")
                    .contains("<strong>Riverside Clinic</strong>")
                    .contains("The attached invitation adds the appointment to your calendar.");
        }

        @Test
        void shouldNotMentionAnInvitationWhenNoneIsAttached() {
            RenderedEmail email = renderer.render(request(APPOINTMENT_CONFIRMATION).build());

            assertThat(email.text()).doesNotContain("invitation");
            assertThat(email.html()).doesNotContain("invitation");
        }

        @Test
        void shouldShowSummerTimeWhenTheAppointmentIsInBritishSummer() {
            RenderedEmail email = renderer.render(request(APPOINTMENT_REMINDER)
                    .with(START, "2026-07-14T08:00:00Z").with(END, "2026-07-14T08:20:00Z").build());

            assertThat(email.subject()).isEqualTo("Reminder: your appointment on Tuesday 14 July 2026, 09:00 (BST)");
            assertThat(email.text()).contains("This is a reminder of your appointment on"
                    + " Tuesday 14 July 2026, 09:00 to 09:20 (BST) at Riverside Clinic.");
        }

        @Test
        void shouldShowTheLocalDayWhenTheZoneIsAheadOfUtc() {
            RenderedEmail email = renderer.render(request(APPOINTMENT_CONFIRMATION).with(ZONE, "Pacific/Auckland")
                    .with(START, "2026-12-01T20:00:00Z").with(END, "2026-12-01T20:30:00Z").build());

            assertThat(email.text()).contains("Wednesday 2 December 2026, 09:00 to 09:30 (NZDT)");
        }

        @Test
        void shouldShowBothDaysWhenTheAppointmentEndsOnTheNextDay() {
            RenderedEmail email = renderer.render(request(APPOINTMENT_CONFIRMATION)
                    .with(START, "2026-12-01T23:30:00Z").with(END, "2026-12-02T00:15:00Z").build());

            assertThat(email.text()).contains("Tuesday 1 December 2026, 23:30 (GMT) to Wednesday 2 December 2026, 00:15 (GMT)");
        }

        @Test
        void shouldShowTheOldAndTheNewTimeWhenRescheduled() {
            RenderedEmail email = renderer.render(request(APPOINTMENT_RESCHEDULED).invitation().build());

            assertThat(email.subject()).isEqualTo("Your appointment has moved to Tuesday 1 December 2026, 09:00 (GMT)");
            assertThat(email.text()).contains("It was on: Monday 30 November 2026, 14:00 (GMT)")
                    .contains("It is now on: " + WHEN)
                    .contains("The attached invitation updates the appointment in your calendar.");
            assertThat(email.html()).contains("Monday 30 November 2026, 14:00 (GMT)").contains(WHEN);
        }

        @Test
        void shouldSayWhichAppointmentIsCancelledWhenCancelled() {
            RenderedEmail email = renderer.render(request(APPOINTMENT_CANCELLED).invitation().build());

            assertThat(email.subject()).isEqualTo("Your appointment on Tuesday 1 December 2026, 09:00 (GMT) has been cancelled");
            assertThat(email.text()).contains("Your appointment on " + WHEN
                            + " at Riverside Clinic (1 River Road, London) has been cancelled.")
                    .contains("The attached update removes it from your calendar.");
        }

        @Test
        void shouldEscapeTheNameInHtmlWhenItLooksLikeMarkup() {
            RenderedEmail email = renderer.render(request(APPOINTMENT_CONFIRMATION)
                    .with(PATIENT_NAME, "<script>alert('x')</script> O'Brien & Co").build());

            assertThat(email.html()).doesNotContain("<script>")
                    .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; O&#39;Brien &amp; Co");
            assertThat(email.text()).startsWith("Dear <script>alert('x')</script> O'Brien & Co,");
        }
    }

    @Nested
    class Payments {

        @Test
        void shouldGiveTheLinkAndWhenItExpiresWhenAskedToPay() {
            RenderedEmail email = renderer.render(request(PAYMENT_LINK).with(EXPIRES_AT, "2026-12-01T09:00:00Z").build());

            assertThat(email.subject()).isEqualTo("Your payment link for £70.00");
            assertThat(email.text()).contains("Please pay £70.00 through this secure payment page:")
                    .contains("\nhttps://checkout.stripe.com/c/pay/cs_test_a1\n")
                    .contains("The link works until Tuesday 1 December 2026, 09:00 (GMT).");
            assertThat(email.html()).contains(
                    "<a href=\"https://checkout.stripe.com/c/pay/cs_test_a1\">https://checkout.stripe.com/c/pay/cs_test_a1</a>");
        }

        @Test
        void shouldShowTimesInUtcWhenTheModelHasNoZone() {
            RenderedEmail email = renderer.render(request(PAYMENT_RECEIPT).with(AMOUNT, "1250").with(CURRENCY, "EUR")
                    .build());

            assertThat(email.subject()).isEqualTo("Receipt for your payment of €12.50");
            assertThat(email.text()).contains("We received your payment of €12.50 on Tuesday 1 December 2026, 09:00 (UTC).");
        }

        @Test
        void shouldShowWholeUnitsWhenTheCurrencyHasNoMinorUnit() {
            RenderedEmail email = renderer.render(request(REFUND_NOTE).with(AMOUNT, "500").with(CURRENCY, "JPY").build());

            assertThat(email.subject()).isEqualTo("Your refund of JP¥500");
            assertThat(email.text()).contains("We refunded JP¥500 to you on Tuesday 1 December 2026, 09:00 (UTC).");
        }

        @Test
        void shouldGroupThousandsWhenTheAmountIsLarge() {
            RenderedEmail email = renderer.render(request(PAYMENT_RECEIPT).with(AMOUNT, "123456789").build());

            assertThat(email.subject()).isEqualTo("Receipt for your payment of £1,234,567.89");
        }
    }

    @Nested
    class Refusals {

        @Test
        void shouldNameEveryMissingValueWhenTheModelLacksSome() {
            EmailRequested request = request(APPOINTMENT_CONFIRMATION).without(START).without(ZONE).build();

            assertThatThrownBy(() -> renderer.render(request)).isInstanceOf(InvalidEmailRequestException.class)
                    .hasMessage("the model lacks start, zone");
        }

        @Test
        void shouldRefuseWhenAValueIsBlank() {
            EmailRequested request = request(PAYMENT_RECEIPT).with(PATIENT_NAME, "  ").build();

            assertThatThrownBy(() -> renderer.render(request)).hasMessage("the model lacks patientName");
        }

        @Test
        void shouldRefuseWhenATimeIsNotAnInstant() {
            EmailRequested request = request(APPOINTMENT_REMINDER).with(START, "1 December 2026").build();

            assertThatThrownBy(() -> renderer.render(request)).hasMessage("the model's start is not an ISO-8601 instant");
        }

        @Test
        void shouldRefuseWhenTheEndIsNotAfterTheStart() {
            EmailRequested request = request(APPOINTMENT_REMINDER).with(END, "2026-12-01T09:00:00Z").build();

            assertThatThrownBy(() -> renderer.render(request)).hasMessage("the model's end is not after its start");
        }

        @Test
        void shouldRefuseWhenTheZoneIsUnknown() {
            EmailRequested request = request(APPOINTMENT_REMINDER).with(ZONE, "Europe/Atlantis").build();

            assertThatThrownBy(() -> renderer.render(request)).hasMessage("the model's zone is not a time zone id");
        }

        @Test
        void shouldRefuseWhenTheAmountIsNotWholeMinorUnits() {
            assertThatThrownBy(() -> renderer.render(request(PAYMENT_RECEIPT).with(AMOUNT, "70.00").build()))
                    .hasMessage("the model's amount is not a whole number of minor units");
            assertThatThrownBy(() -> renderer.render(request(PAYMENT_RECEIPT).with(AMOUNT, "-100").build()))
                    .hasMessage("the model's amount is negative");
        }

        @Test
        void shouldRefuseWhenTheCurrencyIsNotAnIsoCode() {
            assertThatThrownBy(() -> renderer.render(request(PAYMENT_RECEIPT).with(CURRENCY, "gbp").build()))
                    .hasMessage("the model's currency is not an ISO 4217 currency code");
            assertThatThrownBy(() -> renderer.render(request(PAYMENT_RECEIPT).with(CURRENCY, "XAU").build()))
                    .hasMessage("the model's currency is not an ISO 4217 currency code");
        }

        @Test
        void shouldRefuseWhenTheCheckoutLinkIsNotHttp() {
            EmailRequested request = request(PAYMENT_LINK).with(CHECKOUT_URL, "javascript:alert(1)").build();

            assertThatThrownBy(() -> renderer.render(request)).hasMessage("the model's checkoutUrl is not an http(s) link");
        }

        @Test
        void shouldRefuseWhenTheTemplateHasNoFiles() {
            EmailRenderer withoutFiles = new EmailRenderer("templates/none/");

            assertThat(withoutFiles.writes(APPOINTMENT_CONFIRMATION)).isFalse();
            assertThatThrownBy(() -> withoutFiles.render(request(APPOINTMENT_CONFIRMATION).build()))
                    .isInstanceOf(InvalidEmailRequestException.class)
                    .hasMessage("no email is written for template APPOINTMENT_CONFIRMATION");
        }
    }
}
