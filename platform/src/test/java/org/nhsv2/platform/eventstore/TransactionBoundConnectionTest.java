package org.nhsv2.platform.eventstore;

import org.junit.jupiter.api.Test;
import org.mockito.Mockito;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Set;
import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

class TransactionBoundConnectionTest {

    private final Connection pooled = mock(Connection.class);
    private final DataSource dataSource = mock(DataSource.class);

    TransactionBoundConnectionTest() throws SQLException {
        when(dataSource.getConnection()).thenReturn(pooled);
        when(pooled.getAutoCommit()).thenReturn(true);
    }

    @Test
    void shouldLeaveTheTransactionsConnectionToItsTransaction() throws SQLException {
        new TransactionTemplate(new DataSourceTransactionManager(dataSource)).executeWithoutResult(status -> {
            try {
                Connection first = new SpringConnections(dataSource).getConnection();
                Connection second = new SpringConnections(dataSource).getConnection();
                first.commit();
                first.close();
                first.close();
                assertThat(first.isClosed()).isTrue();
                second.createStatement();
                second.close();
                verify(pooled, never()).close();
                verify(pooled, never()).commit();
                verify(pooled).createStatement();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        verify(dataSource, times(1)).getConnection();
        verify(pooled, times(1)).commit();
        verify(pooled, times(1)).close();
    }

    @Test
    void shouldCommitAndGiveBackAConnectionOutsideATransaction() throws SQLException {
        Connection connection = new SpringConnections(dataSource).getConnection();
        connection.commit();
        connection.close();
        connection.close();
        verify(pooled).commit();
        verify(pooled, times(1)).close();
    }

    @Test
    void shouldPassEveryOtherCallToTheConnection() throws Exception {
        Set<String> own = Set.of("close", "commit", "unwrap", "isWrapperFor");
        Connection bound = new TransactionBoundConnection(pooled, dataSource);
        for (Method method : Connection.class.getMethods()) {
            if (own.contains(method.getName()) || Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            Object[] arguments = Arrays.stream(method.getParameterTypes()).map(TransactionBoundConnectionTest::any)
                    .toArray();
            Mockito.clearInvocations(pooled);
            method.invoke(bound, arguments);
            method.invoke(verify(pooled), arguments);
        }
        assertThat(bound.unwrap(TransactionBoundConnection.class)).isSameAs(bound);
        when(pooled.unwrap(Connection.class)).thenReturn(pooled);
        assertThat(bound.unwrap(Connection.class)).isSameAs(bound);
        assertThat(bound.isWrapperFor(TransactionBoundConnection.class)).isTrue();
    }

    /** A value of the type, that a mock's verification compares equal. */
    private static Object any(Class<?> type) {
        if (type == boolean.class) {
            return true;
        }
        if (type == int.class) {
            return 7;
        }
        if (type == String.class) {
            return "text";
        }
        if (type.isArray()) {
            return java.lang.reflect.Array.newInstance(type.getComponentType(), 0);
        }
        return mock(type);
    }
}
