package org.nhsv2.appointment.query;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Which JDBC batches a projection batch's writes become, and that no appointment's writes change order. */
class ViewWriteBatchTest {

    private static final String INSERT = "insert";
    private static final String CANCEL = "cancel";
    private static final String DELIVERED = "delivered";
    private static final UUID A = UUID.randomUUID();
    private static final UUID B = UUID.randomUUID();
    private static final UUID C = UUID.randomUUID();

    private final List<String> sent = new ArrayList<>();
    private final ViewWriteBatch batch = new ViewWriteBatch(INSERT, (statement, arguments) ->
            sent.add(statement + " " + arguments.stream().map(Arrays::toString).toList()));

    @Test
    void shouldSendNothingUntilAskedAndThenOneBatchPerStatementTheInsertsFirst() {
        batch.add(DELIVERED, C, "c1");
        batch.add(INSERT, A, "a0");
        batch.add(INSERT, B, "b0");
        batch.add(DELIVERED, A, "a1");
        batch.add(CANCEL, B, "b1");

        assertThat(sent).isEmpty();
        batch.send();

        assertThat(sent).containsExactly("insert [[a0], [b0]]", "delivered [[c1], [a1]]", "cancel [[b1]]");
    }

    @Test
    void shouldSendWhatIsQueuedBeforeAWriteThatWouldOvertakeAnEarlierOneOfItsAppointment() {
        batch.add(INSERT, A, "a0");
        batch.add(CANCEL, A, "a1");
        batch.add(DELIVERED, B, "b1");
        batch.add(DELIVERED, A, "a2"); // would go before a1 (the delivered group came first): a1 goes now

        assertThat(sent).containsExactly("insert [[a0]]", "cancel [[a1]]", "delivered [[b1]]");
        batch.send();
        assertThat(sent).containsExactly("insert [[a0]]", "cancel [[a1]]", "delivered [[b1]]", "delivered [[a2]]");
    }

    @Test
    void shouldKeepAnAppointmentsWritesOfOneStatementTogetherInTheirOrder() {
        batch.add(CANCEL, A, "a1");
        batch.add(CANCEL, B, "b1");
        batch.add(CANCEL, A, "a2");

        batch.send();

        assertThat(sent).containsExactly("cancel [[a1], [b1], [a2]]");
    }

    @Test
    void shouldSendAnInsertThatCameAfterAnotherWriteOfItsRowAfterIt() {
        batch.add(CANCEL, A, "a1");
        batch.add(INSERT, A, "a0 again"); // a replayed insert: it must not jump ahead of the cancel

        assertThat(sent).containsExactly("cancel [[a1]]");
        batch.send();
        assertThat(sent).containsExactly("cancel [[a1]]", "insert [[a0 again]]");
    }

    @Test
    void shouldStartAfreshAfterSending() {
        batch.add(INSERT, A, "a0");
        batch.send();
        batch.send();
        batch.add(CANCEL, A, "a1");
        batch.send();

        assertThat(sent).containsExactly("insert [[a0]]", "cancel [[a1]]");
    }
}
