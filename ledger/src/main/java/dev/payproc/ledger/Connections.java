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
     * What every connection's {@code application_name} carries of the process's {@code CARD_HMAC_KEY}: the first 4
     * bytes of its check value (not of the key; the check value is an HMAC of the key and reveals nothing of it), so
     * that a rotation of the key can see, in {@code pg_stat_activity}, processes still running on the old one.
     */
    public static String hmacTag(byte[] hmacCheckValue) {
        return "hmac:" + java.util.HexFormat.of().formatHex(hmacCheckValue, 0, 4);
    }

    /**
     * The {@code application_name} of a process's connections of one role: {@code payproc-read hmac:1a2b3c4d
     * proc:5e6f7a8b} ({@link #hmacTag}, and {@code process}, an id of the process, so that connections can be counted
     * by process). At most 63 bytes survive in PostgreSQL.
     */
    public static String applicationName(String role, byte[] hmacCheckValue, String process) {
        return role + " " + hmacTag(hmacCheckValue) + " proc:" + process;
    }

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
