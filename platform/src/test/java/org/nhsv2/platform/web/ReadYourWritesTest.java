package org.nhsv2.platform.web;

import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.DefaultQueryGateway;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.axonframework.queryhandling.SimpleQueryBus;
import org.axonframework.queryhandling.SimpleQueryUpdateEmitter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nhsv2.platform.api.Actor;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The wait of a write for its view, on Axon's real command and query buses: the projection's word
 * answers it without a query; without the word the view is read after a short while, and again, until
 * the bound.
 */
class ReadYourWritesTest {

    private static final Actor DOCTOR = new Actor(UUID.randomUUID(), Actor.Role.DOCTOR, Set.of());
    private static final Duration BOUND = Duration.ofSeconds(2);
    private static final Duration READ_EVERY = Duration.ofMillis(100);

    record FindView(String id) {
    }

    private final QueryUpdateEmitter emitter = SimpleQueryUpdateEmitter.builder().build();
    private final SimpleQueryBus queryBus = SimpleQueryBus.builder().queryUpdateEmitter(emitter).build();
    private final SimpleCommandBus commandBus = SimpleCommandBus.builder().build();
    /** What the read side holds; {@code null}: nothing yet. */
    private final AtomicReference<String> stored = new AtomicReference<>();
    private final AtomicInteger reads = new AtomicInteger();
    /** What the n-th read of the view finds. */
    private volatile IntFunction<String> readSide = n -> stored.get();
    private ReadYourWrites readYourWrites;

    @BeforeEach
    void setUp() {
        queryBus.subscribe(FindView.class.getName(), ResponseTypes.optionalInstanceOf(String.class).getExpectedResponseType(),
                query -> Optional.ofNullable(readSide.apply(reads.incrementAndGet())));
        readYourWrites = new ReadYourWrites(DefaultCommandGateway.builder().commandBus(commandBus).build(),
                DefaultQueryGateway.builder().queryBus(queryBus).build(), new ReadYourWritesSettings(BOUND, READ_EVERY));
    }

    @Test
    void shouldAnswerFromTheProjectionsWordWithoutReadingTheView() {
        handleWrites(view -> {
            stored.set(view);
            emitter.emit(FindView.class, query -> true, view);
        });

        assertThat(readYourWrites.send("booked", DOCTOR, new FindView("a"), String.class, view -> true)).contains("booked");
        assertThat(reads).as("view queries").hasValue(0);
    }

    @Test
    void shouldReadTheViewWhenTheWordDoesNotComeAsAnotherInstanceRanTheProjection() {
        handleWrites(stored::set);

        long began = System.nanoTime();
        assertThat(readYourWrites.send("booked", DOCTOR, new FindView("a"), String.class, view -> true)).contains("booked");
        assertThat(reads).as("view queries").hasValue(1);
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(BOUND);
    }

    @Test
    void shouldReadAgainUntilTheViewShowsTheWrite() {
        handleWrites(view -> {
        });
        readSide = n -> n >= 3 ? "booked" : "before"; // the read side catches up at the third look

        assertThat(readYourWrites.send("booked", DOCTOR, new FindView("a"), String.class, "booked"::equals))
                .contains("booked");
        assertThat(reads).hasValue(3);
    }

    @Test
    void shouldAnswerWithoutTheViewWhenTheViewCannotBeRead() {
        handleWrites(view -> {
        });
        readSide = n -> {
            throw new IllegalStateException("column \"status\" does not exist");
        };

        assertThat(readYourWrites.send("booked", DOCTOR, new FindView("a"), String.class, view -> true)).isEmpty();
        assertThat(reads.get()).as("view reads tried within the bound").isGreaterThan(1);
    }

    @Test
    void shouldGiveUpAtTheBoundWhenTheViewNeverShowsTheWrite() {
        handleWrites(view -> {
        });

        assertThat(readYourWrites.send("booked", DOCTOR, new FindView("a"), String.class, view -> true)).isEmpty();
        assertThat(reads.get()).as("view queries within the bound").isBetween(2, 1 + (int) (BOUND.toMillis() / READ_EVERY.toMillis()));
    }

    private void handleWrites(Consumer<String> write) {
        commandBus.subscribe(String.class.getName(), command -> {
            write.accept((String) command.getPayload());
            return null;
        });
    }
}
