package dev.payproc.testkit;

import dev.payproc.core.config.DatabaseSettings;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A fresh, empty PostgreSQL database for one test class on the server named by the libpq variables
 * (default 127.0.0.1:5432, user postgres), dropped when closed. Also runs the queries tests check with.
 */
public final class TestDatabase implements AutoCloseable {
    private final Vertx vertx = Vertx.vertx();
    private final DatabaseSettings server;
    private final DatabaseSettings settings;
    private final Pool pool;

    public TestDatabase() {
        DatabaseSettings env = DatabaseSettings.fromEnv(System.getenv());
        this.server = env.withDatabase("postgres");
        String name = "payproc_it_" + Long.toHexString(System.nanoTime())
                + ThreadLocalRandom.current().nextInt(1000);
        admin("CREATE DATABASE " + name);
        this.settings = server.withDatabase(name);
        this.pool = PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(2))
                .connectingTo(options(settings, "payproc-test"))
                .using(vertx)
                .build();
    }

    public DatabaseSettings settings() {
        return settings;
    }

    /** The same database, reached through a fault-injecting proxy. */
    public static DatabaseSettings through(DatabaseSettings db, TcpProxy proxy) {
        return new DatabaseSettings("127.0.0.1", proxy.port(), db.database(), db.user(), db.password());
    }

    public RowSet<Row> query(String sql, Object... params) {
        return Await.result(pool.preparedQuery(sql).execute(Tuple.wrap(params)));
    }

    /** A pool of two connections to this database (closed with it), e.g. to apply the schema migrations. */
    public Pool pool() {
        return pool;
    }

    /** The plan PostgreSQL chooses for {@code sql}, as {@code EXPLAIN} prints it; {@code sql} may start with its options. */
    public String explain(String sql, Object... params) {
        return planText(query("EXPLAIN " + sql, params));
    }

    /**
     * The plan PostgreSQL chooses for {@code sql} when it may use any index it has: sequential scans are made as
     * expensive as the planner allows, so a plan that still reads a whole table has no index to serve it.
     */
    public String planWithoutSeqScans(String sql, Object... params) {
        return planText(Await.result(pool.withTransaction(conn -> conn.query("SET LOCAL enable_seqscan = off")
                .execute()
                .compose(v -> conn.preparedQuery("EXPLAIN " + sql).execute(Tuple.wrap(params))))));
    }

    private static String planText(RowSet<Row> rows) {
        StringBuilder plan = new StringBuilder();
        for (Row r : rows) plan.append(r.getString(0)).append('\n');
        return plan.toString();
    }

    public long count(String sql, Object... params) {
        return query(sql, params).iterator().next().getLong(0);
    }

    /** Every row of every table in the public schema, as text: what a look for leaked card data searches. */
    public List<String> dumpAllRows() {
        List<String> out = new ArrayList<>();
        for (Row t : query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")) {
            String table = t.getString(0);
            for (Row r : query("SELECT t::text FROM " + table + " t")) out.add(table + ": " + r.getString(0));
        }
        return out;
    }

    private static PgConnectOptions options(DatabaseSettings db, String applicationName) {
        return new PgConnectOptions()
                .setHost(db.host())
                .setPort(db.port())
                .setDatabase(db.database())
                .setUser(db.user())
                .setPassword(db.password())
                .setProperties(java.util.Map.of("application_name", applicationName));
    }

    private void admin(String sql) {
        Pool admin = PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(1))
                .connectingTo(options(server, "payproc-test-admin"))
                .using(vertx)
                .build();
        try {
            Await.result(admin.query(sql).execute());
        } finally {
            Await.result(admin.close());
        }
    }

    @Override
    public void close() {
        Await.result(pool.close());
        admin("DROP DATABASE IF EXISTS " + settings.database() + " WITH (FORCE)");
        Await.result(vertx.close());
    }
}
