package dev.payproc.ledger.commit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.core.config.DatabaseSettings;
import dev.payproc.ledger.Connections;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.SqlConnectOptions;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectionsTest {
    private final DatabaseSettings settings = DatabaseSettings.fromEnv(Map.of("PGPASSWORD", "secret"));

    @Test
    void theBatchStatementsStayPreparedOnTheirConnection() {
        PgConnectOptions options = Connections.options(settings, "test", 5_000);
        assertTrue(options.getCachePreparedStatements());
        // Both batch statements are longer than the client's default cache limit: without the raised limit
        // PostgreSQL would parse and plan them on every batch.
        for (String sql : new String[] {AuthorizationBatchSql.INSERT, LifecycleBatch.WRITE}) {
            assertTrue(
                    sql.length() > SqlConnectOptions.DEFAULT_PREPARED_STATEMENT_CACHE_SQL_LIMIT,
                    "length " + sql.length());
            assertTrue(options.getPreparedStatementCacheSqlFilter().test(sql), "cached: " + sql.substring(0, 40));
        }
    }

    @Test
    void everyStatementIsBoundedByTheServersTimeoutAndNamesItsApplication() {
        PgConnectOptions options = Connections.options(settings, "payproc-writer-0", 5_000);
        assertEquals("5000", options.getProperties().get("statement_timeout"));
        assertEquals("payproc-writer-0", options.getProperties().get("application_name"));
    }
}
