package org.nhsv2.appointment.query;

import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.queryhandling.GenericSubscriptionQueryMessage;
import org.axonframework.queryhandling.SimpleQueryUpdateEmitter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nhsv2.appointment.api.AppointmentBookedEvent;
import org.nhsv2.appointment.api.AppointmentStatus;
import org.nhsv2.appointment.api.AppointmentView;
import org.nhsv2.appointment.api.FindAppointmentQuery;
import org.nhsv2.appointment.facility.FacilityDirectory;
import org.nhsv2.platform.api.EncryptedText;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** The projection's promises around its transaction, checked with Axon's real unit of work and emitter. */
class AppointmentProjectionTest {

    private static final UUID FACILITY = UUID.randomUUID();
    private static final UUID APPOINTMENT = UUID.randomUUID();
    // 23:30 on 28 March 2027 in London is 22:30 UTC: the local day, not the UTC one, is evicted.
    private static final Instant START = Instant.parse("2027-03-28T22:30:00Z");
    private static final AppointmentBookedEvent BOOKED = new AppointmentBookedEvent(APPOINTMENT, FACILITY,
            UUID.randomUUID(), UUID.randomUUID(), new EncryptedText("v1:k:name"), new EncryptedText("v1:k:email"),
            START, 30, null);

    private final List<String> happenings = new CopyOnWriteArrayList<>();
    private final AppointmentViewRepository rows = mock(AppointmentViewRepository.class);
    private final FacilityDayCache cache = mock(FacilityDayCache.class);
    private final AppointmentViews views = mock(AppointmentViews.class);
    private final SimpleQueryUpdateEmitter emitter = SimpleQueryUpdateEmitter.builder().build();
    private AppointmentProjection projection;

    @BeforeEach
    void setUp() {
        FacilityDirectory facilities = mock(FacilityDirectory.class);
        when(facilities.zoneOf(FACILITY)).thenReturn(Optional.of(ZoneId.of("Europe/London")));
        AppointmentRow row = new AppointmentRow(APPOINTMENT, FACILITY, BOOKED.doctorId(), BOOKED.patientId(),
                BOOKED.patientName(), BOOKED.patientEmail(), START, START.plusSeconds(1800), 30, null,
                AppointmentStatus.BOOKED, null, null, null, 0);
        when(rows.find(APPOINTMENT)).thenReturn(Optional.of(row));
        when(views.open(row)).thenReturn(new AppointmentView(APPOINTMENT, FACILITY, row.doctorId(), row.patientId(),
                "Pat", "pat@example.test", START, row.end(), 30, null, AppointmentStatus.BOOKED, null, null, null, 0));
        doAnswer(call -> happenings.add("evicted " + call.getArgument(1))).when(cache).evict(any(), any());
        emitter.registerUpdateHandler(new GenericSubscriptionQueryMessage<>(new FindAppointmentQuery(APPOINTMENT),
                        ResponseTypes.optionalInstanceOf(AppointmentView.class), ResponseTypes.instanceOf(AppointmentView.class)), 16)
                .getUpdates().subscribe(update -> happenings.add("told the waiting client"));
        projection = new AppointmentProjection(rows, facilities, cache, views, emitter);
    }

    @Test
    void shouldEvictTheLocalDayBeforeTellingTheWaitingClientAndOnlyAfterCommit() {
        DefaultUnitOfWork<?> batch = DefaultUnitOfWork.startAndGet(GenericEventMessage.asEventMessage(BOOKED));

        projection.on(BOOKED, 0);
        assertThat(happenings).as("nothing leaves the transaction before it commits").isEmpty();
        batch.commit();

        assertThat(happenings).containsExactly("evicted " + Set.of(LocalDate.of(2027, 3, 28)), "told the waiting client");
        verify(rows).insert(eq(new AppointmentRow(APPOINTMENT, FACILITY, BOOKED.doctorId(), BOOKED.patientId(),
                BOOKED.patientName(), BOOKED.patientEmail(), START, START.plusSeconds(1800), 30, null,
                AppointmentStatus.BOOKED, null, null, null, 0)));
    }

    @Test
    void shouldNeitherEvictNorTellAnyoneWhenTheBatchRollsBack() {
        DefaultUnitOfWork<?> batch = DefaultUnitOfWork.startAndGet(GenericEventMessage.asEventMessage(BOOKED));

        projection.on(BOOKED, 0);
        batch.rollback();

        assertThat(happenings).isEmpty();
    }
}
