package org.nhsv2.platform.command;

import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.common.annotation.AnnotationUtils;
import org.axonframework.modelling.command.AnnotationCommandTargetResolver;
import org.axonframework.modelling.command.CommandTargetResolver;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;
import org.axonframework.modelling.command.VersionedAggregateIdentifier;

import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.axonframework.common.ReflectionUtils.ensureAccessible;
import static org.axonframework.common.ReflectionUtils.fieldsOf;
import static org.axonframework.common.ReflectionUtils.methodsOf;

/**
 * Axon's {@link AnnotationCommandTargetResolver} (the aggregate a command is for, from its
 * {@link TargetAggregateIdentifier} and {@link TargetAggregateVersion} members), with each command class's annotated
 * members found once. Axon's looks for them again on every command, through every method and field of the class and
 * their annotations' meta-annotations: 2-3 % of the appointment service's CPU in a booking profile. The answers and
 * the errors are Axon's.
 */
public final class CommandTargets implements CommandTargetResolver {

    private final Map<Class<?>, Members> membersByCommandType = new ConcurrentHashMap<>();

    @Override
    public VersionedAggregateIdentifier resolveTarget(CommandMessage<?> command) {
        Members members = membersOf(command.getPayloadType());
        Object identifier;
        Long version;
        try {
            identifier = valueOf(members.identifier(), command.getPayload());
            version = asLong(valueOf(members.version(), command.getPayload()));
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("An exception occurred while extracting aggregate "
                    + "information form a command", e);
        } catch (IllegalAccessException e) {
            throw new IllegalArgumentException("The current security context does not allow extraction of "
                    + "aggregate information from the given command.", e);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("The value provided for the version is not a number.", e);
        }
        if (identifier == null) {
            throw new IllegalArgumentException(String.format("Invalid command. It does not identify the target "
                    + "aggregate. Make sure at least one of the fields or methods in the [%s] class contains the "
                    + "@TargetAggregateIdentifier annotation and that it returns a non-null value.",
                    command.getPayloadType().getSimpleName()));
        }
        return new VersionedAggregateIdentifier(identifier.toString(), version);
    }

    private Members membersOf(Class<?> commandType) {
        Members members = membersByCommandType.get(commandType);
        return members != null ? members : membersByCommandType.computeIfAbsent(commandType, Members::of);
    }

    private static Object valueOf(Member member, Object command)
            throws InvocationTargetException, IllegalAccessException {
        if (member instanceof Method method) {
            return method.invoke(command);
        }
        return member instanceof Field field ? field.get(command) : null;
    }

    private static Long asLong(Object value) {
        if (value == null) {
            return null;
        }
        return value instanceof Number number ? number.longValue() : Long.parseLong(value.toString());
    }

    /** A command class's annotated members, looked for as Axon does: methods first, then fields. */
    private record Members(Member identifier, Member version) {

        static Members of(Class<?> commandType) {
            return new Members(annotated(commandType, TargetAggregateIdentifier.class),
                    annotated(commandType, TargetAggregateVersion.class));
        }

        private static Member annotated(Class<?> commandType, Class<? extends Annotation> annotation) {
            for (Method method : methodsOf(commandType)) {
                if (AnnotationUtils.isAnnotationPresent(method, annotation)) {
                    return ensureAccessible(method);
                }
            }
            for (Field field : fieldsOf(commandType)) {
                if (AnnotationUtils.isAnnotationPresent(field, annotation)) {
                    return ensureAccessible(field);
                }
            }
            return null;
        }
    }
}
