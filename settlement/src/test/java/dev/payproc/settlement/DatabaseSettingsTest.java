package dev.payproc.settlement;

import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.SqlConnectOptions;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatabaseSettingsTest {
    private final DatabaseSettings settings = DatabaseSettings.fromEnv(Map.of("PGPASSWORD", "secret"));

    @Test
    void theBatchStatementsStayPreparedOnTheirConnection() {
        PgConnectOptions options = settings.connectOptions("test", 5_000);
        assertTrue(options.getCachePreparedStatements());
        // Both batch statements are longer than the client's default cache limit: without the raised limit
        // PostgreSQL would parse and plan them on every batch.
        for (String sql : new String[] {AuthorizationBatchSql.INSERT, LifecycleBatch.WRITE}) {
            assertTrue(sql.length() > SqlConnectOptions.DEFAULT_PREPARED_STATEMENT_CACHE_SQL_LIMIT, "length " + sql.length());
            assertTrue(options.getPreparedStatementCacheSqlFilter().test(sql), "cached: " + sql.substring(0, 40));
        }
    }

    @Test
    void everyStatementIsBoundedByTheServersTimeoutAndNamesItsApplication() {
        PgConnectOptions options = settings.connectOptions("payproc-writer-0", 5_000);
        assertEquals("5000", options.getProperties().get("statement_timeout"));
        assertEquals("payproc-writer-0", options.getProperties().get("application_name"));
    }

    @Test
    void thePasswordNeverAppearsInTheSettingsDescription() {
        assertFalse(settings.toString().contains("secret"), settings.toString());
    }
}
