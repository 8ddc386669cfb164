package org.nhsv2.platform.eventstore;

import org.axonframework.common.jdbc.ConnectionProvider;
import org.springframework.jdbc.datasource.DataSourceUtils;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The connections Axon's JDBC stores (events, tokens, sagas) work on: the one of the Spring transaction that the unit of
 * work runs in (Axon's Spring transaction manager starts one for every command, processor batch and store read), or a
 * pooled one outside any. What Axon's auto-configuration gives them does the same through two reflective proxies, one
 * keeping the connection for the unit of work and one releasing it to Spring on close; every call on a connection went
 * through both: 1.9 % of the service's profile under a booking load. Here {@link TransactionBoundConnection} delegates
 * by plain calls. A unit of work without a Spring transaction would get a connection per statement from the pool,
 * each committing itself, rather than one for the unit of work; none here runs so.
 */
final class SpringConnections implements ConnectionProvider {

    private final DataSource dataSource;

    SpringConnections(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return new TransactionBoundConnection(DataSourceUtils.doGetConnection(dataSource), dataSource);
    }
}
