package org.nhsv2.platform.eventstore;

import org.assertj.core.api.SoftAssertions;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.jpa.JpaEventStorageEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * For the same store and the same token, our engine hands a tracking processor the same events with the same tokens
 * as Axon's stock JPA engine: only how the rows are read differs. Each case walks both engines poll by poll from its
 * token until the store is read, comparing every poll.
 */
class GapSafeJpaEventStorageEngineIT {

    private static final EventStoreSchema SCHEMA = new EventStoreSchema("gap_safe_engine_it");
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    /** Past Axon's default gap timeout of a minute: gaps before these events are given up. */
    private static final Instant OLD = NOW.minusSeconds(600);
    private static final Instant RECENT = NOW.minusSeconds(10);
    /** Indexes 1..40 hold events, but for these: the writers of these rolled back or have not committed yet. */
    private static final Set<Long> MISSING = Set.of(11L, 31L, 33L);

    /** One event as a processor receives it: its id and the token it comes with, gaps spelled out. */
    record Seen(String eventId, long index, SortedSet<Long> gaps) {

        static Seen of(TrackedEventData<?> event) {
            GapAwareTrackingToken token = (GapAwareTrackingToken) event.trackingToken();
            return new Seen(event.getEventIdentifier(), token.getIndex(), new TreeSet<>(token.getGaps()));
        }
    }

    record Case(String name, GapAwareTrackingToken start, UnaryOperator<JpaEventStorageEngine.Builder> settings) {
    }

    @BeforeAll
    static void freshSchema() {
        SCHEMA.drop();
    }

    @AfterAll
    static void dropSchema() {
        SCHEMA.drop();
    }

    @BeforeEach
    void fixClock() {
        GenericEventMessage.clock = Clock.fixed(NOW, ZoneOffset.UTC);
    }

    @AfterEach
    void restoreClock() {
        GenericEventMessage.clock = Clock.systemUTC();
    }

    @Test
    void shouldReturnTheSameEventsWithTheSameTokensAsAxonsEngineWhateverTheToken() {
        List<Case> cases = List.of(
                new Case("from the start", null, b -> b),
                new Case("from the start in batches of 3", null, b -> b.batchSize(3)),
                new Case("no gaps", token(20), b -> b.batchSize(5)),
                new Case("a gap since filled", token(30, 25), b -> b),
                new Case("a gap still open", token(32, 31), b -> b),
                new Case("gaps still open and filled, in batches of 2", token(34, 25, 31, 33), b -> b.batchSize(2)),
                new Case("a gap past the gap timeout", token(5), b -> b),
                new Case("a short gap timeout", token(30, 25), b -> b.gapTimeout(1_000)),
                new Case("more filled gaps than a batch", token(40, range(21, 30)), b -> b.batchSize(3)),
                new Case("filled gaps and the tail across a batch", token(35, 25, 32), b -> b.batchSize(3)),
                new Case("a batch of exactly the filled gaps", token(35, 25, 32, 34), b -> b.batchSize(3)),
                new Case("gaps beyond the max gap offset", token(33, 26, 31), b -> b.maxGapOffset(3)),
                new Case("gaps cleaned before the poll", token(20, 11, 15, 16), b -> b.gapCleaningThreshold(2)));

        SCHEMA.runner().run(context -> {
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            layOutStore(jdbc);
            SoftAssertions softly = new SoftAssertions();
            for (Case c : cases) {
                TrackingPoll stock = TrackingPoll.stock(c.settings().apply(EventStoreSchema.stockBuilder(context)));
                TrackingPoll ours = TrackingPoll.gapSafe(c.settings().apply(EventStoreSchema.stockBuilder(context)));
                List<List<Seen>> expected = walk(stock, c.start());
                softly.assertThat(expected).as(c.name() + ": Axon's engine reads something").isNotEmpty();
                softly.assertThat(walk(ours, c.start())).as(c.name()).isEqualTo(expected);
            }
            softly.assertAll();
        });
    }

    @Test
    void shouldDeliverAGapWrittenBetweenTwoPollsAsAxonsEngineDoes() {
        SCHEMA.runner().run(context -> {
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            layOutStore(jdbc);
            TrackingPoll stock = TrackingPoll.stock(EventStoreSchema.stockBuilder(context));
            TrackingPoll ours = TrackingPoll.gapSafe(EventStoreSchema.stockBuilder(context));

            List<Seen> first = poll(ours, token(28));
            assertThat(first).isEqualTo(poll(stock, token(28)));
            GapAwareTrackingToken afterFirst = tokenOf(first.get(first.size() - 1));
            assertThat(afterFirst.getGaps()).containsExactly(31L, 33L);

            EventRows.insert(jdbc, 31, RECENT);
            List<Seen> second = poll(ours, afterFirst);
            assertThat(second).isEqualTo(poll(stock, afterFirst))
                    .containsExactly(new Seen(EventRows.eventId(31), 40, new TreeSet<>(Set.of(33L))));
        });
    }

    /** Events 1..40 but {@link #MISSING}; 1..20 written long ago, 21..40 a moment ago. */
    private static void layOutStore(JdbcTemplate jdbc) {
        jdbc.execute("truncate domain_event_entry");
        for (long index = 1; index <= 40; index++) {
            if (!MISSING.contains(index)) {
                EventRows.insert(jdbc, index, index <= 20 ? OLD : RECENT);
            }
        }
    }

    /** Poll after poll, each from the token of the last event before, until a poll finds nothing new. */
    private static List<List<Seen>> walk(TrackingPoll engine, TrackingToken start) {
        List<List<Seen>> polls = new ArrayList<>();
        TrackingToken token = start;
        for (int i = 0; i < 50; i++) {
            List<? extends TrackedEventData<?>> events = engine.poll(token);
            if (events.isEmpty()) {
                return polls;
            }
            polls.add(events.stream().map(Seen::of).toList());
            token = events.get(events.size() - 1).trackingToken();
        }
        throw new AssertionError("still reading after 50 polls");
    }

    private static List<Seen> poll(TrackingPoll engine, TrackingToken token) {
        return engine.poll(token).stream().map(Seen::of).toList();
    }

    private static GapAwareTrackingToken tokenOf(Seen seen) {
        return GapAwareTrackingToken.newInstance(seen.index(), seen.gaps());
    }

    private static GapAwareTrackingToken token(long index, long... gaps) {
        return GapAwareTrackingToken.newInstance(index, LongStream.of(gaps).boxed().toList());
    }

    private static long[] range(long fromInclusive, long toExclusive) {
        return LongStream.range(fromInclusive, toExclusive).toArray();
    }
}
