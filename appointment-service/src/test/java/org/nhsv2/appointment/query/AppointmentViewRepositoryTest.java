package org.nhsv2.appointment.query;

import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;
import org.nhsv2.appointment.api.AppointmentStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.startsWith;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

/** When the view's writes reach the database: at once outside a batch, together when a batch commits. */
class AppointmentViewRepositoryTest {

    private static final UUID A = UUID.randomUUID();
    private static final UUID B = UUID.randomUUID();
    private static final Instant DELIVERED = Instant.parse("2027-01-04T09:00:00Z");

    private final JdbcTemplate jdbc = mock(JdbcTemplate.class);
    private final AppointmentViewRepository rows = new AppointmentViewRepository(jdbc);

    @Test
    void shouldWriteAtOnceOutsideAUnitOfWork() {
        rows.recordEmailDelivered(A, DELIVERED, 1);

        verify(jdbc).update(startsWith("update appointment_view set email_delivered_at"), any(Object[].class));
    }

    @Test
    void shouldSendABatchsWritesTogetherWhenItCommits() {
        DefaultUnitOfWork<?> batch = DefaultUnitOfWork.startAndGet(GenericEventMessage.asEventMessage("batch"));
        rows.recordEmailDelivered(A, DELIVERED, 1);
        rows.recordEmailDelivered(B, DELIVERED, 1);
        verifyNoInteractions(jdbc);

        batch.commit();

        verify(jdbc).batchUpdate(startsWith("update appointment_view set email_delivered_at"),
                argThat((List<Object[]> arguments) -> arguments.size() == 2 && arguments.get(0)[2].equals(A)
                        && arguments.get(1)[2].equals(B)));
        verify(jdbc, never()).update(anyString(), any(Object[].class));
    }

    @Test
    void shouldSendWhatIsQueuedBeforeReadingTheView() {
        DefaultUnitOfWork<?> batch = DefaultUnitOfWork.startAndGet(GenericEventMessage.asEventMessage("batch"));
        rows.changeStatus(A, AppointmentStatus.FULFILLED, null, 2);

        rows.find(A);

        InOrder order = inOrder(jdbc);
        order.verify(jdbc).batchUpdate(startsWith("update appointment_view set status"), anyList());
        order.verify(jdbc).query(startsWith("select"), any(RowMapper.class), eq(A));
        batch.commit();
        order.verifyNoMoreInteractions();
    }

    @Test
    void shouldWriteAtOnceAfterWhatIsQueuedOnceTheUnitOfWorkIsCommitting() {
        DefaultUnitOfWork<?> batch = DefaultUnitOfWork.startAndGet(GenericEventMessage.asEventMessage("batch"));
        rows.changeStatus(A, AppointmentStatus.FULFILLED, null, 2);
        batch.onPrepareCommit(committing -> rows.recordEmailDelivered(A, DELIVERED, 3));

        batch.commit();

        InOrder order = inOrder(jdbc);
        order.verify(jdbc).batchUpdate(startsWith("update appointment_view set status"), anyList());
        order.verify(jdbc).update(startsWith("update appointment_view set email_delivered_at"), any(Object[].class));
        order.verifyNoMoreInteractions();
    }
}
