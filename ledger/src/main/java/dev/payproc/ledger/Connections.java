package dev.payproc.ledger;

import dev.payproc.core.config.DatabaseSettings;
import io.vertx.pgclient.PgConnectOptions;
import java.util.Map;

/** How every connection to the ledger is opened. */
public final class Connections {
    /** The longest SQL text whose prepared statement a connection keeps; the batch statements are ~4 KB. */
    static final int CACHED_SQL_LIMIT = 16_384;

    private Connections() {}

    /**
     * Connection options. A server-side statement timeout bounds every statement, so a stuck database
     * aborts (and commits nothing) instead of holding a batch forever. Prepared statements are cached up to
     * {@link #CACHED_SQL_LIMIT} characters: the client's default (2,048) leaves the batch statements out, and
     * PostgreSQL then parses and plans each one again, about 2 ms of its CPU per statement.
     */
    public static PgConnectOptions options(DatabaseSettings db, String applicationName, int statementTimeoutMillis) {
        return new PgConnectOptions()
                .setHost(db.host())
                .setPort(db.port())
                .setDatabase(db.database())
                .setUser(db.user())
                .setPassword(db.password())
                .setCachePreparedStatements(true)
                .setPreparedStatementCacheSqlLimit(CACHED_SQL_LIMIT)
                .setPipeliningLimit(256)
                .setProperties(Map.of(
                        "application_name",
                        applicationName,
                        "statement_timeout",
                        Integer.toString(statementTimeoutMillis)));
    }
}
