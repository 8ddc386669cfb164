package org.nhsv2.payment.command;

import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.ResultValidator;
import org.axonframework.test.aggregate.TestExecutor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;
import org.nhsv2.payment.api.ApplyStripeFactCommand;
import org.nhsv2.payment.api.CheckoutOpenedEvent;
import org.nhsv2.payment.api.CheckoutResult;
import org.nhsv2.payment.api.DisputeClosedEvent;
import org.nhsv2.payment.api.DisputeEscalatedEvent;
import org.nhsv2.payment.api.LineItem;
import org.nhsv2.payment.api.OpenCheckoutCommand;
import org.nhsv2.payment.api.PaymentError;
import org.nhsv2.payment.api.PaymentDisputedEvent;
import org.nhsv2.payment.api.FailedRefundRecordedEvent;
import org.nhsv2.payment.api.PaymentMismatchedEvent;
import org.nhsv2.payment.api.PaymentRejection;
import org.nhsv2.payment.api.ReconcileTransactionCommand;
import org.nhsv2.payment.api.RefundRequestedEvent;
import org.nhsv2.payment.api.RecordEmailDeliveredCommand;
import org.nhsv2.payment.api.RecordEmailFailedCommand;
import org.nhsv2.payment.api.RefundRecordedEvent;
import org.nhsv2.payment.api.RefundStatus;
import org.nhsv2.payment.api.RefundSucceededEvent;
import org.nhsv2.payment.api.RequestRefundCommand;
import org.nhsv2.payment.api.RequestedItem;
import org.nhsv2.payment.api.SealedFields;
import org.nhsv2.payment.api.StripeFact;
import org.nhsv2.payment.api.SubmitRefundCommand;
import org.nhsv2.payment.api.TransactionEmail;
import org.nhsv2.payment.api.TransactionInitiatedEvent;
import org.nhsv2.payment.command.TransactionFixtures.Checkout;
import org.nhsv2.payment.command.TransactionFixtures.History;
import org.nhsv2.platform.api.Actor;
import org.nhsv2.platform.api.EncryptedText;
import org.nhsv2.platform.api.IdempotencyKey;
import org.nhsv2.platform.api.Rejection;
import org.nhsv2.platform.messaging.MessageIds;
import org.nhsv2.platform.problem.RejectionTranslator;
import org.nhsv2.platform.vault.PersonalDataVault.Binding;
import org.nhsv2.platform.vault.PersonalDataVault;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.verifyNoMoreInteractions;
import static org.mockito.Mockito.when;
import static org.nhsv2.payment.command.Transaction.CHECKOUT_EXPIRY;
import static org.nhsv2.payment.command.TransactionFixtures.ADMIN;
import static org.nhsv2.payment.command.TransactionFixtures.ADMIN_OF_A;
import static org.nhsv2.payment.command.TransactionFixtures.BLOOD_TEST;
import static org.nhsv2.payment.command.TransactionFixtures.CHECKOUT_URL;
import static org.nhsv2.payment.command.TransactionFixtures.CONSULTATION;
import static org.nhsv2.payment.command.TransactionFixtures.CURRENCY;
import static org.nhsv2.payment.command.TransactionFixtures.DOCTOR_A;
import static org.nhsv2.payment.command.TransactionFixtures.DELIVERED_AT;
import static org.nhsv2.payment.command.TransactionFixtures.DOCTOR_B;
import static org.nhsv2.payment.command.TransactionFixtures.EMAIL_FAILURE;
import static org.nhsv2.payment.command.TransactionFixtures.EXPIRY_CHECK;
import static org.nhsv2.payment.command.TransactionFixtures.FACILITY_B;
import static org.nhsv2.payment.command.TransactionFixtures.IN_EUROS;
import static org.nhsv2.payment.command.TransactionFixtures.LINES;
import static org.nhsv2.payment.command.TransactionFixtures.LINK_EMAIL;
import static org.nhsv2.payment.command.TransactionFixtures.NOT_IN_CATALOGUE;
import static org.nhsv2.payment.command.TransactionFixtures.NOW;
import static org.nhsv2.payment.command.TransactionFixtures.OTHER_PATIENT;
import static org.nhsv2.payment.command.TransactionFixtures.PATIENT;
import static org.nhsv2.payment.command.TransactionFixtures.PATIENT_EMAIL;
import static org.nhsv2.payment.command.TransactionFixtures.PAYMENT_INTENT_ID;
import static org.nhsv2.payment.command.TransactionFixtures.PROVIDER_MESSAGE_ID;
import static org.nhsv2.payment.command.TransactionFixtures.RECEIPT_EMAIL;
import static org.nhsv2.payment.command.TransactionFixtures.REFUND_1;
import static org.nhsv2.payment.command.TransactionFixtures.REFUND_2;
import static org.nhsv2.payment.command.TransactionFixtures.REFUND_3;
import static org.nhsv2.payment.command.TransactionFixtures.REFUND_NOTE_EMAIL;
import static org.nhsv2.payment.command.TransactionFixtures.REFUND_REASON;
import static org.nhsv2.payment.command.TransactionFixtures.RETIRED;
import static org.nhsv2.payment.command.TransactionFixtures.SESSION_EXPIRES_AT;
import static org.nhsv2.payment.command.TransactionFixtures.SESSION_ID;
import static org.nhsv2.payment.command.TransactionFixtures.STRIPE_KEPT_AN_ERROR;
import static org.nhsv2.payment.command.TransactionFixtures.TOTAL;
import static org.nhsv2.payment.command.TransactionFixtures.TRANSACTION_ID;
import static org.nhsv2.payment.command.TransactionFixtures.attemptFailed;
import static org.nhsv2.payment.command.TransactionFixtures.by;
import static org.nhsv2.payment.command.TransactionFixtures.checkout;
import static org.nhsv2.payment.command.TransactionFixtures.checkoutExpired;
import static org.nhsv2.payment.command.TransactionFixtures.checkoutFailed;
import static org.nhsv2.payment.command.TransactionFixtures.checkoutPaid;
import static org.nhsv2.payment.command.TransactionFixtures.checkoutPaymentFailed;
import static org.nhsv2.payment.command.TransactionFixtures.emailDelivered;
import static org.nhsv2.payment.command.TransactionFixtures.emailFailed;
import static org.nhsv2.payment.command.TransactionFixtures.expired;
import static org.nhsv2.payment.command.TransactionFixtures.failedRefundRecorded;
import static org.nhsv2.payment.command.TransactionFixtures.initiated;
import static org.nhsv2.payment.command.TransactionFixtures.opened;
import static org.nhsv2.payment.command.TransactionFixtures.paid;
import static org.nhsv2.payment.command.TransactionFixtures.paymentAttemptFailed;
import static org.nhsv2.payment.command.TransactionFixtures.paymentFailed;
import static org.nhsv2.payment.command.TransactionFixtures.refundAttemptFailed;
import static org.nhsv2.payment.command.TransactionFixtures.refundExcluded;
import static org.nhsv2.payment.command.TransactionFixtures.refundFailed;
import static org.nhsv2.payment.command.TransactionFixtures.refundRecorded;
import static org.nhsv2.payment.command.TransactionFixtures.refundRequest;
import static org.nhsv2.payment.command.TransactionFixtures.refundRequested;
import static org.nhsv2.payment.command.TransactionFixtures.refundReversed;
import static org.nhsv2.payment.command.TransactionFixtures.refundSettled;
import static org.nhsv2.payment.command.TransactionFixtures.refundSettledFailed;
import static org.nhsv2.payment.command.TransactionFixtures.refundState;
import static org.nhsv2.payment.command.TransactionFixtures.refundSubmitted;
import static org.nhsv2.payment.command.TransactionFixtures.refundSucceeded;
import static org.nhsv2.payment.command.TransactionFixtures.sealed;
import static org.nhsv2.payment.command.TransactionFixtures.sessionState;
import static org.nhsv2.payment.command.TransactionFixtures.simulatedClock;
import static org.nhsv2.payment.command.TransactionFixtures.unseal;

class TransactionTest {

    private static final Map<String, ?> NO_ACTOR = Map.of();
    private static final Duration RECONCILE_AGAIN = Duration.ofMinutes(5);

    private AggregateTestFixture<Transaction> fixture;
    private CheckoutRequests requests;
    private Catalogue catalogue;
    /** The catalogue as it is now; a test may change it between two commands. */
    private final Map<UUID, Catalogue.Product> products = new HashMap<>();
    private StripeCheckouts stripe;
    private PersonalDataVault vault;
    private OwnCheckoutStarts ownCheckouts;

    @BeforeEach
    void setUp() throws StripeFailure {
        requests = mock(CheckoutRequests.class);
        catalogue = mock(Catalogue.class);
        stripe = mock(StripeCheckouts.class);
        vault = mock(PersonalDataVault.class);
        ownCheckouts = mock(OwnCheckoutStarts.class);

        for (Catalogue.Product product : List.of(CONSULTATION, BLOOD_TEST, RETIRED, IN_EUROS)) {
            products.put(product.productId(), product);
        }
        when(catalogue.find(any())).thenAnswer(call -> {
            Collection<UUID> ids = call.getArgument(0);
            return ids.stream().distinct().filter(products::containsKey)
                    .collect(Collectors.toMap(Function.identity(), products::get));
        });
        // Only the transaction's own patient has a sealer: sealing under another id fails the test.
        PersonalDataVault.Sealer sealer = mock(PersonalDataVault.Sealer.class);
        when(sealer.seal(any(), any())).thenAnswer(call -> {
            Binding binding = call.getArgument(1);
            return sealed(binding.recordId(), binding.field(), call.getArgument(0));
        });
        when(vault.sealerFor(PATIENT.id())).thenReturn(sealer);
        when(vault.open(eq(PATIENT.id()), any(), any()))
                .thenAnswer(call -> unseal(call.getArgument(1), call.getArgument(2)));
        when(stripe.openSession(any()))
                .thenReturn(new StripeCheckouts.OpenedSession(SESSION_ID, CHECKOUT_URL, SESSION_EXPIRES_AT));

        fixture = new AggregateTestFixture<>(Transaction.class);
        fixture.registerInjectableResource(simulatedClock(fixture::currentTime))
                .registerInjectableResource(requests)
                .registerInjectableResource(catalogue)
                .registerInjectableResource(stripe)
                .registerInjectableResource(vault)
                .registerInjectableResource(ownCheckouts)
                .registerCommandHandlerInterceptor(new RejectionTranslator(
                        notFound -> PaymentRejection.of(PaymentError.TRANSACTION_NOT_FOUND)));
        // The stub deadline manager's time, which the injected clock reads.
        fixture.givenCurrentTime(NOW);
    }

    /** The exception as it leaves the command bus, its details, and that nothing was stored. */
    private static void expectRejection(ResultValidator<Transaction> result, PaymentError error) {
        expectRejection(result, PaymentRejection.of(error));
    }

    private static void expectRejection(ResultValidator<Transaction> result, PaymentRejection rejection) {
        result.expectException(CommandExecutionException.class)
                .expectExceptionDetails(rejection)
                .expectNoEvents();
    }

    private static PaymentRejection exceedsRemainder(long remainder) {
        return PaymentRejection.of(PaymentError.REFUND_EXCEEDS_REMAINDER,
                "At most " + remainder + " (minor units of GBP) is left to refund");
    }

    private static StripeCheckouts.SessionRequest sessionRequest(String idempotencyKey, String email, Instant expiresAt) {
        return new StripeCheckouts.SessionRequest(TRANSACTION_ID, idempotencyKey, LINES, CURRENCY, email, expiresAt);
    }

    private static List<Object> paidThen(Object... later) {
        List<Object> events = new ArrayList<>(History.PAID.events());
        events.addAll(List.of(later));
        return events;
    }

    @Nested
    class Initiate {

        /** The key was used before for the same checkout, which made {@code original}: the rejection a retry gets. */
        private PaymentRejection keyAlreadyUsedFor(IdempotencyKey key, UUID original) {
            PaymentRejection duplicate = new PaymentRejection(PaymentError.DUPLICATE_REQUEST,
                    PaymentError.DUPLICATE_REQUEST.title(), original);
            doThrow(new TransactionRejectedException(duplicate)).when(requests).remember(eq(key), any());
            return duplicate;
        }

        private ResultValidator<Transaction> initiate(Checkout checkout, Actor actor) {
            return fixture.givenNoPriorActivity().when(checkout.command(), actor.metaData());
        }

        @Test
        void shouldSnapshotTheCataloguesNamesAndPricesAndSealThePersonalDataWhenDoctorOfTheFacilityInitiates() {
            initiate(checkout(), DOCTOR_A)
                    .expectSuccessfulHandlerExecution()
                    .expectResultMessagePayload(TRANSACTION_ID)
                    .expectEvents(initiated())
                    .expectNoScheduledDeadlines();

            verify(catalogue).find(List.of(CONSULTATION.productId(), BLOOD_TEST.productId()));
            verifyNoInteractions(requests, stripe);
        }

        @Test
        void shouldInitiateWhenPatientPaysForThemselves() {
            initiate(checkout(), PATIENT).expectEvents(initiated());
        }

        /** Each of a patient's own checkouts opens a Stripe session and sends an email: ten may wait at once. */
        @Test
        void shouldRejectAPatientsOwnCheckoutWhileTenOfTheirsWaitToBePaid() {
            when(ownCheckouts.waiting(PATIENT.id(), NOW.minus(Transaction.CHECKOUT_LIFETIME)))
                    .thenReturn((long) PaymentError.MAX_OPEN_CHECKOUTS);

            expectRejection(initiate(checkout(), PATIENT), PaymentError.TOO_MANY_OPEN_CHECKOUTS);

            verifyNoInteractions(catalogue, vault, stripe);
            verify(ownCheckouts, never()).started(any(), any(), any());
        }

        @Test
        void shouldInitiateAPatientsOwnCheckoutWhileNineOfTheirsWait() {
            when(ownCheckouts.waiting(eq(PATIENT.id()), any())).thenReturn((long) PaymentError.MAX_OPEN_CHECKOUTS - 1);

            initiate(checkout(), PATIENT).expectEvents(initiated());

            verify(ownCheckouts).started(TRANSACTION_ID, PATIENT.id(), NOW);
        }

        @Test
        void shouldInitiateADoctorsCheckoutWhateverThePatientHasWaiting() {
            when(ownCheckouts.waiting(eq(PATIENT.id()), any())).thenReturn(1_000L);

            initiate(checkout(), DOCTOR_A).expectEvents(initiated());

            verifyNoInteractions(ownCheckouts);
        }

        /** A retry of a checkout already made is answered with it, not refused for the waiting ones it is among. */
        @Test
        void shouldAnswerAPatientsRetryWithTheOriginalEvenWhileTenWait() {
            IdempotencyKey key = new IdempotencyKey(PATIENT.id(), "key-1");
            PaymentRejection duplicate = keyAlreadyUsedFor(key, UUID.fromString("70000000-0000-0000-0000-0000000000fe"));
            when(ownCheckouts.waiting(eq(PATIENT.id()), any())).thenReturn((long) PaymentError.MAX_OPEN_CHECKOUTS);

            expectRejection(initiate(checkout().withIdempotencyKey(key), PATIENT), duplicate);
        }

        @Test
        void shouldTakeTheCataloguesCurrentPriceAndNameWhenTheyChangedBeforeInitiation() {
            products.put(CONSULTATION.productId(), new Catalogue.Product(CONSULTATION.productId(), "Long consultation",
                    6000, "GBP", true));
            Checkout checkout = checkout().withItems(new RequestedItem(CONSULTATION.productId(), 3));

            initiate(checkout, DOCTOR_A).expectEvents(checkout.initiatedEvent(
                    List.of(new LineItem(CONSULTATION.productId(), "Long consultation", 6000, 3, 18000)), "GBP", 18000));
        }

        @Test
        void shouldSealNothingWhenThereIsNoEmailAndNoAppointment() {
            Checkout checkout = checkout().withoutEmailOrAppointment();

            initiate(checkout, DOCTOR_A).expectEvents(checkout.initiatedEvent());
        }

        @Test
        void shouldRejectWithPatientForbiddenWhenPatientPaysForAnotherPatient() {
            expectRejection(initiate(checkout(), OTHER_PATIENT), PaymentError.PATIENT_FORBIDDEN);

            verifyNoInteractions(requests, catalogue, vault);
        }

        @Test
        void shouldRejectWithFacilityForbiddenWhenDoctorWorksAtAnotherFacility() {
            expectRejection(initiate(checkout(), DOCTOR_B), PaymentError.FACILITY_FORBIDDEN);

            verifyNoInteractions(requests, catalogue, vault);
        }

        @Test
        void shouldRejectWithFacilityForbiddenWhenFacilityIsNotAmongTheDoctorsFacilities() {
            expectRejection(initiate(checkout().atFacility(FACILITY_B), DOCTOR_A), PaymentError.FACILITY_FORBIDDEN);
        }

        @Test
        void shouldRejectWithFacilityForbiddenWhenActorIsAnAdminListedAtTheFacility() {
            expectRejection(initiate(checkout(), ADMIN_OF_A), PaymentError.FACILITY_FORBIDDEN);
        }

        @Test
        void shouldRejectWithFacilityForbiddenWhenCommandCarriesNoActor() {
            expectRejection(fixture.givenNoPriorActivity().when(checkout().command(), NO_ACTOR),
                    PaymentError.FACILITY_FORBIDDEN);

            verifyNoInteractions(requests, catalogue, vault);
        }

        @Test
        void shouldRejectWithUnknownProductAsARuleViolationWhenAProductIsNotInTheCatalogue() {
            Checkout checkout = checkout().withItems(new RequestedItem(CONSULTATION.productId(), 1),
                    new RequestedItem(NOT_IN_CATALOGUE, 1));

            expectRejection(initiate(checkout, DOCTOR_A), PaymentRejection.of(PaymentError.UNKNOWN_PRODUCT,
                    "No product " + NOT_IN_CATALOGUE + " in the catalogue"));

            // RULE_VIOLATION is what the edge answers with 422.
            assertThat(PaymentError.UNKNOWN_PRODUCT.kind()).isEqualTo(Rejection.Kind.RULE_VIOLATION);
            verifyNoInteractions(vault);
        }

        @Test
        void shouldRejectWithInactiveProductWhenAProductIsNoLongerSold() {
            Checkout checkout = checkout().withItems(new RequestedItem(CONSULTATION.productId(), 1),
                    new RequestedItem(RETIRED.productId(), 1));

            expectRejection(initiate(checkout, DOCTOR_A), PaymentRejection.of(PaymentError.INACTIVE_PRODUCT,
                    "Product " + RETIRED.productId() + " is no longer sold"));

            verifyNoInteractions(vault);
        }

        @Test
        void shouldRejectWithMixedCurrenciesWhenItemsAreInTwoCurrencies() {
            Checkout checkout = checkout().withItems(new RequestedItem(CONSULTATION.productId(), 1),
                    new RequestedItem(IN_EUROS.productId(), 1));

            expectRejection(initiate(checkout, DOCTOR_A),
                    PaymentRejection.of(PaymentError.MIXED_CURRENCIES, "The items are in EUR and GBP"));

            verifyNoInteractions(vault);
        }

        @Test
        void shouldInitiateInTheProductsCurrencyWhenAllItemsAreInEuros() {
            Checkout checkout = checkout().withItems(new RequestedItem(IN_EUROS.productId(), 2));

            initiate(checkout, DOCTOR_A).expectEvents(checkout.initiatedEvent(
                    List.of(new LineItem(IN_EUROS.productId(), "Travel vaccine", 6000, 2, 12000)), "EUR", 12000));
        }

        @Test
        void shouldRejectWithNoItemsAndNotAskTheCatalogueWhenThereAreNoItems() {
            expectRejection(initiate(checkout().withItems(), DOCTOR_A), PaymentError.NO_ITEMS);

            verifyNoInteractions(catalogue, vault);
        }

        @ParameterizedTest
        @ValueSource(ints = {-1, 0, 101})
        void shouldRejectWithInvalidQuantityWhenAQuantityIsOutsideOneToOneHundred(int quantity) {
            Checkout checkout = checkout().withItems(new RequestedItem(CONSULTATION.productId(), 1),
                    new RequestedItem(BLOOD_TEST.productId(), quantity));

            expectRejection(initiate(checkout, DOCTOR_A), PaymentError.INVALID_QUANTITY);

            verifyNoInteractions(catalogue, vault);
        }

        @ParameterizedTest
        @ValueSource(ints = {1, 100})
        void shouldInitiateWhenTheQuantityIsOnTheBoundary(int quantity) {
            Checkout checkout = checkout().withItems(new RequestedItem(BLOOD_TEST.productId(), quantity));

            initiate(checkout, DOCTOR_A).expectEvents(checkout.initiatedEvent(
                    List.of(new LineItem(BLOOD_TEST.productId(), "Blood test", 1500, quantity, 1500L * quantity)), "GBP",
                    1500L * quantity));
        }

        @Test
        void shouldInitiateWhenThereAreTwentyItems() {
            Checkout checkout = checkout().withItems(Collections.nCopies(20, new RequestedItem(CONSULTATION.productId(), 1)));

            initiate(checkout, DOCTOR_A).expectEvents(checkout.initiatedEvent(
                    Collections.nCopies(20, new LineItem(CONSULTATION.productId(), "GP consultation", 4500, 1, 4500)), "GBP",
                    20 * 4500));
        }

        /** Stripe takes at most eight digits of minor units in one payment, and would refuse every attempt. */
        @Test
        void shouldRejectWithTotalTooLargeWhenTheItemsComeToMoreThanStripeTakesInOnePayment() {
            Catalogue.Product scanner = new Catalogue.Product(UUID.fromString("9e000000-0000-0000-0000-000000000005"),
                    "Portable scanner", 1_000_000, "GBP", true);
            products.put(scanner.productId(), scanner);

            expectRejection(initiate(checkout().withItems(new RequestedItem(scanner.productId(), 100)), DOCTOR_A),
                    PaymentRejection.of(PaymentError.TOTAL_TOO_LARGE,
                            "The items come to 100000000 (minor units of GBP); at most 99999999 can be paid at once"));
        }

        @Test
        void shouldInitiateWhenTheTotalIsAsMuchAsStripeTakesInOnePayment() {
            Catalogue.Product scanner = new Catalogue.Product(UUID.fromString("9e000000-0000-0000-0000-000000000005"),
                    "Portable scanner", 99_999_999, "GBP", true);
            products.put(scanner.productId(), scanner);
            Checkout checkout = checkout().withItems(new RequestedItem(scanner.productId(), 1));

            initiate(checkout, DOCTOR_A).expectEvents(checkout.initiatedEvent(
                    List.of(new LineItem(scanner.productId(), "Portable scanner", 99_999_999, 1, 99_999_999)), "GBP",
                    99_999_999));
        }

        @Test
        void shouldRejectWithInvalidQuantityWhenThereAreTwentyOneItems() {
            Checkout checkout = checkout().withItems(Collections.nCopies(21, new RequestedItem(CONSULTATION.productId(), 1)));

            expectRejection(initiate(checkout, DOCTOR_A), PaymentError.INVALID_QUANTITY);

            verifyNoInteractions(catalogue);
        }

        @Test
        void shouldNotTouchTheIdempotencyKeysWhenNoKeyIsGiven() {
            initiate(checkout(), DOCTOR_A).expectEvents(initiated());

            verifyNoInteractions(requests);
        }

        @Test
        void shouldRememberTheIdempotencyKeyBeforeAskingTheCatalogueWhenKeyIsGiven() {
            IdempotencyKey key = new IdempotencyKey(DOCTOR_A.id(), "key-1");
            Checkout checkout = checkout().withIdempotencyKey(key);

            initiate(checkout, DOCTOR_A).expectEvents(checkout.initiatedEvent());

            InOrder order = inOrder(requests, catalogue, vault);
            order.verify(requests).remember(key, checkout.command());
            order.verify(catalogue).find(any());
            order.verify(vault).sealerFor(PATIENT.id());
        }

        @Test
        void shouldRejectWithDuplicateRequestAndStoreNothingWhenKeyWasAlreadyUsedForTheSameCheckout() {
            IdempotencyKey key = new IdempotencyKey(PATIENT.id(), "key-1");
            PaymentRejection duplicate = keyAlreadyUsedFor(key, UUID.fromString("70000000-0000-0000-0000-0000000000ff"));

            expectRejection(initiate(checkout().withIdempotencyKey(key), PATIENT), duplicate);

            verifyNoInteractions(catalogue, vault, stripe);
        }

        @Test
        void shouldRejectWithIdempotencyKeyReusedWhenKeyWasUsedForAnotherCheckout() {
            IdempotencyKey key = new IdempotencyKey(PATIENT.id(), "key-1");
            doThrow(new TransactionRejectedException(PaymentError.IDEMPOTENCY_KEY_REUSED))
                    .when(requests).remember(eq(key), any());

            expectRejection(initiate(checkout().withIdempotencyKey(key), PATIENT), PaymentError.IDEMPOTENCY_KEY_REUSED);

            verifyNoInteractions(catalogue, vault);
        }

        @Test
        void shouldNotRememberTheKeyWhenTheActorMayNotPay() {
            IdempotencyKey key = new IdempotencyKey(OTHER_PATIENT.id(), "key-1");

            expectRejection(initiate(checkout().withIdempotencyKey(key), OTHER_PATIENT), PaymentError.PATIENT_FORBIDDEN);

            verifyNoInteractions(requests);
        }
    }

    /** The transaction keeps the prices it was made with, whatever the catalogue says later. */
    @Nested
    class CatalogueChangesLater {

        private void changeTheCatalogue() {
            products.put(CONSULTATION.productId(), new Catalogue.Product(CONSULTATION.productId(), "Extended consultation",
                    9900, "GBP", true));
            products.put(BLOOD_TEST.productId(), new Catalogue.Product(BLOOD_TEST.productId(), "Blood test", 100, "GBP",
                    false));
        }

        @Test
        void shouldAskStripeForTheSnapshotItemsWhenTheCatalogueChangedAfterInitiation() throws StripeFailure {
            TestExecutor<Transaction> initiatedEarlier = fixture.givenCommands(by(DOCTOR_A, checkout().command()));
            changeTheCatalogue();

            initiatedEarlier.when(new OpenCheckoutCommand(TRANSACTION_ID), PATIENT.metaData())
                    .expectEvents(opened());

            verify(stripe).openSession(sessionRequest(TRANSACTION_ID.toString(), PATIENT_EMAIL, SESSION_EXPIRES_AT));
            verify(catalogue, times(1)).find(any());
        }

        @Test
        void shouldLeaveOnlyTheStoredTotalToRefundWhenThePriceRoseAfterPayment() {
            changeTheCatalogue();

            expectRejection(fixture.given(History.PAID.events()).when(
                            new RequestRefundCommand(TRANSACTION_ID, REFUND_1, TOTAL + 1, REFUND_REASON), DOCTOR_A.metaData()),
                    exceedsRemainder(TOTAL));
        }

        @Test
        void shouldRefundTheWholeStoredTotalAndEndRefundedWhenThePriceFellAfterPayment() {
            changeTheCatalogue();

            fixture.given(paidThen(refundRequested(REFUND_1, TOTAL)))
                    .when(new ApplyStripeFactCommand(TRANSACTION_ID, "evt_refund", refundSettled("re_1", REFUND_1, TOTAL)))
                    .expectEvents(refundSucceeded(REFUND_1, "re_1", "evt_refund", TOTAL));

            expectRejection(fixture.given(paidThen(refundRequested(REFUND_1, TOTAL),
                                    refundSucceeded(REFUND_1, "re_1", "evt_refund", TOTAL)))
                            .when(new RequestRefundCommand(TRANSACTION_ID, REFUND_2, 1, REFUND_REASON), DOCTOR_A.metaData()),
                    PaymentError.NOT_REFUNDABLE);
            verifyNoInteractions(catalogue);
        }
    }

    @Nested
    class Open {

        private final OpenCheckoutCommand command = new OpenCheckoutCommand(TRANSACTION_ID);

        private ResultValidator<Transaction> open(Actor actor, Object... given) {
            return fixture.given(given).when(command, actor.metaData());
        }

        @Test
        void shouldOpenTheSessionUnderTheTransactionIdAndScheduleTheExpiryCheckWhenInitiated() throws StripeFailure {
            open(PATIENT, initiated())
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(opened())
                    .expectResultMessagePayload(new CheckoutResult(TRANSACTION_ID, true, CHECKOUT_URL, SESSION_EXPIRES_AT, null))
                    // Opened at 09:00: the session lasts 31 minutes, Stripe is asked two minutes after.
                    .expectScheduledDeadlineWithName(Instant.parse("2030-03-04T09:33:00Z"), CHECKOUT_EXPIRY);

            verify(stripe).openSession(sessionRequest(TRANSACTION_ID.toString(), PATIENT_EMAIL,
                    Instant.parse("2030-03-04T09:31:00Z")));
            verify(vault).open(PATIENT.id(), sealed(TRANSACTION_ID, SealedFields.PATIENT_EMAIL, PATIENT_EMAIL),
                    Binding.of(TRANSACTION_ID, SealedFields.PATIENT_EMAIL));
            verifyNoMoreInteractions(stripe);
        }

        @Test
        void shouldOpenWhenDoctorOfTheFacilityOpens() throws StripeFailure {
            open(DOCTOR_A, initiated()).expectEvents(opened());

            verify(stripe).openSession(sessionRequest(TRANSACTION_ID.toString(), PATIENT_EMAIL, SESSION_EXPIRES_AT));
        }

        @Test
        void shouldScheduleTheExpiryCheckFromTheExpiryStripeAnswered() throws StripeFailure {
            Instant answered = SESSION_EXPIRES_AT.plusSeconds(40);
            when(stripe.openSession(any())).thenReturn(new StripeCheckouts.OpenedSession(SESSION_ID, CHECKOUT_URL, answered));

            open(PATIENT, initiated())
                    .expectEvents(new CheckoutOpenedEvent(TRANSACTION_ID, 1, SESSION_ID, CHECKOUT_URL, answered))
                    .expectResultMessagePayload(new CheckoutResult(TRANSACTION_ID, true, CHECKOUT_URL, answered, null))
                    .expectScheduledDeadlineWithName(answered.plus(Duration.ofMinutes(2)), CHECKOUT_EXPIRY);
        }

        @Test
        void shouldAskForAnExpiryInWholeSecondsWhenTheClockShowsAFraction() throws StripeFailure {
            fixture.given(initiated()).andGivenCurrentTime(NOW.plusMillis(750))
                    .when(command, PATIENT.metaData())
                    .expectEvents(opened());

            verify(stripe).openSession(sessionRequest(TRANSACTION_ID.toString(), PATIENT_EMAIL, SESSION_EXPIRES_AT));
        }

        @Test
        void shouldReturnTheOpenSessionWithoutCallingStripeWhenAlreadyOpen() {
            open(PATIENT, initiated(), opened())
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents()
                    .expectResultMessagePayload(new CheckoutResult(TRANSACTION_ID, true, CHECKOUT_URL, SESSION_EXPIRES_AT, null))
                    .expectNoScheduledDeadlines();

            verifyNoInteractions(stripe);
        }

        @Test
        void shouldReturnTheOpenSessionWhenACardWasDeclinedMeanwhile() {
            open(PATIENT, initiated(), opened(), attemptFailed("evt_declined"))
                    .expectNoEvents()
                    .expectResultMessagePayload(new CheckoutResult(TRANSACTION_ID, true, CHECKOUT_URL, SESSION_EXPIRES_AT, null));

            verifyNoInteractions(stripe);
        }

        @ParameterizedTest
        @ValueSource(booleans = {false, true})
        void shouldRecordTheFailedAttemptAndAnswerNotOpenedWhenStripeFails(boolean outcomeUnknown) throws StripeFailure {
            when(stripe.openSession(any())).thenThrow(new StripeFailure("Stripe said no", outcomeUnknown, null));

            open(PATIENT, initiated())
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(checkoutFailed(1, SESSION_EXPIRES_AT, outcomeUnknown))
                    .expectResultMessagePayload(new CheckoutResult(TRANSACTION_ID, false, null, null, "Stripe said no"))
                    .expectNoScheduledDeadlines();
        }

        @Test
        void shouldOpenUnderANewKeyWithAFreshExpiryWhenRetriedAfterARefusal() throws StripeFailure {
            Instant later = NOW.plus(Duration.ofMinutes(10));
            Instant freshExpiry = later.plus(Duration.ofMinutes(31));
            when(stripe.openSession(any())).thenReturn(new StripeCheckouts.OpenedSession("cs_test_a2", CHECKOUT_URL + "2",
                    freshExpiry));

            fixture.given(initiated(), checkoutFailed(1, SESSION_EXPIRES_AT, false)).andGivenCurrentTime(later)
                    .when(command, PATIENT.metaData())
                    .expectEvents(new CheckoutOpenedEvent(TRANSACTION_ID, 2, "cs_test_a2", CHECKOUT_URL + "2", freshExpiry))
                    .expectResultMessagePayload(new CheckoutResult(TRANSACTION_ID, true, CHECKOUT_URL + "2", freshExpiry, null))
                    .expectScheduledDeadlineWithName(freshExpiry.plus(Duration.ofMinutes(2)), CHECKOUT_EXPIRY);

            verify(stripe).openSession(sessionRequest(TRANSACTION_ID + ":2", PATIENT_EMAIL, freshExpiry));
        }

        @Test
        void shouldRepeatTheSameKeyAndExpiryWhenRetriedAfterAnUnknownOutcome() throws StripeFailure {
            fixture.given(initiated(), checkoutFailed(1, SESSION_EXPIRES_AT, true))
                    .andGivenCurrentTime(NOW.plus(Duration.ofMinutes(1)))
                    .when(command, PATIENT.metaData())
                    .expectEvents(opened());

            verify(stripe).openSession(sessionRequest(TRANSACTION_ID.toString(), PATIENT_EMAIL, SESSION_EXPIRES_AT));
        }

        @Test
        void shouldRepeatTheSecondAttemptsKeyAndExpiryWhenItsOutcomeWasUnknown() throws StripeFailure {
            Instant secondExpiry = SESSION_EXPIRES_AT.plus(Duration.ofMinutes(5));

            fixture.given(initiated(), checkoutFailed(1, SESSION_EXPIRES_AT, false), checkoutFailed(2, secondExpiry, true))
                    .andGivenCurrentTime(NOW.plus(Duration.ofMinutes(7)))
                    .when(command, PATIENT.metaData())
                    .expectEvents(new CheckoutOpenedEvent(TRANSACTION_ID, 2, SESSION_ID, CHECKOUT_URL, SESSION_EXPIRES_AT));

            verify(stripe).openSession(sessionRequest(TRANSACTION_ID + ":2", PATIENT_EMAIL, secondExpiry));
        }

        @Test
        void shouldMoveToANewKeyWhenTheRepeatOfAnUnknownOutcomeWasRefused() throws StripeFailure {
            Instant later = NOW.plus(Duration.ofMinutes(3));

            fixture.given(initiated(), checkoutFailed(1, SESSION_EXPIRES_AT, true), checkoutFailed(1, SESSION_EXPIRES_AT, false))
                    .andGivenCurrentTime(later)
                    .when(command, PATIENT.metaData())
                    .expectEvents(new CheckoutOpenedEvent(TRANSACTION_ID, 2, SESSION_ID, CHECKOUT_URL, SESSION_EXPIRES_AT));

            verify(stripe).openSession(sessionRequest(TRANSACTION_ID + ":2", PATIENT_EMAIL,
                    later.plus(Duration.ofMinutes(31))));
        }

        @Test
        void shouldStayOpenableAfterAFailureSoTheNextOpenAsksStripeAgain() throws StripeFailure {
            when(stripe.openSession(any()))
                    .thenThrow(new StripeFailure("Stripe timed out", true, null))
                    .thenReturn(new StripeCheckouts.OpenedSession(SESSION_ID, CHECKOUT_URL, SESSION_EXPIRES_AT));

            fixture.given(initiated()).andGivenCommands(by(PATIENT, command))
                    .when(command, PATIENT.metaData())
                    .expectEvents(opened())
                    .expectResultMessagePayload(new CheckoutResult(TRANSACTION_ID, true, CHECKOUT_URL, SESSION_EXPIRES_AT, null));

            verify(stripe, times(2)).openSession(sessionRequest(TRANSACTION_ID.toString(), PATIENT_EMAIL, SESSION_EXPIRES_AT));
        }

        /**
         * Not opened within a checkout's lifetime of its start (Stripe failing meanwhile, or the instance stopping before
         * the first try): a request replayed with the old key does not open it then, as the cap on a patient's waiting
         * checkouts no longer counts it. Within it, it still may; and one started before the start was kept, always.
         */
        @Test
        void shouldRejectWithNotOpenableWhenNotOpenedWithinACheckoutsLifetimeOfItsStart() throws StripeFailure {
            Instant tooLate = NOW.plus(Transaction.CHECKOUT_LIFETIME).plusSeconds(1);
            expectRejection(fixture.given(initiated(), checkoutFailed(1, SESSION_EXPIRES_AT, false))
                    .andGivenCurrentTime(tooLate).when(command, PATIENT.metaData()), PaymentError.NOT_OPENABLE);
            expectRejection(fixture.given(initiated()).andGivenCurrentTime(tooLate).when(command, PATIENT.metaData()),
                    PaymentError.NOT_OPENABLE);
            verifyNoInteractions(stripe);

            when(stripe.openSession(any())).thenReturn(new StripeCheckouts.OpenedSession(SESSION_ID, CHECKOUT_URL,
                    SESSION_EXPIRES_AT));
            fixture.given(initiated(), checkoutFailed(1, SESSION_EXPIRES_AT, false))
                    .andGivenCurrentTime(NOW.plus(Transaction.CHECKOUT_LIFETIME))
                    .when(command, PATIENT.metaData())
                    .expectSuccessfulHandlerExecution();
        }

        @Test
        void shouldOpenACheckoutStartedBeforeItsStartWasKeptWheneverAsked() throws StripeFailure {
            when(stripe.openSession(any())).thenReturn(new StripeCheckouts.OpenedSession(SESSION_ID, CHECKOUT_URL,
                    SESSION_EXPIRES_AT));
            Instant tooLate = NOW.plus(Transaction.CHECKOUT_LIFETIME).plusSeconds(1);
            TransactionInitiatedEvent legacy = checkout().initiatedEvent();
            fixture.given(new TransactionInitiatedEvent(legacy.transactionId(), legacy.facilityId(), legacy.patientId(),
                            legacy.patientName(), legacy.patientEmail(), legacy.items(), legacy.currency(),
                            legacy.totalAmount(), legacy.appointmentId(), null))
                    .andGivenCurrentTime(tooLate)
                    .when(command, PATIENT.metaData())
                    .expectSuccessfulHandlerExecution();
        }

        @ParameterizedTest
        @EnumSource(value = History.class, names = {"PAID", "PARTIALLY_REFUNDED", "REFUNDED", "FAILED", "EXPIRED",
                "EXPIRED_UNOPENED"})
        void shouldRejectWithNotOpenableWhenTheCheckoutIsOver(History history) {
            expectRejection(fixture.given(history.events()).when(command, PATIENT.metaData()), PaymentError.NOT_OPENABLE);

            verifyNoInteractions(stripe);
        }

        @Test
        void shouldOpenWithoutAnEmailWhenThePatientsDataWasErased() throws StripeFailure {
            when(vault.open(eq(PATIENT.id()), any(), any())).thenReturn(EncryptedText.ERASED);

            open(PATIENT, initiated()).expectEvents(opened());

            ArgumentCaptor<StripeCheckouts.SessionRequest> request =
                    ArgumentCaptor.forClass(StripeCheckouts.SessionRequest.class);
            verify(stripe).openSession(request.capture());
            assertThat(request.getValue().customerEmail()).isNull();
            assertThat(request.getValue()).isEqualTo(sessionRequest(TRANSACTION_ID.toString(), null, SESSION_EXPIRES_AT));
        }

        @Test
        void shouldOpenWithoutAnEmailWhenNoneWasGiven() throws StripeFailure {
            open(PATIENT, checkout().withoutEmailOrAppointment().initiatedEvent()).expectEvents(opened());

            verify(stripe).openSession(sessionRequest(TRANSACTION_ID.toString(), null, SESSION_EXPIRES_AT));
        }

        @Test
        void shouldRejectWithPatientForbiddenWhenAnotherPatientOpens() {
            expectRejection(open(OTHER_PATIENT, initiated()), PaymentError.PATIENT_FORBIDDEN);

            verifyNoInteractions(stripe, vault);
        }

        @Test
        void shouldRejectWithPatientForbiddenRatherThanShowTheLinkWhenAnotherPatientAsksForAnOpenCheckout() {
            expectRejection(open(OTHER_PATIENT, initiated(), opened()), PaymentError.PATIENT_FORBIDDEN);
        }

        @Test
        void shouldRejectWithFacilityForbiddenWhenDoctorWorksAtAnotherFacility() {
            expectRejection(open(DOCTOR_B, initiated()), PaymentError.FACILITY_FORBIDDEN);

            verifyNoInteractions(stripe, vault);
        }

        @Test
        void shouldRejectWithFacilityForbiddenWhenCommandCarriesNoActor() {
            expectRejection(fixture.given(initiated()).when(command, NO_ACTOR), PaymentError.FACILITY_FORBIDDEN);

            verifyNoInteractions(stripe);
        }

        @Test
        void shouldRejectWithTransactionNotFoundWhenNoSuchTransactionExists() {
            expectRejection(fixture.givenNoPriorActivity().when(command, PATIENT.metaData()),
                    PaymentError.TRANSACTION_NOT_FOUND);

            verifyNoInteractions(stripe);
        }
    }

    @Nested
    class StripeFacts {

        private ResultValidator<Transaction> deliver(String stripeEventId, StripeFact fact, List<Object> given) {
            return fixture.given(given).when(new ApplyStripeFactCommand(TRANSACTION_ID, stripeEventId, fact));
        }

        private ResultValidator<Transaction> deliver(String stripeEventId, StripeFact fact, Object... given) {
            return deliver(stripeEventId, fact, List.of(given));
        }

        @Test
        void shouldRecordThePaymentWhenTheOpenCheckoutIsPaid() {
            deliver("evt_1", checkoutPaid(), History.OPEN.events())
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(paid("evt_1"));

            verifyNoInteractions(stripe);
        }

        /** A Payment Link or session made at Stripe with this transaction's metadata, for 1p, does not pay it. */
        @Test
        void shouldRecordAPaymentOfAnotherAmountOnceWithoutMarkingTheTransactionPaid() {
            StripeFact.CheckoutPaid onePenny = new StripeFact.CheckoutPaid("cs_elsewhere", "pi_elsewhere", 1, "gbp");
            PaymentMismatchedEvent mismatched = new PaymentMismatchedEvent(TRANSACTION_ID, "evt_1", "cs_elsewhere",
                    "pi_elsewhere", 1, "gbp");

            deliver("evt_1", onePenny, History.OPEN.events()).expectEvents(mismatched);
            deliver("evt_2", onePenny, initiated(), opened(), mismatched).expectNoEvents();
            // Still open: the real payment is recorded when it comes.
            deliver("evt_3", checkoutPaid(), initiated(), opened(), mismatched).expectEvents(paid("evt_3"));
        }

        /** An earlier attempt's session paid too, say: money taken twice, for an operator to give back. */
        @Test
        void shouldRecordASecondPaymentOnceTheTransactionIsPaid() {
            PaymentMismatchedEvent second = new PaymentMismatchedEvent(TRANSACTION_ID, "evt_2", "cs_earlier", "pi_second",
                    TOTAL, "gbp");

            deliver("evt_2", new StripeFact.CheckoutPaid("cs_earlier", "pi_second", TOTAL, "gbp"), History.PAID.events())
                    .expectEvents(second);
            deliver("evt_3", new StripeFact.CheckoutPaid("cs_earlier", "pi_second", TOTAL, "gbp"), paidThen(second))
                    .expectNoEvents();
            deliver("evt_4", checkoutPaid(), History.PAID.events()).expectNoEvents();
        }

        @Test
        void shouldRecordAPaymentOfTheTotalInAnotherCurrencyWithoutMarkingTheTransactionPaid() {
            deliver("evt_1", new StripeFact.CheckoutPaid(SESSION_ID, PAYMENT_INTENT_ID, TOTAL, "usd"), History.OPEN.events())
                    .expectEvents(new PaymentMismatchedEvent(TRANSACTION_ID, "evt_1", SESSION_ID, PAYMENT_INTENT_ID, TOTAL,
                            "usd"));
        }

        /** Stripe writes currencies in lower case; a fact sent before facts carried one is taken at its amount. */
        @ParameterizedTest
        @ValueSource(strings = {"gbp", "GBP"})
        @NullSource
        void shouldRecordThePaymentOfTheTotalInTheTransactionsCurrencyWhateverItsCase(String currency) {
            deliver("evt_1", new StripeFact.CheckoutPaid(SESSION_ID, PAYMENT_INTENT_ID, TOTAL, currency),
                    History.OPEN.events()).expectEvents(paid("evt_1"));
        }

        @Test
        void shouldIgnoreTheExpiryOrFailureOfAnotherSessionThanTheCurrentOne() {
            deliver("evt_old", new StripeFact.CheckoutExpired("cs_test_an_earlier_attempt"), History.OPEN.events())
                    .expectNoEvents();
            deliver("evt_old2", new StripeFact.CheckoutPaymentFailed("cs_test_an_earlier_attempt", "failed"),
                    History.OPEN.events()).expectNoEvents();
        }

        /** A refund of this payment, or of a payment Stripe did not name, told first: it still counts. */
        @ParameterizedTest
        @ValueSource(strings = PAYMENT_INTENT_ID)
        @NullSource
        void shouldStillRecordThePaymentWhenARefundOfItWasToldFirst(String refundedPaymentIntent) {
            deliver("evt_paid", checkoutPaid(), initiated(), opened(),
                    refundRecorded("re_dash", "evt_dash", 1000, refundedPaymentIntent))
                    .expectEvents(paid("evt_paid"));
        }

        /**
         * A Payment Link paid a penny with this transaction's metadata, and an operator refunded it in Stripe's dashboard;
         * Stripe told of the refund first, when its payment was not known yet, so it was counted.
         */
        @Test
        void shouldExcludeARefundToldBeforeItsPaymentWhenThatPaymentIsRecordedAsMismatched() {
            deliver("evt_p", new StripeFact.CheckoutPaid("cs_link", "pi_penny", 1, "gbp"), initiated(), opened(),
                    refundRecorded("re_penny", "evt_d1", 1, "pi_penny"))
                    .expectEvents(new PaymentMismatchedEvent(TRANSACTION_ID, "evt_p", "cs_link", "pi_penny", 1, "gbp"),
                            refundExcluded("re_penny", "pi_penny", "evt_p", 1));
        }

        /** The same, but that refund of the earlier payment failed: counted for nothing, it is not listed any more either. */
        @Test
        void shouldExcludeAFailedRefundToldBeforeThePaymentWhenAnotherPaymentBecomesTheTransactions() {
            List<Object> failedFirst = List.of(initiated(), opened(), new FailedRefundRecordedEvent(TRANSACTION_ID,
                    "re_earlier", "evt_d1", TOTAL, "pi_earlier", "Stripe: failed"));

            deliver("evt_paid", checkoutPaid(), failedFirst)
                    .expectEvents(paid("evt_paid"), refundExcluded("re_earlier", "pi_earlier", "evt_paid", 0));
            List<Object> excluded = new ArrayList<>(failedFirst);
            excluded.addAll(List.of(paid("evt_paid"), refundExcluded("re_earlier", "pi_earlier", "evt_paid", 0)));
            deliver("evt_earlier", new StripeFact.CheckoutPaid("cs_earlier", "pi_earlier", TOTAL, "gbp"), excluded)
                    .expectEvents(new PaymentMismatchedEvent(TRANSACTION_ID, "evt_earlier", "cs_earlier", "pi_earlier",
                            TOTAL, "gbp"));
        }

        /** An earlier attempt's session paid too, and was refunded in the dashboard before either payment was told. */
        @Test
        void shouldExcludeARefundToldBeforeThePaymentWhenAnotherPaymentBecomesTheTransactions() {
            List<Object> refundedFirst = List.of(initiated(), opened(), refundRecorded("re_earlier", "evt_d1", TOTAL,
                    "pi_earlier"));

            deliver("evt_paid", checkoutPaid(), refundedFirst)
                    .expectEvents(paid("evt_paid"), refundExcluded("re_earlier", "pi_earlier", "evt_paid", TOTAL));
            // Reconciliation found the payment: no Stripe event.
            deliver(null, checkoutPaid(), refundedFirst)
                    .expectEvents(paid(null), refundExcluded("re_earlier", "pi_earlier", null, TOTAL));
            // The earlier session's own payment, told later, excludes it no second time.
            List<Object> excluded = new ArrayList<>(refundedFirst);
            excluded.addAll(List.of(paid("evt_paid"), refundExcluded("re_earlier", "pi_earlier", "evt_paid", TOTAL)));
            deliver("evt_earlier", new StripeFact.CheckoutPaid("cs_earlier", "pi_earlier", TOTAL, "gbp"), excluded)
                    .expectEvents(new PaymentMismatchedEvent(TRANSACTION_ID, "evt_earlier", "cs_earlier", "pi_earlier",
                            TOTAL, "gbp"));
        }

        /** Paid, and nothing of its own payment refunded: the whole total may be refunded. */
        @Test
        void shouldLeaveTheWholeTotalRefundableWhenARefundToldBeforeThePaymentGaveBackAnotherPayment() {
            fixture.given(initiated(), opened(), refundRecorded("re_earlier", "evt_d1", TOTAL, "pi_earlier"))
                    .andGivenCommands(new ApplyStripeFactCommand(TRANSACTION_ID, "evt_paid", checkoutPaid()))
                    .when(new RequestRefundCommand(TRANSACTION_ID, REFUND_1, TOTAL, REFUND_REASON), DOCTOR_A.metaData())
                    .expectEvents(refundRequested(REFUND_1, TOTAL));
        }

        @Test
        void shouldRecordThePaymentWithoutAnEventIdWhenTheFactCarriesNone() {
            deliver(null, checkoutPaid(), History.OPEN.events()).expectEvents(paid(null));
        }

        @Test
        void shouldChangeNothingWhenTheSamePaymentEventIsDeliveredAgain() {
            deliver("evt_1", checkoutPaid(), initiated(), opened(), paid("evt_1")).expectNoEvents();
        }

        @Test
        void shouldChangeNothingWhenTheSameEventIsDeliveredAgainEvenIfItWouldStillApply() {
            // A declined card while open is recorded each time (see below), but not twice for one Stripe event.
            deliver("evt_1", paymentAttemptFailed(), initiated(), opened(), attemptFailed("evt_1")).expectNoEvents();
        }

        @ParameterizedTest
        @EnumSource(value = History.class, names = {"PAID", "PARTIALLY_REFUNDED", "REFUNDED"})
        void shouldChangeNothingWhenAnotherPaymentEventArrivesForAPaidTransaction(History history) {
            deliver("evt_2", checkoutPaid(), history.events()).expectNoEvents();
        }

        @Test
        void shouldRecordTheExpiryWhenTheOpenCheckoutExpires() {
            deliver("evt_1", checkoutExpired(), History.OPEN.events()).expectEvents(expired("evt_1"));
        }

        @Test
        void shouldRecordTheExpiryWhenASessionExpiresBeforeItsOpeningWasRecorded() {
            // Opening timed out, yet Stripe had made the session: its expiry still ends the transaction.
            deliver("evt_1", checkoutExpired(), initiated(), checkoutFailed(1, SESSION_EXPIRES_AT, true))
                    .expectEvents(expired("evt_1"));
        }

        @Test
        void shouldRecordThePaymentWhenItArrivesAfterTheExpiryBecauseMoneyTakenWins() {
            deliver("evt_2", checkoutPaid(), History.EXPIRED.events()).expectEvents(paid("evt_2"));
        }

        @ParameterizedTest
        @EnumSource(value = History.class, names = {"PAID", "REFUNDED", "FAILED", "EXPIRED"})
        void shouldChangeNothingWhenAnExpiryArrivesAfterTheCheckoutEnded(History history) {
            deliver("evt_late", checkoutExpired(), history.events()).expectNoEvents();
        }

        @Test
        void shouldRecordTheDeclinedAttemptAndStayOpenWhenACardIsDeclined() {
            deliver("evt_1", paymentAttemptFailed(), History.OPEN.events()).expectEvents(attemptFailed("evt_1"));

            // Still open: the patient may try again, and pay.
            deliver("evt_2", checkoutPaid(), initiated(), opened(), attemptFailed("evt_1")).expectEvents(paid("evt_2"));
        }

        @Test
        void shouldRecordEachDeclinedAttemptWhenTheyAreDifferentStripeEvents() {
            deliver("evt_2", paymentAttemptFailed(), initiated(), opened(), attemptFailed("evt_1"))
                    .expectEvents(attemptFailed("evt_2"));
        }

        @ParameterizedTest
        @EnumSource(value = History.class, names = {"INITIATED", "PAID", "FAILED", "EXPIRED"})
        void shouldChangeNothingWhenADeclinedAttemptIsReportedOutsideAnOpenCheckout(History history) {
            deliver("evt_1", paymentAttemptFailed(), history.events()).expectNoEvents();
        }

        @Test
        void shouldRecordThePaymentFailureWhenTheOpenCheckoutsPaymentFails() {
            deliver("evt_1", checkoutPaymentFailed(), History.OPEN.events()).expectEvents(paymentFailed("evt_1"));
        }

        @ParameterizedTest
        @EnumSource(value = History.class, names = {"INITIATED", "PAID", "EXPIRED", "FAILED"})
        void shouldChangeNothingWhenAPaymentFailureIsReportedOutsideAnOpenCheckout(History history) {
            deliver("evt_late", checkoutPaymentFailed(), history.events()).expectNoEvents();
        }

        @Test
        void shouldRecordThePaymentWhenItArrivesAfterAPaymentFailure() {
            deliver("evt_2", checkoutPaid(), History.FAILED.events()).expectEvents(paid("evt_2"));
        }

        @Test
        void shouldRejectWithTransactionNotFoundWhenNoSuchTransactionExists() {
            expectRejection(fixture.givenNoPriorActivity()
                            .when(new ApplyStripeFactCommand(TRANSACTION_ID, "evt_1", checkoutPaid())),
                    PaymentError.TRANSACTION_NOT_FOUND);
        }
    }

    @Nested
    class RefundFacts {

        private final List<Object> submitted = paidThen(refundRequested(REFUND_1, 2000), refundSubmitted(REFUND_1, "re_1"));

        private ResultValidator<Transaction> deliver(String stripeEventId, StripeFact fact, List<Object> given) {
            return fixture.given(given).when(new ApplyStripeFactCommand(TRANSACTION_ID, stripeEventId, fact));
        }

        private List<Object> submittedThen(Object... later) {
            List<Object> events = new ArrayList<>(submitted);
            events.addAll(List.of(later));
            return events;
        }

        @Test
        void shouldRecordTheRefundAsSucceededWhenStripeNamesOurRefundId() {
            deliver("evt_r1", refundSettled("re_1", REFUND_1, 2000), submitted)
                    .expectEvents(refundSucceeded(REFUND_1, "re_1", "evt_r1", 2000));
        }

        @Test
        void shouldRecordTheRefundAsSucceededWhenStripeNamesOnlyItsOwnRefundId() {
            deliver("evt_r1", refundSettled("re_1", null, 2000), submitted)
                    .expectEvents(refundSucceeded(REFUND_1, "re_1", "evt_r1", 2000));
        }

        @Test
        void shouldRecordTheRefundAsFailedWhenStripeSaysItFailed() {
            deliver("evt_r1", refundSettledFailed("re_1", REFUND_1, 2000), submitted)
                    .expectEvents(refundFailed(REFUND_1, "evt_r1", "Stripe: expired_or_canceled_card"));
        }

        @Test
        void shouldRecordTheFailureWhenStripeNamesOnlyItsOwnRefundId() {
            deliver("evt_r1", refundSettledFailed("re_1", null, 2000), submitted)
                    .expectEvents(refundFailed(REFUND_1, "evt_r1", "Stripe: expired_or_canceled_card"));
        }

        @Test
        void shouldChangeNothingWhenTheSameRefundEventIsDeliveredAgain() {
            deliver("evt_r1", refundSettled("re_1", REFUND_1, 2000),
                    submittedThen(refundSucceeded(REFUND_1, "re_1", "evt_r1", 2000))).expectNoEvents();
        }

        @Test
        void shouldChangeNothingWhenAnotherEventSaysARefundThatAlreadySucceededSucceeded() {
            deliver("evt_r2", refundSettled("re_1", REFUND_1, 2000),
                    submittedThen(refundSucceeded(REFUND_1, "re_1", "evt_r1", 2000))).expectNoEvents();
        }

        /** Stripe can fail a refund after it succeeded (a closed card): the money is back in the account's balance. */
        @Test
        void shouldReverseARefundThatFailedAfterItSucceeded() {
            List<Object> succeeded = submittedThen(refundSucceeded(REFUND_1, "re_1", "evt_r1", 2000));

            deliver("evt_r2", refundSettledFailed("re_1", REFUND_1, 2000), succeeded)
                    .expectEvents(refundReversed(REFUND_1, "re_1", "evt_r2", 2000));
            deliver("evt_r2", refundSettledFailed("re_1", null, 2000), succeeded)
                    .expectEvents(refundReversed(REFUND_1, "re_1", "evt_r2", 2000));
        }

        /** Stripe tells of the failure twice (refund.updated and refund.failed), and may repeat the old success. */
        @Test
        void shouldReverseARefundOnceWhateverStripeSaysOfItAfterwards() {
            List<Object> reversed = submittedThen(refundSucceeded(REFUND_1, "re_1", "evt_r1", 2000),
                    refundReversed(REFUND_1, "re_1", "evt_r2", 2000));

            deliver("evt_r3", refundSettledFailed("re_1", REFUND_1, 2000), reversed).expectNoEvents();
            deliver("evt_r4", refundSettled("re_1", REFUND_1, 2000), reversed).expectNoEvents();
        }

        @Test
        void shouldReverseARefundMadeOutsideThisServiceOnceWhenItFailedAfterItSucceeded() {
            List<Object> recorded = paidThen(refundRecorded("re_dashboard", "evt_d1", 1000));
            UUID listedAs = RefundRecordedEvent.refundIdOf("re_dashboard");

            deliver("evt_d2", refundSettledFailed("re_dashboard", null, 1000), recorded)
                    .expectEvents(refundReversed(listedAs, "re_dashboard", "evt_d2", 1000));

            List<Object> reversed = paidThen(refundRecorded("re_dashboard", "evt_d1", 1000),
                    refundReversed(listedAs, "re_dashboard", "evt_d2", 1000));
            deliver("evt_d3", refundSettledFailed("re_dashboard", null, 1000), reversed).expectNoEvents();
            deliver("evt_d4", refundSettled("re_dashboard", null, 1000), reversed).expectNoEvents();
        }

        @Test
        void shouldChangeNothingWhenAnotherEventSettlesARefundThatAlreadyFailed() {
            deliver("evt_r2", refundSettled("re_1", REFUND_1, 2000),
                    submittedThen(refundFailed(REFUND_1, "evt_r1", "Stripe: declined"))).expectNoEvents();
        }

        @Test
        void shouldSettleTheRefundWhenStripesAnswerArrivesBeforeItsSubmissionWasRecorded() {
            deliver("evt_r1", refundSettled("re_1", REFUND_1, 2000), paidThen(refundRequested(REFUND_1, 2000)))
                    .expectEvents(refundSucceeded(REFUND_1, "re_1", "evt_r1", 2000));
        }

        @Test
        void shouldNotCallStripeWhenARefundSettledByWebhookIsSubmittedLater() {
            fixture.given(paidThen(refundRequested(REFUND_1, 2000), refundSucceeded(REFUND_1, "re_1", "evt_r1", 2000)))
                    .when(new SubmitRefundCommand(TRANSACTION_ID, REFUND_1))
                    .expectNoEvents()
                    .expectResultMessagePayload(RefundStatus.SUCCEEDED);

            verifyNoInteractions(stripe);
        }

        @Test
        void shouldRecordARefundMadeOutsideThisServiceOnce() {
            deliver("evt_d1", refundSettled("re_dashboard", null, 1000), History.PAID.events())
                    .expectEvents(refundRecorded("re_dashboard", "evt_d1", 1000));

            deliver("evt_d2", refundSettled("re_dashboard", null, 1000),
                    paidThen(refundRecorded("re_dashboard", "evt_d1", 1000))).expectNoEvents();
        }

        @Test
        void shouldRecordARefundMadeOutsideThisServiceWhenItsRefundIdIsNotOurs() {
            UUID foreign = UUID.fromString("7e000000-0000-0000-0000-0000000000ff");

            deliver("evt_d1", refundSettled("re_other", foreign, 1000), submitted)
                    .expectEvents(refundRecorded("re_other", "evt_d1", 1000));
        }

        /** Refunding a payment that is not the transaction's (as an operator settles one) does not refund it. */
        @Test
        void shouldNotCountARefundOfAPaymentThatIsNotThisTransactions() {
            PaymentMismatchedEvent penny = new PaymentMismatchedEvent(TRANSACTION_ID, "evt_p", "cs_link", "pi_penny", 1,
                    "gbp");

            deliver("evt_d1", refundSettled("re_penny", null, 1, "pi_penny"), paidThen(penny)).expectNoEvents();
            deliver("evt_d1", refundSettled("re_penny", null, 1, "pi_penny"), List.of(initiated(), opened(), penny))
                    .expectNoEvents();
            deliver("evt_d2", refundSettled("re_other", null, 1000, "pi_other"), History.PAID.events()).expectNoEvents();
        }

        /**
         * Before the payment is recorded its intent is not known: a refund told first counts, with the payment it gives
         * back, until that payment turns out not to be this transaction's (see StripeFacts).
         */
        @ParameterizedTest
        @ValueSource(strings = {"pi_not_yet_known"})
        @NullSource
        void shouldCountARefundOfAPaymentNotKnownToBeAnotherOne(String paymentIntent) {
            deliver("evt_d1", refundSettled("re_early", null, 1000, paymentIntent), History.OPEN.events())
                    .expectEvents(refundRecorded("re_early", "evt_d1", 1000, paymentIntent));
            deliver("evt_d1", refundSettled("re_early", null, 1000, null), History.PAID.events())
                    .expectEvents(refundRecorded("re_early", "evt_d1", 1000, null));
        }

        /** Told twice (refund.updated and refund.failed): recorded once. */
        @Test
        void shouldRecordARefundMadeOutsideThisServiceAsFailedWhenItsFailureIsToldFirst() {
            deliver("evt_d2", refundSettledFailed("re_dashboard", null, 1000), History.PAID.events())
                    .expectEvents(failedRefundRecorded("re_dashboard", "evt_d2", 1000));
            deliver("evt_d3", refundSettledFailed("re_dashboard", null, 1000),
                    paidThen(failedRefundRecorded("re_dashboard", "evt_d2", 1000))).expectNoEvents();
        }

        /** Stripe does not deliver in order: refund.created, whose snapshot says succeeded, after refund.failed. */
        @Test
        void shouldNotCountARefundMadeOutsideThisServiceWhenItsSuccessIsToldAfterItsFailure() {
            fixture.given(History.PAID.events())
                    .andGivenCommands(new ApplyStripeFactCommand(TRANSACTION_ID, "evt_d2",
                            refundSettledFailed("re_dashboard", null, 1000)))
                    .when(new ApplyStripeFactCommand(TRANSACTION_ID, "evt_d1", refundSettled("re_dashboard", null, 1000)))
                    .expectNoEvents();
        }

        @Test
        void shouldLeaveTheWholeTotalRefundableWhenARefundMadeOutsideThisServiceFailedBeforeItsSuccessWasTold() {
            fixture.given(History.PAID.events())
                    .andGivenCommands(
                            new ApplyStripeFactCommand(TRANSACTION_ID, "evt_d2",
                                    refundSettledFailed("re_dashboard", null, TOTAL)),
                            new ApplyStripeFactCommand(TRANSACTION_ID, "evt_d1", refundSettled("re_dashboard", null, TOTAL)))
                    .when(new RequestRefundCommand(TRANSACTION_ID, REFUND_1, TOTAL, REFUND_REASON), DOCTOR_A.metaData())
                    .expectEvents(refundRequested(REFUND_1, TOTAL));
        }
    }

    /**
     * Disputes: each recorded once, escalated once, closed once; an inquiry leaves the payment refundable, a chargeback
     * does not, and what a lost one took back is gone.
     */
    @Nested
    class Disputes {

        private static final String DISPUTE = "dp_test_1";

        private PaymentDisputedEvent disputed(String stripeEventId, boolean inquiry) {
            return disputed(stripeEventId, DISPUTE, PAYMENT_INTENT_ID, inquiry);
        }

        private PaymentDisputedEvent disputed(String stripeEventId, String dispute, String paymentIntent, boolean inquiry) {
            return new PaymentDisputedEvent(TRANSACTION_ID, stripeEventId, dispute, paymentIntent, TOTAL, "fraudulent",
                    inquiry);
        }

        private ResultValidator<Transaction> deliver(String stripeEventId, String status, List<Object> given) {
            return deliver(stripeEventId, DISPUTE, PAYMENT_INTENT_ID, status, given);
        }

        private ResultValidator<Transaction> deliver(String stripeEventId, String dispute, String paymentIntent,
                                                     String status, List<Object> given) {
            return fixture.given(given).when(new ApplyStripeFactCommand(TRANSACTION_ID, stripeEventId,
                    new StripeFact.PaymentDisputed(dispute, paymentIntent, TOTAL, "fraudulent", status)));
        }

        private ResultValidator<Transaction> refund(long amount, List<Object> given) {
            return fixture.given(given)
                    .when(new RequestRefundCommand(TRANSACTION_ID, REFUND_1, amount, REFUND_REASON), DOCTOR_A.metaData());
        }

        @Test
        void shouldRecordADisputeOnceWhateverStripeTellsOfItUntilItChanges() {
            deliver("evt_d1", "needs_response", paidThen()).expectEvents(disputed("evt_d1", false));
            deliver("evt_d2", "under_review", paidThen(disputed("evt_d1", false))).expectNoEvents();
            deliver("evt_d1", "needs_response", paidThen(disputed("evt_d1", false))).expectNoEvents();
        }

        @Test
        void shouldEscalateAnInquiryOnceItBecomesAChargeback() {
            deliver("evt_d1", "warning_needs_response", paidThen()).expectEvents(disputed("evt_d1", true));
            deliver("evt_d2", "needs_response", paidThen(disputed("evt_d1", true)))
                    .expectEvents(new DisputeEscalatedEvent(TRANSACTION_ID, "evt_d2", DISPUTE));
            deliver("evt_d3", "under_review", paidThen(disputed("evt_d1", true),
                    new DisputeEscalatedEvent(TRANSACTION_ID, "evt_d2", DISPUTE))).expectNoEvents();
        }

        @Test
        void shouldCloseTheDisputeOnceLostOrWon() {
            deliver("evt_d3", "lost", paidThen(disputed("evt_d1", false))).expectEvents(
                    new DisputeClosedEvent(TRANSACTION_ID, "evt_d3", DISPUTE, false, TOTAL, true));
            deliver("evt_d3", "won", paidThen(disputed("evt_d1", false))).expectEvents(
                    new DisputeClosedEvent(TRANSACTION_ID, "evt_d3", DISPUTE, true, TOTAL, true));
            deliver("evt_d4", "lost", paidThen(disputed("evt_d1", false),
                    new DisputeClosedEvent(TRANSACTION_ID, "evt_d3", DISPUTE, true, TOTAL, true))).expectNoEvents();
        }

        /** Told closed first (Stripe's events come in any order): the dispute and its end, together. */
        @Test
        void shouldRecordADisputeAndItsEndWhenToldOfItClosedFirst() {
            deliver("evt_d3", "lost", paidThen()).expectEvents(disputed("evt_d3", false),
                    new DisputeClosedEvent(TRANSACTION_ID, "evt_d3", DISPUTE, false, TOTAL, true));
        }

        /** An inquiry closed, then a chargeback of its own: the second is recorded too. */
        @Test
        void shouldRecordAnotherDisputeAfterTheFirstClosed() {
            deliver("evt_d5", "dp_test_2", PAYMENT_INTENT_ID, "needs_response", paidThen(disputed("evt_d1", true),
                    new DisputeClosedEvent(TRANSACTION_ID, "evt_d3", DISPUTE, true, TOTAL, false)))
                    .expectEvents(disputed("evt_d5", "dp_test_2", PAYMENT_INTENT_ID, false));
        }

        /** Settled by a refund, an inquiry closes as warning_closed: closed, not won, and it took nothing. */
        @Test
        void shouldCloseAnInquiryThatNeverBecameAChargebackAsNeitherWonNorLost() {
            deliver("evt_d3", "warning_closed", paidThen(disputed("evt_d1", true))).expectEvents(
                    new DisputeClosedEvent(TRANSACTION_ID, "evt_d3", DISPUTE, true, TOTAL, false));
            deliver("evt_d3", "prevented", paidThen()).expectEvents(disputed("evt_d3", true),
                    new DisputeClosedEvent(TRANSACTION_ID, "evt_d3", DISPUTE, true, TOTAL, false));
        }

        /** A chargeback's status under an inquiry's id, even once the inquiry closed: it became one. */
        @Test
        void shouldEscalateAnInquiryThatComesBackAsAChargebackAndCloseItOnce() {
            deliver("evt_d5", "needs_response", paidThen(disputed("evt_d1", true),
                    new DisputeClosedEvent(TRANSACTION_ID, "evt_d3", DISPUTE, true, TOTAL, false)))
                    .expectEvents(new DisputeEscalatedEvent(TRANSACTION_ID, "evt_d5", DISPUTE));
            deliver("evt_d6", "lost", paidThen(disputed("evt_d1", true))).expectEvents(
                    new DisputeEscalatedEvent(TRANSACTION_ID, "evt_d6", DISPUTE),
                    new DisputeClosedEvent(TRANSACTION_ID, "evt_d6", DISPUTE, false, TOTAL, true));
            deliver("evt_d7", "warning_closed", paidThen(disputed("evt_d1", true),
                    new DisputeClosedEvent(TRANSACTION_ID, "evt_d3", DISPUTE, true, TOTAL, false))).expectNoEvents();
        }

        /**
         * An inquiry's end told after its chargeback (Stripe's events come in any order) is stale: the chargeback stays
         * open, refunds stay refused, and its loss, when told, still counts.
         */
        @Test
        void shouldKeepAChargebackOpenWhenAnInquirysEndIsToldAfterIt() {
            List<Object> chargedBack = paidThen(disputed("evt_d1", false));
            List<Object> escalated = paidThen(disputed("evt_d1", true),
                    new DisputeEscalatedEvent(TRANSACTION_ID, "evt_d5", DISPUTE));
            for (String stale : List.of("warning_closed", "prevented", "warning_under_review")) {
                deliver("evt_d8", stale, chargedBack).expectNoEvents();
                deliver("evt_d8", stale, escalated).expectNoEvents();
            }
            deliver("evt_d9", "lost", escalated).expectEvents(
                    new DisputeClosedEvent(TRANSACTION_ID, "evt_d9", DISPUTE, false, TOTAL, true));
        }

        @Test
        void shouldLeaveADisputeOfAPaymentThatIsNotTheTransactionsToTheOperator() {
            deliver("evt_d1", DISPUTE, "pi_elsewhere", "needs_response", paidThen()).expectNoEvents();
        }

        @Test
        void shouldRefuseARefundWhileThePaymentIsChargedBack() {
            expectRejection(refund(100, paidThen(disputed("evt_d1", false))), PaymentError.PAYMENT_DISPUTED);
            expectRejection(refund(100, paidThen(disputed("evt_d1", true),
                    new DisputeEscalatedEvent(TRANSACTION_ID, "evt_d2", DISPUTE))), PaymentError.PAYMENT_DISPUTED);
        }

        /** An inquiry withdraws nothing, and a refund may settle it (Stripe recommends it). */
        @Test
        void shouldRefundWhileThePaymentIsOnlyInquiredInto() {
            refund(100, paidThen(disputed("evt_d1", true))).expectSuccessfulHandlerExecution();
        }

        /** Told before the payment, a dispute whose payment then proves another's is not this transaction's. */
        @Test
        void shouldNotHoldRefundsForADisputeOfAPaymentThatProvedAnothers() {
            List<Object> given = new ArrayList<>(List.of(initiated(), opened(),
                    disputed("evt_d1", DISPUTE, "pi_other", false)));
            given.add(paid("evt_paid"));
            refund(100, given).expectSuccessfulHandlerExecution();
        }

        @Test
        void shouldRefundOnlyWhatALostDisputeLeftAndAnythingOnceItIsWon() {
            expectRejection(refund(TOTAL - 5000 + 1, paidThen(disputed("evt_d1", false),
                            new DisputeClosedEvent(TRANSACTION_ID, "evt_d3", DISPUTE, false, 5000, true))),
                    PaymentRejection.of(PaymentError.REFUND_EXCEEDS_REMAINDER,
                            "At most " + (TOTAL - 5000) + " (minor units of GBP) is left to refund"));
            refund(TOTAL, paidThen(disputed("evt_d1", false),
                    new DisputeClosedEvent(TRANSACTION_ID, "evt_d3", DISPUTE, true, TOTAL, true)))
                    .expectSuccessfulHandlerExecution();
        }

        /** Refunded in part, then charged back in full: nothing left, never less than nothing. */
        @Test
        void shouldLeaveNothingNotLessThanNothingToRefundAfterAChargebackOfAPartlyRefundedPayment() {
            expectRejection(refund(1, paidThen(refundRequested(REFUND_2, 2000), refundSubmitted(REFUND_2, "re_2"),
                            refundSucceeded(REFUND_2, "re_2", "evt_refund", 2000), disputed("evt_d1", false),
                            new DisputeClosedEvent(TRANSACTION_ID, "evt_d3", DISPUTE, false, TOTAL, true))),
                    PaymentRejection.of(PaymentError.REFUND_EXCEEDS_REMAINDER,
                            "At most 0 (minor units of GBP) is left to refund"));
        }
    }

    @Nested
    class RequestRefund {

        private ResultValidator<Transaction> request(UUID refundId, long amount, String reason, Actor actor,
                                                     List<Object> given) {
            return fixture.given(given)
                    .when(new RequestRefundCommand(TRANSACTION_ID, refundId, amount, reason), actor.metaData());
        }

        private ResultValidator<Transaction> request(UUID refundId, long amount, List<Object> given) {
            return request(refundId, amount, REFUND_REASON, DOCTOR_A, given);
        }

        @Test
        void shouldRequestTheRefundWithItsReasonSealedToItWhenDoctorOfTheFacilityAsks() {
            request(REFUND_1, 2000, History.PAID.events())
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(new RefundRequestedEvent(TRANSACTION_ID, REFUND_1, 2000,
                            new EncryptedText("sealed:" + TRANSACTION_ID + ":refundReason:" + REFUND_1 + ":" + REFUND_REASON)));

            verifyNoInteractions(stripe);
        }

        @ParameterizedTest
        @EnumSource(value = History.class, names = {"PAID", "PARTIALLY_REFUNDED"})
        void shouldRequestTheRefundWhenAnAdminAsks(History history) {
            request(REFUND_2, 1000, REFUND_REASON, ADMIN, history.events()).expectEvents(refundRequested(REFUND_2, 1000));
        }

        @Test
        void shouldRejectWithFacilityForbiddenWhenThePatientAsks() {
            expectRejection(request(REFUND_1, 2000, REFUND_REASON, PATIENT, History.PAID.events()),
                    PaymentError.FACILITY_FORBIDDEN);

            verify(vault, never()).sealerFor(any());
        }

        @Test
        void shouldRejectWithFacilityForbiddenWhenDoctorWorksAtAnotherFacility() {
            expectRejection(request(REFUND_1, 2000, REFUND_REASON, DOCTOR_B, History.PAID.events()),
                    PaymentError.FACILITY_FORBIDDEN);
        }

        @Test
        void shouldRejectWithFacilityForbiddenWhenCommandCarriesNoActor() {
            expectRejection(fixture.given(History.PAID.events())
                            .when(new RequestRefundCommand(TRANSACTION_ID, REFUND_1, 2000, REFUND_REASON), NO_ACTOR),
                    PaymentError.FACILITY_FORBIDDEN);
        }

        @ParameterizedTest
        @EnumSource(value = History.class, names = {"INITIATED", "OPEN", "FAILED", "EXPIRED", "REFUNDED"})
        void shouldRejectWithNotRefundableWhenTheTransactionIsNotPaidOrFullyRefunded(History history) {
            expectRejection(request(REFUND_2, 1, history.events()), PaymentError.NOT_REFUNDABLE);
        }

        @ParameterizedTest
        @ValueSource(longs = {0, -100})
        void shouldRejectWithInvalidRefundAmountWhenAmountIsBelowOneMinorUnit(long amount) {
            expectRejection(request(REFUND_1, amount, History.PAID.events()), PaymentError.INVALID_REFUND_AMOUNT);
        }

        @ParameterizedTest
        @NullSource
        @ValueSource(strings = {"", "   "})
        void shouldRejectWithRefundReasonRequiredWhenReasonIsBlank(String reason) {
            expectRejection(request(REFUND_1, 2000, reason, DOCTOR_A, History.PAID.events()),
                    PaymentError.REFUND_REASON_REQUIRED);
        }

        @Test
        void shouldRejectWithRefundReasonRequiredWhenReasonHasFiveHundredAndOneCharacters() {
            expectRejection(request(REFUND_1, 2000, "r".repeat(501), DOCTOR_A, History.PAID.events()),
                    PaymentError.REFUND_REASON_REQUIRED);
        }

        @Test
        void shouldRequestTheRefundWhenReasonHasFiveHundredCharacters() {
            String reason = "r".repeat(500);

            request(REFUND_1, 2000, reason, DOCTOR_A, History.PAID.events())
                    .expectEvents(new RefundRequestedEvent(TRANSACTION_ID, REFUND_1, 2000,
                            sealed(TRANSACTION_ID, SealedFields.refundReason(REFUND_1), reason)));
        }

        @Test
        void shouldRequestTheWholeTotalWhenNothingWasRefundedYet() {
            request(REFUND_1, TOTAL, History.PAID.events()).expectEvents(refundRequested(REFUND_1, TOTAL));
        }

        @Test
        void shouldRejectWithRefundExceedsRemainderWhenAmountIsMoreThanTheTotal() {
            expectRejection(request(REFUND_1, TOTAL + 1, History.PAID.events()), exceedsRemainder(TOTAL));
        }

        @Test
        void shouldCountARequestedRefundAsTakenWhenAnotherIsRequested() {
            List<Object> pending = paidThen(refundRequested(REFUND_1, 4500));

            expectRejection(request(REFUND_2, 3001, pending), exceedsRemainder(3000));
            request(REFUND_2, 3000, pending).expectEvents(refundRequested(REFUND_2, 3000));
        }

        @Test
        void shouldCountASubmittedRefundAsTakenWhenAnotherIsRequested() {
            expectRejection(request(REFUND_2, 3001, paidThen(refundRequested(REFUND_1, 4500),
                    refundSubmitted(REFUND_1, "re_1"))), exceedsRemainder(3000));
        }

        @Test
        void shouldNotCountAFailedRefundWhenAnotherIsRequested() {
            request(REFUND_2, TOTAL, paidThen(refundRequested(REFUND_1, 4500), refundSubmitted(REFUND_1, "re_1"),
                    refundFailed(REFUND_1, "evt_r1", "Stripe: declined")))
                    .expectEvents(refundRequested(REFUND_2, TOTAL));
        }

        @Test
        void shouldRejectTheSecondOfTwoSixtyPercentRefunds() {
            expectRejection(fixture.given(History.PAID.events())
                            .andGivenCommands(by(DOCTOR_A,
                                    new RequestRefundCommand(TRANSACTION_ID, REFUND_1, 4500, REFUND_REASON)))
                            .when(new RequestRefundCommand(TRANSACTION_ID, REFUND_2, 4500, REFUND_REASON), DOCTOR_A.metaData()),
                    exceedsRemainder(3000));
        }

        @Test
        void shouldStoreNothingWhenTheSameRefundIsRequestedAgain() {
            request(REFUND_1, 4500, paidThen(refundRequested(REFUND_1, 4500)))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void shouldStoreNothingWhenTheSameRefundIsRequestedAgainAfterItFullyRefundedTheTransaction() {
            request(REFUND_1, TOTAL, History.REFUNDED.events())
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void shouldRejectWithIdempotencyKeyReusedWhenTheSameRefundIdComesWithAnotherAmount() {
            expectRejection(request(REFUND_1, 4000, paidThen(refundRequested(REFUND_1, 4500))),
                    PaymentError.IDEMPOTENCY_KEY_REUSED);
        }

        @Test
        void shouldRejectWithIdempotencyKeyReusedWhenTheSameRefundIdComesWithAnotherReason() {
            expectRejection(request(REFUND_1, 4500, "Charged twice", DOCTOR_A, paidThen(refundRequested(REFUND_1, 4500))),
                    PaymentError.IDEMPOTENCY_KEY_REUSED);
        }

        /** Once the patient's data is erased the first reason cannot be read: the amount alone tells the request. */
        @Test
        void shouldStoreNothingWhenTheSameRefundIsRequestedAgainAfterThePatientsDataWasErased() {
            when(vault.open(eq(PATIENT.id()), any(), any())).thenReturn(EncryptedText.ERASED);

            request(REFUND_1, 4500, "Charged twice", DOCTOR_A, paidThen(refundRequested(REFUND_1, 4500)))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void shouldAllowTheWholeTotalAgainWhenTheRefundThatTookItWasReversed() {
            List<Object> reversed = new ArrayList<>(History.REFUNDED.events());
            reversed.add(refundReversed(REFUND_1, "re_1", "evt_r2", TOTAL));

            request(REFUND_2, TOTAL, reversed).expectEvents(refundRequested(REFUND_2, TOTAL));
            expectRejection(request(REFUND_2, TOTAL + 1, reversed), exceedsRemainder(TOTAL));
        }

        @Test
        void shouldAllowWhatARefundMadeOutsideThisServiceTookAgainWhenItWasReversed() {
            request(REFUND_2, TOTAL, paidThen(refundRecorded("re_dashboard", "evt_d1", TOTAL),
                    refundReversed(RefundRecordedEvent.refundIdOf("re_dashboard"), "re_dashboard", "evt_d2", TOTAL)))
                    .expectEvents(refundRequested(REFUND_2, TOTAL));
        }

        @Test
        void shouldRejectWithNotRefundableWhenARefundMadeOutsideThisServiceTookTheWholeTotal() {
            expectRejection(request(REFUND_2, 1, paidThen(refundRecorded("re_dashboard", "evt_d1", TOTAL))),
                    PaymentError.NOT_REFUNDABLE);
        }

        @Test
        void shouldAllowAnotherRefundWithinTheRemainderWhenPartiallyRefunded() {
            List<Object> partiallyRefunded = History.PARTIALLY_REFUNDED.events();

            request(REFUND_2, TOTAL - 2000, partiallyRefunded).expectEvents(refundRequested(REFUND_2, TOTAL - 2000));
            expectRejection(request(REFUND_2, TOTAL - 2000 + 1, partiallyRefunded), exceedsRemainder(TOTAL - 2000));
        }

        @Test
        void shouldRejectWithTooManyRefundsWhenFiftyWereRequestedFailedOnesIncluded() {
            List<Object> fifty = paidThen(refundRequested(REFUND_1, 1), refundFailed(REFUND_1, null, "Stripe: declined"));
            fifty.addAll(tinyRefunds(49));

            expectRejection(request(REFUND_2, 1, fifty), PaymentError.TOO_MANY_REFUNDS);
        }

        @Test
        void shouldRequestTheFiftiethRefund() {
            request(REFUND_2, 1, paidThen(tinyRefunds(49).toArray())).expectEvents(refundRequested(REFUND_2, 1));
        }

        @Test
        void shouldStoreNothingWhenTheFiftiethRefundIsRequestedAgain() {
            List<Object> fifty = paidThen(tinyRefunds(49).toArray());
            fifty.add(refundRequested(REFUND_2, 1));

            request(REFUND_2, 1, fifty).expectSuccessfulHandlerExecution().expectNoEvents();
        }

        /** {@code count} refunds of 1 minor unit each, requested under made-up ids. */
        private List<Object> tinyRefunds(int count) {
            List<Object> events = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                events.add(refundRequested(UUID.nameUUIDFromBytes(("tiny-" + i).getBytes(StandardCharsets.UTF_8)), 1));
            }
            return events;
        }

        @Test
        void shouldCountARefundMadeOutsideThisServiceAsTaken() {
            expectRejection(request(REFUND_2, TOTAL - 1000 + 1, paidThen(refundRecorded("re_dashboard", "evt_d1", 1000))),
                    exceedsRemainder(TOTAL - 1000));
        }

        @Test
        void shouldRejectWithTransactionNotFoundWhenNoSuchTransactionExists() {
            expectRejection(fixture.givenNoPriorActivity()
                            .when(new RequestRefundCommand(TRANSACTION_ID, REFUND_1, 100, REFUND_REASON), DOCTOR_A.metaData()),
                    PaymentError.TRANSACTION_NOT_FOUND);
        }
    }

    @Nested
    class SubmitRefund {

        private final SubmitRefundCommand command = new SubmitRefundCommand(TRANSACTION_ID, REFUND_1);
        private final List<Object> requested = paidThen(refundRequested(REFUND_1, 2000));

        @Test
        void shouldSubmitTheRefundToStripeUnderItsOwnKeyWhenRequested() throws StripeFailure {
            when(stripe.refund(any())).thenReturn(new StripeCheckouts.SubmittedRefund("re_1", "pending"));

            fixture.given(requested).when(command)
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(refundSubmitted(REFUND_1, "re_1"))
                    .expectResultMessagePayload(RefundStatus.SUBMITTED);

            verify(stripe).refund(new StripeCheckouts.RefundRequest(TRANSACTION_ID, REFUND_1, PAYMENT_INTENT_ID, 2000,
                    "refund-" + REFUND_1));
            verifyNoMoreInteractions(stripe);
        }

        /** A card refund is usually final at once, and then Stripe sends no refund.updated: its answer settles it. */
        @Test
        void shouldSettleTheRefundWhenStripeAnswersSucceededAtOnce() throws StripeFailure {
            when(stripe.refund(any())).thenReturn(new StripeCheckouts.SubmittedRefund("re_1", "succeeded"));

            fixture.given(requested).when(command)
                    .expectEvents(refundSubmitted(REFUND_1, "re_1"),
                            new RefundSucceededEvent(TRANSACTION_ID, REFUND_1, "re_1", null, 2000))
                    .expectResultMessagePayload(RefundStatus.SUCCEEDED);
        }

        @ParameterizedTest
        @ValueSource(strings = {"failed", "canceled"})
        void shouldRecordTheRefundAsFailedWhenStripeAnswersItFailed(String status) throws StripeFailure {
            when(stripe.refund(any())).thenReturn(new StripeCheckouts.SubmittedRefund("re_1", status));

            fixture.given(requested).when(command)
                    .expectEvents(refundSubmitted(REFUND_1, "re_1"), refundFailed(REFUND_1, null, "Stripe answered " + status))
                    .expectResultMessagePayload(RefundStatus.FAILED);
        }

        @Test
        void shouldRecordTheRefundAsFailedWhenStripeRefusesIt() throws StripeFailure {
            when(stripe.refund(any())).thenThrow(new StripeFailure("Charge already refunded", false, null));

            fixture.given(requested).when(command)
                    .expectEvents(refundFailed(REFUND_1, null, "Charge already refunded"))
                    .expectResultMessagePayload(RefundStatus.FAILED);
        }

        @Test
        void shouldLeaveTheRefundRequestedWhenStripesAnswerIsUnknown() throws StripeFailure {
            when(stripe.refund(any())).thenThrow(new StripeFailure("Stripe timed out", true, null));

            fixture.given(requested).when(command)
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents()
                    .expectResultMessagePayload(RefundStatus.REQUESTED);
        }

        @Test
        void shouldRepeatTheSameKeyWhenSubmittedAgainAfterAnUnknownAnswer() throws StripeFailure {
            when(stripe.refund(any()))
                    .thenThrow(new StripeFailure("Stripe timed out", true, null))
                    .thenReturn(new StripeCheckouts.SubmittedRefund("re_1", "pending"));

            fixture.given(requested).andGivenCommands(command).when(command)
                    .expectEvents(refundSubmitted(REFUND_1, "re_1"))
                    .expectResultMessagePayload(RefundStatus.SUBMITTED);

            verify(stripe, times(2)).refund(refundRequest(REFUND_1, 2000));
        }

        @Test
        void shouldRecordTheFailedAttemptAndKeepTheRefundRequestedWhenStripeKeepsAnErrorUnderItsKey() throws StripeFailure {
            when(stripe.refund(any())).thenThrow(StripeFailure.keySpent(STRIPE_KEPT_AN_ERROR, null));

            fixture.given(requested).when(command)
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(refundAttemptFailed(REFUND_1, 1))
                    .expectResultMessagePayload(RefundStatus.REQUESTED);
        }

        /** Stripe would answer the spent key with its kept error for a day: the next try has a key of its own. */
        @Test
        void shouldSubmitUnderTheNextAttemptsKeyWhenStripeHoldsNoRefundAfterASpentKey() throws StripeFailure {
            when(stripe.findRefund(PAYMENT_INTENT_ID, REFUND_1)).thenReturn(Optional.empty());
            when(stripe.refund(any())).thenReturn(new StripeCheckouts.SubmittedRefund("re_1", "pending"));

            fixture.given(paidThen(refundRequested(REFUND_1, 2000), refundAttemptFailed(REFUND_1, 1))).when(command)
                    .expectEvents(refundSubmitted(REFUND_1, "re_1"))
                    .expectResultMessagePayload(RefundStatus.SUBMITTED);

            InOrder order = inOrder(stripe);
            order.verify(stripe).findRefund(PAYMENT_INTENT_ID, REFUND_1);
            order.verify(stripe).refund(refundRequest(REFUND_1, 2000, 2));
            verifyNoMoreInteractions(stripe);
        }

        /** Stripe made it all the same under the spent key: recorded from Stripe's refund, and not made a second time. */
        @Test
        void shouldRecordTheRefundStripeMadeUnderASpentKeyWithoutSubmittingItAgain() throws StripeFailure {
            when(stripe.findRefund(PAYMENT_INTENT_ID, REFUND_1))
                    .thenReturn(Optional.of(refundState("re_1", "succeeded", 2000)));

            fixture.given(paidThen(refundRequested(REFUND_1, 2000), refundAttemptFailed(REFUND_1, 1))).when(command)
                    .expectEvents(refundSubmitted(REFUND_1, "re_1"), refundSucceeded(REFUND_1, "re_1", null, 2000))
                    .expectResultMessagePayload(RefundStatus.SUCCEEDED);

            verify(stripe, never()).refund(any());
        }

        @Test
        void shouldRecordAPendingRefundFoundAtStripeAsSubmitted() throws StripeFailure {
            when(stripe.findRefund(PAYMENT_INTENT_ID, REFUND_1)).thenReturn(Optional.of(refundState("re_1", "pending", 2000)));

            fixture.given(paidThen(refundRequested(REFUND_1, 2000), refundAttemptFailed(REFUND_1, 1))).when(command)
                    .expectEvents(refundSubmitted(REFUND_1, "re_1"))
                    .expectResultMessagePayload(RefundStatus.SUBMITTED);

            verify(stripe, never()).refund(any());
        }

        /** Not knowing whether Stripe holds it, a new key could make it twice: it waits for the next try. */
        @ParameterizedTest
        @ValueSource(booleans = {false, true})
        void shouldLeaveTheRefundRequestedWhenStripeCannotSayWhetherItHoldsIt(boolean outcomeUnknown) throws StripeFailure {
            when(stripe.findRefund(PAYMENT_INTENT_ID, REFUND_1))
                    .thenThrow(new StripeFailure("Stripe failed listing the payment's refunds (HTTP 500)", outcomeUnknown, null));

            fixture.given(paidThen(refundRequested(REFUND_1, 2000), refundAttemptFailed(REFUND_1, 1))).when(command)
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents()
                    .expectResultMessagePayload(RefundStatus.REQUESTED);

            verify(stripe, never()).refund(any());
        }

        @Test
        void shouldMoveToTheThirdKeyWhenStripeAlsoKeepsAnErrorUnderTheSecond() throws StripeFailure {
            when(stripe.findRefund(PAYMENT_INTENT_ID, REFUND_1)).thenReturn(Optional.empty());
            when(stripe.refund(any())).thenThrow(StripeFailure.keySpent(STRIPE_KEPT_AN_ERROR, null))
                    .thenReturn(new StripeCheckouts.SubmittedRefund("re_1", "pending"));

            fixture.given(paidThen(refundRequested(REFUND_1, 2000), refundAttemptFailed(REFUND_1, 1)))
                    .andGivenCommands(command)
                    .when(command)
                    .expectEvents(refundSubmitted(REFUND_1, "re_1"));

            verify(stripe).refund(refundRequest(REFUND_1, 2000, 2));
            verify(stripe).refund(refundRequest(REFUND_1, 2000, 3));
        }

        /** A Stripe error kept under every key would otherwise cost a new key, a search and a POST every sweep, for good. */
        @Test
        void shouldFailTheRefundOnceStripeSpentItsLastKeyAndHoldsNone() throws StripeFailure {
            when(stripe.findRefund(PAYMENT_INTENT_ID, REFUND_1)).thenReturn(Optional.empty());
            List<Object> history = new ArrayList<>(List.of(refundRequested(REFUND_1, 2000)));
            for (int attempt = 1; attempt <= Transaction.MAX_SPENT_REFUND_KEYS; attempt++) {
                history.add(refundAttemptFailed(REFUND_1, attempt));
            }

            fixture.given(paidThen(history.toArray())).when(command)
                    .expectEvents(refundFailed(REFUND_1, null, "Stripe answered 5 attempts with an error and made no refund"))
                    .expectResultMessagePayload(RefundStatus.FAILED);

            verify(stripe).findRefund(PAYMENT_INTENT_ID, REFUND_1);
            verify(stripe, never()).refund(any());
        }

        @Test
        void shouldNotCallStripeAgainWhenTheRefundWasAlreadySubmitted() {
            fixture.given(paidThen(refundRequested(REFUND_1, 2000), refundSubmitted(REFUND_1, "re_1"))).when(command)
                    .expectNoEvents()
                    .expectResultMessagePayload(RefundStatus.SUBMITTED);

            verifyNoInteractions(stripe);
        }

        @Test
        void shouldNotCallStripeAgainWhenTheRefundAlreadyFailed() {
            fixture.given(paidThen(refundRequested(REFUND_1, 2000), refundFailed(REFUND_1, null, "Charge already refunded")))
                    .when(command)
                    .expectNoEvents()
                    .expectResultMessagePayload(RefundStatus.FAILED);

            verifyNoInteractions(stripe);
        }

        @Test
        void shouldRejectWithUnknownRefundWhenNoSuchRefundWasRequested() {
            expectRejection(fixture.given(requested).when(new SubmitRefundCommand(TRANSACTION_ID, REFUND_2)),
                    PaymentError.UNKNOWN_REFUND);

            verifyNoInteractions(stripe);
        }

        @Test
        void shouldRejectWithTransactionNotFoundWhenNoSuchTransactionExists() {
            expectRejection(fixture.givenNoPriorActivity().when(command), PaymentError.TRANSACTION_NOT_FOUND);
        }
    }

    @Nested
    class Reconcile {

        private final ReconcileTransactionCommand command = new ReconcileTransactionCommand(TRANSACTION_ID);

        @Test
        void shouldRecordThePaymentWithoutAStripeEventWhenStripeSaysTheSessionWasPaid() throws StripeFailure {
            when(stripe.sessionState(SESSION_ID)).thenReturn(sessionState("complete", "paid"));

            fixture.given(History.OPEN.events()).when(command)
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(paid(null))
                    .expectNoScheduledDeadlines();
        }

        @Test
        void shouldRecordTheExpiryWithoutAStripeEventWhenStripeSaysTheSessionExpired() throws StripeFailure {
            when(stripe.sessionState(SESSION_ID)).thenReturn(sessionState("expired", "unpaid"));

            fixture.given(History.OPEN.events()).when(command)
                    .expectEvents(expired(null))
                    .expectNoScheduledDeadlines();
        }

        /** The checkout's own deadline asks again; the sweep asks again on its next run. */
        @ParameterizedTest
        @ValueSource(strings = {"open", "complete"})
        void shouldScheduleNoCheckOfItsOwnWhenTheSessionIsNeitherPaidNorExpired(String status) throws StripeFailure {
            when(stripe.sessionState(SESSION_ID)).thenReturn(sessionState(status, "unpaid"));

            fixture.given(History.OPEN.events()).when(command)
                    .expectNoEvents()
                    .expectNoScheduledDeadlines();
        }

        @ParameterizedTest
        @ValueSource(booleans = {false, true})
        void shouldScheduleNoCheckOfItsOwnWhenStripeFails(boolean outcomeUnknown) throws StripeFailure {
            when(stripe.sessionState(SESSION_ID)).thenThrow(new StripeFailure("Stripe is down", outcomeUnknown, null));

            fixture.given(History.OPEN.events()).when(command)
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents()
                    .expectNoScheduledDeadlines();
        }

        @ParameterizedTest
        @EnumSource(value = History.class, names = "OPEN", mode = EnumSource.Mode.EXCLUDE)
        void shouldNotAskStripeWhenTheCheckoutIsNotOpen(History history) {
            fixture.given(history.events()).when(command)
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents()
                    .expectNoScheduledDeadlines();

            verifyNoInteractions(stripe);
        }

        @Test
        void shouldSubmitOnlyTheRefundsStillRequested() throws StripeFailure {
            when(stripe.refund(any())).thenReturn(new StripeCheckouts.SubmittedRefund("re_1", "pending"));
            when(stripe.refundState("re_2")).thenReturn(refundState("re_2", "pending", 2000));

            fixture.given(paidThen(refundRequested(REFUND_1, 1000),
                            refundRequested(REFUND_2, 2000), refundSubmitted(REFUND_2, "re_2"),
                            refundRequested(REFUND_3, 500), refundFailed(REFUND_3, null, "Charge already refunded")))
                    .when(command)
                    .expectEvents(refundSubmitted(REFUND_1, "re_1"))
                    .expectNoScheduledDeadlines();

            verify(stripe).refund(refundRequest(REFUND_1, 1000));
            verify(stripe).refundState("re_2");
            verifyNoMoreInteractions(stripe);
        }

        /** Its webhooks lost: Stripe's answer settles it as the webhook would have, without a Stripe event id. */
        @Test
        void shouldRecordAPendingRefundAsSucceededWhenStripeSaysItSucceeded() throws StripeFailure {
            when(stripe.refundState("re_1")).thenReturn(refundState("re_1", "succeeded", 2000));

            fixture.given(paidThen(refundRequested(REFUND_1, 2000), refundSubmitted(REFUND_1, "re_1"))).when(command)
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(refundSucceeded(REFUND_1, "re_1", null, 2000))
                    .expectNoScheduledDeadlines();
        }

        @ParameterizedTest
        @CsvSource({"failed, expired_or_canceled_card, Stripe: expired_or_canceled_card", "canceled, , Stripe: canceled"})
        void shouldRecordAPendingRefundAsFailedWhenStripeSaysItFailed(String status, String failureReason,
                                                                      String recorded) throws StripeFailure {
            when(stripe.refundState("re_1")).thenReturn(new StripeCheckouts.RefundState("re_1", status, 2000,
                    failureReason, PAYMENT_INTENT_ID));

            fixture.given(paidThen(refundRequested(REFUND_1, 2000), refundSubmitted(REFUND_1, "re_1"))).when(command)
                    .expectEvents(refundFailed(REFUND_1, null, recorded));
        }

        @ParameterizedTest
        @ValueSource(strings = {"pending", "requires_action"})
        void shouldLeaveARefundSubmittedWhileStripeHasNotSettledIt(String status) throws StripeFailure {
            when(stripe.refundState("re_1")).thenReturn(refundState("re_1", status, 2000));

            fixture.given(paidThen(refundRequested(REFUND_1, 2000), refundSubmitted(REFUND_1, "re_1"))).when(command)
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();

            verify(stripe).refundState("re_1");
        }

        @ParameterizedTest
        @ValueSource(booleans = {false, true})
        void shouldLeaveARefundSubmittedWhenStripeCannotTellItsState(boolean outcomeUnknown) throws StripeFailure {
            when(stripe.refundState("re_1")).thenThrow(new StripeFailure("Stripe is down", outcomeUnknown, null));

            fixture.given(paidThen(refundRequested(REFUND_1, 2000), refundSubmitted(REFUND_1, "re_1"))).when(command)
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();

            verify(stripe).refundState("re_1");
        }

        @Test
        void shouldAskAgainOnTheNextReconciliationWhileTheRefundWasStillPending() throws StripeFailure {
            when(stripe.refundState("re_1")).thenReturn(refundState("re_1", "pending", 2000),
                    refundState("re_1", "succeeded", 2000));

            fixture.given(paidThen(refundRequested(REFUND_1, 2000), refundSubmitted(REFUND_1, "re_1")))
                    .andGivenCommands(command)
                    .when(command)
                    .expectEvents(refundSucceeded(REFUND_1, "re_1", null, 2000));

            verify(stripe, times(2)).refundState("re_1");
        }

        /** Settled by reconciliation, then Stripe's late webhook: recorded once, and the refund note asked for once. */
        @Test
        void shouldAddNothingWhenTheWebhookComesAfterReconciliationSettledTheRefund() throws StripeFailure {
            when(stripe.refundState("re_1")).thenReturn(refundState("re_1", "succeeded", 2000));

            fixture.given(paidThen(refundRequested(REFUND_1, 2000), refundSubmitted(REFUND_1, "re_1")))
                    .andGivenCommands(command)
                    .when(new ApplyStripeFactCommand(TRANSACTION_ID, "evt_refund_late", refundSettled("re_1", REFUND_1, 2000)))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void shouldLeaveARefundRequestedWhenStripesAnswerIsUnknownAgain() throws StripeFailure {
            when(stripe.refund(any())).thenThrow(new StripeFailure("Stripe timed out", true, null));

            fixture.given(paidThen(refundRequested(REFUND_1, 1000))).when(command).expectNoEvents();

            verify(stripe).refund(refundRequest(REFUND_1, 1000));
        }

        @Test
        void shouldRejectWithTransactionNotFoundWhenNoSuchTransactionExists() {
            expectRejection(fixture.givenNoPriorActivity().when(command), PaymentError.TRANSACTION_NOT_FOUND);
        }
    }

    /** The deadline the opening schedules: when no webhook told how the checkout ended, Stripe is asked. */
    @Nested
    class CheckoutExpiry {

        /**
         * Opened by the patient's command at {@link TransactionFixtures#NOW}, which schedules the check at
         * {@link TransactionFixtures#EXPIRY_CHECK}; then whatever else the test sends before time passes.
         */
        private TestExecutor<Transaction> openedByCommand(Object... laterCommands) {
            TestExecutor<Transaction> executor = fixture.given(initiated())
                    .andGivenCommands(by(PATIENT, new OpenCheckoutCommand(TRANSACTION_ID)))
                    .andGivenCommands(laterCommands);
            clearInvocations(stripe);
            return executor;
        }

        @Test
        void shouldAskStripeNothingBeforeTheCheckIsDue() {
            openedByCommand().whenThenTimeAdvancesTo(EXPIRY_CHECK.minusSeconds(1))
                    .expectTriggeredDeadlines()
                    .expectNoEvents()
                    .expectScheduledDeadlineWithName(EXPIRY_CHECK, CHECKOUT_EXPIRY);

            verifyNoInteractions(stripe);
        }

        @Test
        void shouldRecordThePaymentWithoutAStripeEventWhenStripeSaysTheSessionWasPaid() throws StripeFailure {
            when(stripe.sessionState(SESSION_ID)).thenReturn(sessionState("complete", "paid"));

            openedByCommand().whenThenTimeAdvancesTo(EXPIRY_CHECK)
                    .expectTriggeredDeadlinesWithName(CHECKOUT_EXPIRY)
                    .expectEvents(paid(null))
                    .expectNoScheduledDeadlines();
        }

        @Test
        void shouldRecordTheExpiryWithoutAStripeEventWhenStripeSaysTheSessionExpired() throws StripeFailure {
            when(stripe.sessionState(SESSION_ID)).thenReturn(sessionState("expired", "unpaid"));

            openedByCommand().whenTimeElapses(Duration.ofMinutes(33))
                    .expectTriggeredDeadlinesWithName(CHECKOUT_EXPIRY)
                    .expectEvents(expired(null))
                    .expectNoScheduledDeadlines();

            verify(stripe).sessionState(SESSION_ID);
        }

        @Test
        void shouldAskAgainFiveMinutesLaterWhenTheSessionIsStillOpen() throws StripeFailure {
            when(stripe.sessionState(SESSION_ID)).thenReturn(sessionState("open", "unpaid"));

            openedByCommand().whenThenTimeAdvancesTo(EXPIRY_CHECK)
                    .expectTriggeredDeadlinesWithName(CHECKOUT_EXPIRY)
                    .expectNoEvents()
                    .expectScheduledDeadlineWithName(EXPIRY_CHECK.plus(RECONCILE_AGAIN), CHECKOUT_EXPIRY);
        }

        @Test
        void shouldAskAgainFiveMinutesLaterWhenStripeFails() throws StripeFailure {
            when(stripe.sessionState(SESSION_ID)).thenThrow(new StripeFailure("Stripe is down", true, null));

            openedByCommand().whenThenTimeAdvancesTo(EXPIRY_CHECK)
                    .expectNoEvents()
                    .expectScheduledDeadlineWithName(EXPIRY_CHECK.plus(RECONCILE_AGAIN), CHECKOUT_EXPIRY);
        }

        /**
         * A SEPA or Bacs payment stays complete and unpaid for days, and the sweep asks about it every few minutes:
         * the checkout keeps one chain of checks, one every five minutes, however often the sweep asked.
         */
        @Test
        void shouldKeepOneChainOfChecksWhenTheSweepAlsoAsksWhileThePaymentIsUnsettled() throws StripeFailure {
            when(stripe.sessionState(SESSION_ID)).thenReturn(sessionState("complete", "unpaid"));
            ReconcileTransactionCommand sweep = new ReconcileTransactionCommand(TRANSACTION_ID);
            Instant nextCheck = EXPIRY_CHECK.plus(RECONCILE_AGAIN.multipliedBy(3));

            openedByCommand(sweep, sweep, sweep).whenThenTimeAdvancesTo(EXPIRY_CHECK.plus(RECONCILE_AGAIN.multipliedBy(2)))
                    .expectTriggeredDeadlinesWithName(CHECKOUT_EXPIRY, CHECKOUT_EXPIRY, CHECKOUT_EXPIRY)
                    .expectNoEvents()
                    .expectScheduledDeadlineWithName(nextCheck, CHECKOUT_EXPIRY)
                    .expectNoScheduledDeadlineWithName(NOW, nextCheck.minusSeconds(1), CHECKOUT_EXPIRY)
                    .expectNoScheduledDeadlineWithName(nextCheck.plusSeconds(1), nextCheck.plus(Duration.ofDays(1)),
                            CHECKOUT_EXPIRY);

            verify(stripe, times(3)).sessionState(SESSION_ID);
        }

        @Test
        void shouldEndTheCheckoutAtTheSecondAskWhenStripeThenSaysItExpired() throws StripeFailure {
            when(stripe.sessionState(SESSION_ID))
                    .thenReturn(sessionState("open", "unpaid"))
                    .thenReturn(sessionState("expired", "unpaid"));

            openedByCommand().whenThenTimeAdvancesTo(EXPIRY_CHECK.plus(RECONCILE_AGAIN))
                    .expectTriggeredDeadlinesWithName(CHECKOUT_EXPIRY, CHECKOUT_EXPIRY)
                    .expectEvents(expired(null))
                    .expectNoScheduledDeadlines();

            verify(stripe, times(2)).sessionState(SESSION_ID);
        }

        @Test
        void shouldNotAskStripeWhenAWebhookAlreadyToldThePayment() {
            openedByCommand(new ApplyStripeFactCommand(TRANSACTION_ID, "evt_1", checkoutPaid()))
                    .whenThenTimeAdvancesTo(EXPIRY_CHECK)
                    .expectTriggeredDeadlinesWithName(CHECKOUT_EXPIRY)
                    .expectNoEvents()
                    .expectNoScheduledDeadlines();

            verifyNoInteractions(stripe);
        }

        @Test
        void shouldNotAskStripeWhenAWebhookAlreadyToldTheExpiry() {
            openedByCommand(new ApplyStripeFactCommand(TRANSACTION_ID, "evt_1", checkoutExpired()))
                    .whenThenTimeAdvancesTo(EXPIRY_CHECK)
                    .expectNoEvents()
                    .expectNoScheduledDeadlines();

            verifyNoInteractions(stripe);
        }
    }

    @Nested
    class EmailOutcomes {

        private RecordEmailDeliveredCommand delivered(UUID requestId) {
            return new RecordEmailDeliveredCommand(TRANSACTION_ID, requestId, PROVIDER_MESSAGE_ID, DELIVERED_AT);
        }

        private RecordEmailFailedCommand failed(UUID requestId, boolean permanent) {
            return new RecordEmailFailedCommand(TRANSACTION_ID, requestId, EMAIL_FAILURE, permanent);
        }

        private List<Object> openThen(Object... later) {
            List<Object> events = new ArrayList<>(History.OPEN.events());
            events.addAll(List.of(later));
            return events;
        }

        @Test
        void shouldRecordTheLinksDeliveryWhenTheRequestOfTheCheckoutOpeningIsAnswered() {
            fixture.given(History.OPEN.events()).when(delivered(LINK_EMAIL))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(emailDelivered(LINK_EMAIL, TransactionEmail.PAYMENT_LINK));
        }

        @Test
        void shouldRecordTheReceiptsAndTheRefundNotesDeliveryUnderTheirOwnRequestIds() {
            fixture.given(History.REFUNDED.events()).when(delivered(RECEIPT_EMAIL))
                    .expectEvents(emailDelivered(RECEIPT_EMAIL, TransactionEmail.PAYMENT_RECEIPT));
            fixture.given(History.REFUNDED.events()).when(delivered(REFUND_NOTE_EMAIL))
                    .expectEvents(emailDelivered(REFUND_NOTE_EMAIL, TransactionEmail.REFUND_NOTE));
        }

        @Test
        void shouldKnowTheRefundNoteOfARefundMadeAtStripeDirectly() {
            UUID note = MessageIds.derived(TRANSACTION_ID, 3, "REFUND_NOTE");

            fixture.given(paidThen(refundRecorded("re_dashboard", "evt_dashboard", 1000))).when(delivered(note))
                    .expectEvents(emailDelivered(note, TransactionEmail.REFUND_NOTE));
        }

        @Test
        void shouldRecordNothingWhenTheSameDeliveryIsAnsweredAgain() {
            fixture.given(openThen(emailDelivered(LINK_EMAIL, TransactionEmail.PAYMENT_LINK))).when(delivered(LINK_EMAIL))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void shouldRecordAFailureWithItsReasonSealedForTheRequest() {
            fixture.given(History.PAID.events()).when(failed(RECEIPT_EMAIL, true))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(emailFailed(RECEIPT_EMAIL, TransactionEmail.PAYMENT_RECEIPT, true));
        }

        @Test
        void shouldRecordADeliveryAfterAFailureSinceALaterAttemptGotThrough() {
            fixture.given(openThen(emailFailed(LINK_EMAIL, TransactionEmail.PAYMENT_LINK, false)))
                    .when(delivered(LINK_EMAIL))
                    .expectEvents(emailDelivered(LINK_EMAIL, TransactionEmail.PAYMENT_LINK));
        }

        @Test
        void shouldRecordNothingWhenAFailureFollowsADeliveryOrAnotherFailure() {
            fixture.given(openThen(emailDelivered(LINK_EMAIL, TransactionEmail.PAYMENT_LINK))).when(failed(LINK_EMAIL, true))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
            fixture.given(openThen(emailFailed(LINK_EMAIL, TransactionEmail.PAYMENT_LINK, false)))
                    .when(failed(LINK_EMAIL, false))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void shouldRejectWithUnknownEmailRequestWhenNoEventOfTheTransactionAskedForIt() {
            expectRejection(fixture.given(History.PAID.events()).when(delivered(UUID.randomUUID())),
                    PaymentError.UNKNOWN_EMAIL_REQUEST);
            // A receipt is asked for by the payment, not by the checkout's opening.
            expectRejection(fixture.given(History.OPEN.events()).when(failed(
                    MessageIds.derived(TRANSACTION_ID, 1, "PAYMENT_RECEIPT"), true)),
                    PaymentError.UNKNOWN_EMAIL_REQUEST);
        }

        @Test
        void shouldRejectWithTransactionNotFoundWhenNoSuchTransactionExists() {
            expectRejection(fixture.givenNoPriorActivity().when(delivered(LINK_EMAIL)), PaymentError.TRANSACTION_NOT_FOUND);
        }
    }
}
