package dev.payproc.settlement;

import io.vertx.pgclient.PgConnectOptions;

import java.util.Map;

/** Where the ledger lives, from the standard libpq variables. */
public record DatabaseSettings(String host, int port, String database, String user, String password) {

    public static DatabaseSettings fromEnv(Map<String, String> env) {
        return new DatabaseSettings(env.getOrDefault("PGHOST", "127.0.0.1"),
                Integer.parseInt(env.getOrDefault("PGPORT", "5432")),
                env.getOrDefault("PGDATABASE", "postgres"),
                env.getOrDefault("PGUSER", "postgres"),
                env.getOrDefault("PGPASSWORD", "postgres"));
    }

    /** The longest SQL text whose prepared statement a connection keeps; the batch statements are ~4 KB. */
    static final int CACHED_SQL_LIMIT = 16_384;

    /**
     * Connection options. A server-side statement timeout bounds every statement, so a stuck database
     * aborts (and commits nothing) instead of holding a batch forever. Prepared statements are cached up to
     * {@link #CACHED_SQL_LIMIT} characters: the client's default (2,048) leaves the batch statements out, and
     * PostgreSQL then parses and plans each one again, about 2 ms of its CPU per statement.
     */
    public PgConnectOptions connectOptions(String applicationName, int statementTimeoutMillis) {
        return new PgConnectOptions()
                .setHost(host).setPort(port).setDatabase(database).setUser(user).setPassword(password)
                .setCachePreparedStatements(true)
                .setPreparedStatementCacheSqlLimit(CACHED_SQL_LIMIT)
                .setPipeliningLimit(256)
                .setProperties(Map.of("application_name", applicationName,
                        "statement_timeout", Integer.toString(statementTimeoutMillis)));
    }

    @Override
    public String toString() {
        return "DatabaseSettings[" + user + "@" + host + ":" + port + "/" + database + "]"; // never the password
    }
}
