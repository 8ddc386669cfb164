package org.nhsv2.platform.problem;

import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.nhsv2.platform.api.Rejection;

import java.util.function.Function;

/**
 * Turns {@link RejectedException}s into {@link CommandExecutionException}s whose details carry the
 * {@link Rejection}: the shape that survives a distributed command bus. A command for an aggregate
 * that does not exist is rejected as the service says ({@code notFound}).
 */
public class RejectionTranslator implements MessageHandlerInterceptor<CommandMessage<?>> {

    private final Function<AggregateNotFoundException, Rejection> notFound;

    public RejectionTranslator(Function<AggregateNotFoundException, Rejection> notFound) {
        this.notFound = notFound;
    }

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        try {
            return chain.proceed();
        } catch (RejectedException e) {
            throw new CommandExecutionException(e.getMessage(), null, e.rejection());
        } catch (AggregateNotFoundException e) {
            Rejection rejection = notFound.apply(e);
            throw new CommandExecutionException(rejection.detail(), null, rejection);
        }
    }
}
