package org.nhsv2.platform.command;

import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.modelling.command.AnnotationCommandTargetResolver;
import org.axonframework.modelling.command.CommandTargetResolver;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;
import org.axonframework.modelling.command.VersionedAggregateIdentifier;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The same targets, and the same errors, as Axon's resolver, for every shape of command it reads. */
class CommandTargetsTest {

    private static final UUID ID = UUID.fromString("5b0e2a4c-8a43-4c2f-9d07-2b6c6f1a9e11");

    private final CommandTargetResolver axons = AnnotationCommandTargetResolver.builder().build();
    private final CommandTargets ours = new CommandTargets();

    record Book(@TargetAggregateIdentifier UUID appointmentId, String reason) {
    }

    record Cancel(@TargetAggregateIdentifier UUID appointmentId, @TargetAggregateVersion Long expectedVersion) {
    }

    record Move(@TargetAggregateIdentifier String appointmentId, @TargetAggregateVersion String expectedVersion) {
    }

    static class ByField {
        @TargetAggregateIdentifier
        private final UUID id = ID;
        @TargetAggregateVersion
        private final int version = 7;
    }

    static class ByMethod {
        @TargetAggregateIdentifier
        String target() {
            return "by-method";
        }
    }

    static class Inherited extends ByField {
    }

    record Anonymous(UUID appointmentId) {
    }

    static class Failing {
        @TargetAggregateIdentifier
        UUID target() {
            throw new IllegalStateException("no id");
        }
    }

    @Test
    void shouldFindTheTargetAsAxonDoes() {
        for (Object command : List.of(new Book(ID, "check-up"), new Cancel(ID, 3L), new Cancel(ID, null),
                new Move("a-1", "12"), new ByField(), new ByMethod(), new Inherited())) {
            for (int time = 0; time < 2; time++) {
                VersionedAggregateIdentifier expected = axons.resolveTarget(GenericCommandMessage.asCommandMessage(command));
                VersionedAggregateIdentifier found = ours.resolveTarget(GenericCommandMessage.asCommandMessage(command));
                assertThat(found.getIdentifier()).as(command.getClass().getSimpleName())
                        .isEqualTo(expected.getIdentifier());
                assertThat(found.getVersion()).as(command.getClass().getSimpleName()).isEqualTo(expected.getVersion());
            }
        }
        assertThat(ours.resolveTarget(GenericCommandMessage.asCommandMessage(new Cancel(ID, 3L))))
                .satisfies(target -> assertThat(target.getIdentifier()).isEqualTo(ID.toString()))
                .satisfies(target -> assertThat(target.getVersion()).isEqualTo(3L));
    }

    @Test
    void shouldRefuseWhatAxonRefusesWithItsMessages() {
        for (Object command : List.of(new Book(null, "check-up"), new Anonymous(ID), new Move("a-1", "twelve"),
                new Failing())) {
            Throwable expected = catchThrown(axons, command);
            assertThatThrownBy(() -> ours.resolveTarget(GenericCommandMessage.asCommandMessage(command)))
                    .as(command.getClass().getSimpleName())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(expected.getMessage());
        }
    }

    @Test
    void shouldBeTheResolverOfEveryAggregateUnlessOneIsDeclared() {
        ApplicationContextRunner runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(CommandTargetsAutoConfiguration.class));
        runner.run(context -> assertThat(context).getBean(CommandTargetResolver.class).isInstanceOf(CommandTargets.class));
        runner.withBean(CommandTargetResolver.class, () -> axons)
                .run(context -> assertThat(context).getBean(CommandTargetResolver.class).isSameAs(axons));
    }

    private static Throwable catchThrown(CommandTargetResolver resolver, Object command) {
        try {
            resolver.resolveTarget(GenericCommandMessage.asCommandMessage(command));
        } catch (IllegalArgumentException e) {
            return e;
        }
        throw new AssertionError("Axon's resolver accepted " + command);
    }
}
