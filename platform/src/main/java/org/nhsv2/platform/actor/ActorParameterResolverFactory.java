package org.nhsv2.platform.actor;

import org.axonframework.messaging.Message;
import org.axonframework.messaging.annotation.ParameterResolver;
import org.axonframework.messaging.annotation.ParameterResolverFactory;
import org.nhsv2.platform.api.Actor;

import java.lang.reflect.Executable;
import java.lang.reflect.Parameter;

/**
 * Lets handlers declare an {@link Actor} parameter, read from the message's metadata. Registered
 * through {@code META-INF/services}, so test fixtures resolve it exactly as the application does.
 */
public class ActorParameterResolverFactory implements ParameterResolverFactory {

    @Override
    public ParameterResolver<Actor> createInstance(Executable executable, Parameter[] parameters, int index) {
        if (!Actor.class.equals(parameters[index].getType())) {
            return null;
        }
        return new ParameterResolver<>() {
            @Override
            public Actor resolveParameterValue(Message<?> message) {
                return Actor.fromMetaData(message.getMetaData());
            }

            @Override
            public boolean matches(Message<?> message) {
                return true;
            }
        };
    }
}
