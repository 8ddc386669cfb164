package org.nhsv2.appointment.saga;

import org.axonframework.config.Configuration;
import org.axonframework.modelling.saga.ResourceInjector;
import org.junit.jupiter.api.Test;
import org.nhsv2.appointment.IntegrationTest;
import org.nhsv2.platform.saga.SagaResources;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.test.util.ReflectionTestUtils;

import java.lang.reflect.Field;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** The confirmation saga gets its resources through the platform's injector, every one of them the context's bean. */
class SagaResourcesWiringIT extends IntegrationTest {

    @Autowired
    private Configuration axon;
    @Autowired
    private ApplicationContext context;

    @Test
    void shouldGiveTheConfirmationSagaItsResourcesThroughThePlatformsInjector() {
        Object repository = axon.eventProcessingConfiguration()
                .sagaConfiguration(AppointmentConfirmationSaga.class).repository();
        ResourceInjector injector = (ResourceInjector) ReflectionTestUtils.getField(repository, "resourceInjector");
        assertThat(injector).isInstanceOf(SagaResources.class);

        AppointmentConfirmationSaga saga = new AppointmentConfirmationSaga();
        injector.injectResources(saga);

        Field[] resources = Arrays.stream(AppointmentConfirmationSaga.class.getDeclaredFields())
                .filter(field -> field.isAnnotationPresent(Autowired.class)).toArray(Field[]::new);
        assertThat(resources).isNotEmpty();
        for (Field resource : resources) {
            assertThat(ReflectionTestUtils.getField(saga, resource.getName())).as(resource.getName())
                    .isSameAs(context.getBean(resource.getType()));
        }
    }
}
