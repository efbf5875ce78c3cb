package dev.payproc.core.config;

import java.util.Map;

/** Where the ledger lives, from the standard libpq variables. */
public record DatabaseSettings(String host, int port, String database, String user, String password) {

    public static DatabaseSettings fromEnv(Map<String, String> env) {
        return new DatabaseSettings(
                env.getOrDefault("PGHOST", "127.0.0.1"),
                Integer.parseInt(env.getOrDefault("PGPORT", "5432")),
                env.getOrDefault("PGDATABASE", "postgres"),
                env.getOrDefault("PGUSER", "postgres"),
                env.getOrDefault("PGPASSWORD", "postgres"));
    }

    /** The same server and credentials, another database. */
    public DatabaseSettings withDatabase(String name) {
        return new DatabaseSettings(host, port, name, user, password);
    }

    @Override
    public String toString() {
        return "DatabaseSettings[" + user + "@" + host + ":" + port + "/" + database + "]"; // never the password
    }
}
