package org.nhsv2.platform.saga;

import org.axonframework.modelling.saga.ResourceInjector;
import org.axonframework.spring.saga.SpringResourceInjector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.TypeConverter;
import org.springframework.beans.factory.UnsatisfiedDependencyException;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.DependencyDescriptor;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every saga gets what Axon's Spring injector gives it; a saga of only singleton fields, resolved once. */
class SagaResourcesTest {

    static class Clockwork {
    }

    static class Ticket {
    }

    static class Missing {
    }

    static class Base {
        @Autowired
        transient Clockwork inherited;
    }

    static class FieldsSaga extends Base {
        @Autowired
        private transient Clockwork clockwork;
        private String state = "kept";
        static Clockwork ignored;
    }

    static class PrototypeSaga {
        @Autowired
        private transient Ticket ticket;
    }

    static class SetterSaga {
        private transient Clockwork viaSetter;

        @Autowired
        void use(Clockwork clockwork) {
            this.viaSetter = clockwork;
        }
    }

    static class ValueSaga {
        @Autowired
        private transient Clockwork clockwork;
        @Value("${answer:42}")
        private transient String answer;
    }

    static class OptionalSaga {
        @Autowired
        private transient Clockwork clockwork;
        @Autowired(required = false)
        private transient Missing missing;
    }

    static class RequiredMissingSaga {
        @Autowired
        private transient Missing missing;
    }

    /** Counts what the injectors ask of Spring. */
    static class CountingBeanFactory extends DefaultListableBeanFactory {
        final AtomicInteger autowired = new AtomicInteger();
        final AtomicInteger resolved = new AtomicInteger();

        @Override
        public void autowireBeanProperties(Object existingBean, int autowireMode, boolean dependencyCheck) {
            autowired.incrementAndGet();
            super.autowireBeanProperties(existingBean, autowireMode, dependencyCheck);
        }

        @Override
        public Object resolveDependency(DependencyDescriptor descriptor, String requestingBeanName,
                                        Set<String> autowiredBeanNames, TypeConverter typeConverter) {
            resolved.incrementAndGet();
            return super.resolveDependency(descriptor, requestingBeanName, autowiredBeanNames, typeConverter);
        }
    }

    private final CountingBeanFactory beans = new CountingBeanFactory();
    private final AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext(beans);
    private final ResourceInjector ours = new SagaResources(beans);
    private final SpringResourceInjector axons = new SpringResourceInjector();

    SagaResourcesTest() {
        context.registerBean(Clockwork.class);
        context.registerBean(Ticket.class, definition -> definition.setScope(BeanDefinition.SCOPE_PROTOTYPE));
        context.refresh();
        axons.setApplicationContext(context);
    }

    @AfterEach
    void close() {
        context.close();
    }

    @Test
    void shouldSetTheSingletonsOfEveryAutowiredFieldResolvedOnceForTheClass() {
        FieldsSaga byAxon = new FieldsSaga();
        axons.injectResources(byAxon);
        beans.resolved.set(0);

        for (int i = 0; i < 3; i++) {
            FieldsSaga byUs = new FieldsSaga();
            ours.injectResources(byUs);

            assertThat(byUs.clockwork).isSameAs(byAxon.clockwork).isSameAs(context.getBean(Clockwork.class));
            assertThat(byUs.inherited).isSameAs(byAxon.inherited).isSameAs(byUs.clockwork);
            assertThat(byUs.state).isEqualTo("kept");
        }
        assertThat(FieldsSaga.ignored).isNull();
        assertThat(beans.resolved).as("fields resolved, for three sagas").hasValue(2);
        assertThat(beans.autowired).as("sagas left to Spring").hasValue(1);
    }

    @Test
    void shouldLeaveEverySagaWithOtherResourcesToSpring() {
        PrototypeSaga first = new PrototypeSaga();
        PrototypeSaga second = new PrototypeSaga();
        ours.injectResources(first);
        ours.injectResources(second);
        assertThat(first.ticket).isNotNull().isNotSameAs(second.ticket);

        SetterSaga setter = new SetterSaga();
        ours.injectResources(setter);
        assertThat(setter.viaSetter).isSameAs(context.getBean(Clockwork.class));

        ValueSaga value = new ValueSaga();
        ours.injectResources(value);
        assertThat(value.answer).isEqualTo("42");
        assertThat(value.clockwork).isSameAs(context.getBean(Clockwork.class));

        OptionalSaga optional = new OptionalSaga();
        ours.injectResources(optional);
        assertThat(optional.missing).isNull();
        assertThat(optional.clockwork).isSameAs(context.getBean(Clockwork.class));

        assertThat(beans.autowired).as("sagas left to Spring").hasValue(5);
    }

    @Test
    void shouldFailAsSpringDoesWhenARequiredResourceIsMissing() {
        assertThatThrownBy(() -> axons.injectResources(new RequiredMissingSaga()))
                .isInstanceOf(UnsatisfiedDependencyException.class);
        assertThatThrownBy(() -> ours.injectResources(new RequiredMissingSaga()))
                .isInstanceOf(UnsatisfiedDependencyException.class);
    }

    @Test
    void shouldBeTheResourceInjectorUnlessTheServiceHasItsOwn() {
        ApplicationContextRunner runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SagaResourcesAutoConfiguration.class));
        runner.run(started -> assertThat(started).getBean(ResourceInjector.class).isInstanceOf(SagaResources.class));
        runner.withBean(ResourceInjector.class, SpringResourceInjector::new)
                .run(started -> assertThat(started).getBean(ResourceInjector.class).isInstanceOf(SpringResourceInjector.class));
    }
}
