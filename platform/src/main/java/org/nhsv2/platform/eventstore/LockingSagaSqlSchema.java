package org.nhsv2.platform.eventstore;

import org.axonframework.modelling.saga.repository.jdbc.PostgresSagaSqlSchema;
import org.axonframework.modelling.saga.repository.jdbc.SagaSchema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Axon's PostgreSQL saga schema, with a saga's row locked as it is loaded ({@code for update}), until the
 * transaction of the unit of work that loaded it ends. Axon locks a saga only within one JVM
 * ({@code LockingSagaRepository}), but a saga's deadline runs on whichever instance's scheduler picks it, and
 * its events on the instance that owns its segment: with two instances both could load the same row, and the
 * one that committed last wrote its state over the other's (a reminder's plans lost, an answered email pending
 * again). Now the second waits for the first and loads what it committed. Within one JVM Axon's own lock is
 * taken first, so the row's adds no wait there; a handler of one saga writes only its own saga, deadlines
 * and appointment, so two units of work holding one saga each have nothing of the other's to wait for.
 */
class LockingSagaSqlSchema extends PostgresSagaSqlSchema {

    LockingSagaSqlSchema(SagaSchema schema) {
        super(schema);
    }

    @Override
    public PreparedStatement sql_loadSaga(Connection connection, String sagaId) throws SQLException {
        SagaSchema schema = sagaSchema();
        PreparedStatement statement = connection.prepareStatement("SELECT " + String.join(", ",
                schema.serializedSagaColumn(), schema.sagaTypeColumn(), schema.revisionColumn())
                + " FROM " + schema.sagaEntryTable() + " WHERE " + schema.sagaIdColumn() + " = ? FOR UPDATE");
        statement.setString(1, sagaId);
        return statement;
    }
}
