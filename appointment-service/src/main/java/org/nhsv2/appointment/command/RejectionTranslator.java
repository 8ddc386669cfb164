package org.nhsv2.appointment.command;

import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.nhsv2.appointment.api.AppointmentError;
import org.nhsv2.appointment.api.AppointmentRejection;

/**
 * Turns domain rejections into {@link CommandExecutionException}s whose details carry the
 * {@link AppointmentRejection}: the shape that survives a distributed command bus.
 */
public class RejectionTranslator implements MessageHandlerInterceptor<CommandMessage<?>> {

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        try {
            return chain.proceed();
        } catch (AppointmentRejectedException e) {
            throw new CommandExecutionException(e.getMessage(), null, e.rejection());
        } catch (AggregateNotFoundException e) {
            throw new CommandExecutionException(e.getMessage(), null,
                    AppointmentRejection.of(AppointmentError.APPOINTMENT_NOT_FOUND));
        }
    }
}
