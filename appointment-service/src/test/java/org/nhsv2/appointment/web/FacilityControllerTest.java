package org.nhsv2.appointment.web;

import org.axonframework.messaging.responsetypes.ResponseType;
import org.axonframework.queryhandling.QueryGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.ArgumentCaptor;
import org.nhsv2.appointment.api.AppointmentPage;
import org.nhsv2.appointment.api.AppointmentStatus;
import org.nhsv2.appointment.api.FacilityView;
import org.nhsv2.appointment.api.FindFacilitiesQuery;
import org.nhsv2.appointment.api.FindFacilityAppointmentsQuery;
import org.nhsv2.appointment.config.WebSliceConfig;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static java.util.concurrent.CompletableFuture.completedFuture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.nhsv2.appointment.web.AppointmentFixture.appointment;
import static org.nhsv2.appointment.web.ProblemMatchers.invalidFields;
import static org.nhsv2.appointment.web.ProblemMatchers.problem;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@WebMvcTest(controllers = FacilityController.class)
@Import({WebSliceConfig.class})
class FacilityControllerTest {

    private static final UUID FACILITY = UUID.randomUUID();
    private static final UUID OTHER_FACILITY = UUID.randomUUID();
    private static final List<FacilityView> FACILITIES = List.of(
            new FacilityView(FACILITY, "Riverside Clinic", "Europe/London", "1 River Rd"),
            new FacilityView(OTHER_FACILITY, "Hilltop Surgery", "Europe/London", "2 Hill St"));

    @Autowired
    MockMvc mvc;

    @MockitoBean
    QueryGateway queries;

    @MockitoBean
    JwtDecoder jwtDecoder;

    private final Caller doctor = Caller.doctorAt(FACILITY);

    @BeforeEach
    void knownFacilities() {
        given(queries.query(any(FindFacilitiesQuery.class), any(ResponseType.class)))
                .willReturn(completedFuture(FACILITIES));
    }

    @Nested
    class ListFacilities {

        @Test
        void shouldAnswer200WithEveryFacilityWhenDoctorAsks() throws Exception {
            mvc.perform(get("/api/facilities").with(doctor.token()))
                    .andExpect(status().isOk())
                    .andExpect(content().contentType(MediaType.APPLICATION_JSON))
                    .andExpect(jsonPath("$.length()").value(2))
                    .andExpect(jsonPath("$[0].id").value(FACILITY.toString()))
                    .andExpect(jsonPath("$[0].name").value("Riverside Clinic"))
                    .andExpect(jsonPath("$[0].timeZone").value("Europe/London"));
        }

        @Test
        void shouldAnswer200WhenPatientAsks() throws Exception {
            mvc.perform(get("/api/facilities").with(Caller.patient().token()))
                    .andExpect(status().isOk())
                    .andExpect(jsonPath("$[1].id").value(OTHER_FACILITY.toString()));
        }

        @Test
        void shouldAnswer200WhenAdminAsks() throws Exception {
            mvc.perform(get("/api/facilities").with(Caller.admin().token()))
                    .andExpect(status().isOk())
                    .andExpect(jsonPath("$.length()").value(2));
        }

        @Test
        void shouldAnswer401WhenNoTokenIsSent() throws Exception {
            mvc.perform(get("/api/facilities"))
                    .andExpect(problem(HttpStatus.UNAUTHORIZED, "unauthenticated"));
            verify(queries, never()).query(any(FindFacilitiesQuery.class), any(ResponseType.class));
        }
    }

    @Nested
    class FacilityAppointments {

        private final AppointmentPage page = new AppointmentPage(
                List.of(appointment().at(FACILITY).doctor(doctor.id()).view()), 0, 50, 1);

        @BeforeEach
        void appointmentsFound() {
            given(queries.query(any(FindFacilityAppointmentsQuery.class), any(ResponseType.class)))
                    .willReturn(completedFuture(Optional.of(page)));
        }

        private MockHttpServletRequestBuilder appointmentsOf(UUID facility) {
            return get("/api/facilities/{id}/appointments", facility);
        }

        private ResultActions list(Caller caller, MockHttpServletRequestBuilder request) throws Exception {
            return mvc.perform(request.with(caller.token()));
        }

        private void noSuchFacility(UUID facility) {
            given(queries.query(argThat((FindFacilityAppointmentsQuery query) -> query != null
                    && query.facilityId().equals(facility)), any(ResponseType.class)))
                    .willReturn(completedFuture(Optional.empty()));
        }

        private FindFacilityAppointmentsQuery sentQuery() {
            ArgumentCaptor<FindFacilityAppointmentsQuery> query = ArgumentCaptor.forClass(FindFacilityAppointmentsQuery.class);
            verify(queries).query(query.capture(), any(ResponseType.class));
            return query.getValue();
        }

        private void verifyNotQueried() {
            verify(queries, never()).query(any(FindFacilityAppointmentsQuery.class), any(ResponseType.class));
        }

        @Test
        void shouldAnswer200WithThePageWhenDoctorIsAMember() throws Exception {
            list(doctor, appointmentsOf(FACILITY).param("from", "2030-01-02"))
                    .andExpect(status().isOk())
                    .andExpect(jsonPath("$.items[0].facilityId").value(FACILITY.toString()))
                    .andExpect(jsonPath("$.totalItems").value(1))
                    .andExpect(jsonPath("$.size").value(50));
        }

        @Test
        void shouldQueryOneDayWithDefaultPagingWhenOnlyFromIsGiven() throws Exception {
            list(doctor, appointmentsOf(FACILITY).param("from", "2030-01-02")).andExpect(status().isOk());

            assertThat(sentQuery()).isEqualTo(new FindFacilityAppointmentsQuery(FACILITY,
                    LocalDate.parse("2030-01-02"), LocalDate.parse("2030-01-02"), null, null, 0, 50));
        }

        @Test
        void shouldPassEveryFilterWhenAllAreGiven() throws Exception {
            UUID colleague = UUID.randomUUID();

            list(doctor, appointmentsOf(FACILITY).param("from", "2030-01-02").param("to", "2030-01-08")
                    .param("doctorId", colleague.toString()).param("status", "CANCELLED")
                    .param("page", "3").param("size", "20"))
                    .andExpect(status().isOk());

            assertThat(sentQuery()).isEqualTo(new FindFacilityAppointmentsQuery(FACILITY,
                    LocalDate.parse("2030-01-02"), LocalDate.parse("2030-01-08"), colleague,
                    AppointmentStatus.CANCELLED, 3, 20));
        }

        @Test
        void shouldAcceptRangeWhenItSpans31Days() throws Exception {
            list(doctor, appointmentsOf(FACILITY).param("from", "2030-01-01").param("to", "2030-01-31"))
                    .andExpect(status().isOk());

            assertThat(sentQuery().to()).isEqualTo(LocalDate.parse("2030-01-31"));
        }

        @Test
        void shouldAnswer200WhenAdminAsksForAnyFacility() throws Exception {
            list(Caller.admin(), appointmentsOf(OTHER_FACILITY).param("from", "2030-01-02"))
                    .andExpect(status().isOk());

            assertThat(sentQuery().facilityId()).isEqualTo(OTHER_FACILITY);
        }

        @Test
        void shouldAnswer403FacilityForbiddenWhenDoctorIsNotAMember() throws Exception {
            list(doctor, appointmentsOf(OTHER_FACILITY).param("from", "2030-01-02"))
                    .andExpect(problem(HttpStatus.FORBIDDEN, "facility-forbidden"))
                    .andExpect(jsonPath("$.detail").value("You are not a member of facility " + OTHER_FACILITY));
            verifyNotQueried();
        }

        @Test
        void shouldAnswer403WhenCallerIsAPatient() throws Exception {
            list(Caller.patient(), appointmentsOf(FACILITY).param("from", "2030-01-02"))
                    .andExpect(problem(HttpStatus.FORBIDDEN, "forbidden"));
            verifyNotQueried();
        }

        @Test
        void shouldAnswer403WhenTokenSubjectIsNotAUserId() throws Exception {
            list(doctor.withSubject("service-account-reporting"), appointmentsOf(FACILITY).param("from", "2030-01-02"))
                    .andExpect(problem(HttpStatus.FORBIDDEN, "forbidden"));
            verifyNotQueried();
        }

        @Test
        void shouldAnswer400WhenFromIsMissing() throws Exception {
            list(doctor, appointmentsOf(FACILITY))
                    .andExpect(problem(HttpStatus.BAD_REQUEST, "invalid-request"))
                    .andExpect(jsonPath("$.detail").value(containsString("from")));
            verifyNotQueried();
        }

        @Test
        void shouldAnswer400WhenFromIsNotADate() throws Exception {
            list(doctor, appointmentsOf(FACILITY).param("from", "02/01/2030"))
                    .andExpect(problem(HttpStatus.BAD_REQUEST, "invalid-request"));
            verifyNotQueried();
        }

        @Test
        void shouldAnswer400InvalidRangeWhenToIsBeforeFrom() throws Exception {
            list(doctor, appointmentsOf(FACILITY).param("from", "2030-01-02").param("to", "2030-01-01"))
                    .andExpect(problem(HttpStatus.BAD_REQUEST, "invalid-range"))
                    .andExpect(jsonPath("$.title").value("Invalid date range"));
            verifyNotQueried();
        }

        @ParameterizedTest
        @ValueSource(strings = {"+999999999-12-31", "-999999999-01-01", "2040-01-02", "2019-12-31"})
        void shouldAnswer400InvalidRangeWhenADayIsMoreThanTenYearsFromToday(String day) throws Exception {
            list(doctor, appointmentsOf(FACILITY).param("from", day))
                    .andExpect(problem(HttpStatus.BAD_REQUEST, "invalid-range"));
            list(doctor, appointmentsOf(FACILITY).param("from", "2030-01-02").param("to", day))
                    .andExpect(problem(HttpStatus.BAD_REQUEST, "invalid-range"));
            verifyNotQueried();
        }

        @Test
        void shouldListADayExactlyTenYearsFromToday() throws Exception {
            list(doctor, appointmentsOf(FACILITY).param("from", "2040-01-01")).andExpect(status().isOk());
            list(doctor, appointmentsOf(FACILITY).param("from", "2020-01-01")).andExpect(status().isOk());
        }

        @Test
        void shouldAnswer400InvalidRangeWhenRangeExceeds31Days() throws Exception {
            list(doctor, appointmentsOf(FACILITY).param("from", "2030-01-01").param("to", "2030-02-01"))
                    .andExpect(problem(HttpStatus.BAD_REQUEST, "invalid-range"));
            verifyNotQueried();
        }

        @ParameterizedTest
        @ValueSource(strings = {"0", "201"})
        void shouldAnswer400NamingSizeWhenSizeIsOutOfRange(String size) throws Exception {
            list(doctor, appointmentsOf(FACILITY).param("from", "2030-01-02").param("size", size))
                    .andExpect(invalidFields("size"));
            verifyNotQueried();
        }

        @Test
        void shouldAnswer400NamingPageWhenPageIsNegative() throws Exception {
            list(doctor, appointmentsOf(FACILITY).param("from", "2030-01-02").param("page", "-1"))
                    .andExpect(invalidFields("page"));
            verifyNotQueried();
        }

        @Test
        void shouldAnswer400WhenStatusIsUnknown() throws Exception {
            list(doctor, appointmentsOf(FACILITY).param("from", "2030-01-02").param("status", "BOGUS"))
                    .andExpect(problem(HttpStatus.BAD_REQUEST, "invalid-request"));
            verifyNotQueried();
        }

        @Test
        void shouldAnswer404WhenFacilityIsUnknown() throws Exception {
            UUID closed = UUID.randomUUID();
            noSuchFacility(closed);

            list(Caller.admin(), appointmentsOf(closed).param("from", "2030-01-02"))
                    .andExpect(problem(HttpStatus.NOT_FOUND, "facility-not-found"))
                    .andExpect(jsonPath("$.detail").value("No facility " + closed));
            assertThat(sentQuery().facilityId()).isEqualTo(closed);
        }

        @Test
        void shouldAnswer404WhenDoctorTokenNamesAFacilityThatNoLongerExists() throws Exception {
            UUID closed = UUID.randomUUID();
            noSuchFacility(closed);

            list(Caller.doctorAt(closed), appointmentsOf(closed).param("from", "2030-01-02"))
                    .andExpect(problem(HttpStatus.NOT_FOUND, "facility-not-found"));
            assertThat(sentQuery().facilityId()).isEqualTo(closed);
        }
    }
}
