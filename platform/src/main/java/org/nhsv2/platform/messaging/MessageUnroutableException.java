package org.nhsv2.platform.messaging;

/**
 * The broker took the message but no queue did (no binding for its routing key): unlike a broker that is away or
 * slow to confirm, asking again changes nothing until someone declares the queue.
 */
public class MessageUnroutableException extends MessageNotSentException {

    public MessageUnroutableException(String message) {
        super(message);
    }
}
