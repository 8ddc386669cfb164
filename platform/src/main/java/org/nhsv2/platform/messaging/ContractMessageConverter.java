package org.nhsv2.platform.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.nhsv2.contracts.Contract;
import org.nhsv2.contracts.ContractJson;
import org.nhsv2.platform.time.UtcInstants;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.support.converter.MessageConversionException;
import org.springframework.amqp.support.converter.MessageConverter;

import java.io.IOException;

/**
 * Writes a shared-api contract as its JSON with the contract's name in the AMQP {@code type}
 * property, its version in a header and a message id that is the same each time the same message is
 * published; reads one back by its type. What cannot be read (an unknown type, a newer version,
 * broken JSON, a missing field) fails conversion, which Spring AMQP treats as fatal: the message goes
 * straight to its dead-letter queue rather than round a retry loop.
 */
public class ContractMessageConverter implements MessageConverter {

    private final ObjectMapper json = ContractJson.mapper().copy().registerModule(UtcInstants.module());

    @Override
    public Message toMessage(Object object, MessageProperties properties) {
        Contract contract = Contract.of(object);
        try {
            byte[] body = json.writeValueAsBytes(object);
            properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
            properties.setContentEncoding("UTF-8");
            properties.setContentLength(body.length);
            properties.setType(contract.type());
            properties.setHeader(Contract.VERSION_HEADER, contract.version());
            properties.setMessageId(contract.messageId(object));
            return new Message(body, properties);
        } catch (IOException e) {
            throw new MessageConversionException("cannot write " + contract.type(), e);
        }
    }

    @Override
    public Object fromMessage(Message message) {
        MessageProperties properties = message.getMessageProperties();
        Contract contract = Contract.ofType(properties.getType())
                .orElseThrow(() -> new MessageConversionException("unknown message type " + properties.getType()));
        Object version = properties.getHeader(Contract.VERSION_HEADER);
        if (!(version instanceof Number number) || number.intValue() < 1 || number.intValue() > contract.version()) {
            throw new MessageConversionException(contract.type() + " version " + version
                    + " is not readable here (up to " + contract.version() + ")");
        }
        try {
            return json.readValue(message.getBody(), contract.recordType());
        } catch (IOException e) {
            // The message's text stays out of the exception: it may carry personal data.
            throw new MessageConversionException("unreadable " + contract.type() + ": " + e.getClass().getSimpleName());
        }
    }
}
