package dev.payproc.ledger.schema;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.logging.Logger;

/**
 * Applies the schema migrations under {@code db/migration} in order, each once, in one transaction
 * guarded by an advisory lock so that several processes starting together against one database
 * neither race nor apply a migration twice.
 */
public final class Migrations {
    private static final Logger LOG = Logger.getLogger(Migrations.class.getName());
    private static final long LOCK_ID = 0x70617970726f63L; // "payproc"
    static final List<String> FILES = List.of(
            "V1__ledger.sql",
            "V2__settlements.sql",
            "V3__admin.sql",
            "V4__fees.sql",
            "V5__event_seals.sql",
            "V6__flagged_payments.sql",
            "V7__hot_path_without_row_triggers.sql",
            "V8__inline_event_digest.sql",
            "V9__payment_indexes_for_the_queries_run.sql",
            "V10__card_bin.sql",
            "V11__card_key_checks.sql",
            "V12__keyed_seals.sql");

    private Migrations() {}

    /** Applies what is missing; completes with the number of migrations applied now. */
    public static Future<Integer> apply(Pool pool) {
        return pool.withTransaction(conn -> conn.query("SELECT pg_advisory_xact_lock(" + LOCK_ID + ")")
                .execute()
                .compose(v ->
                        conn.query("SET LOCAL client_min_messages = warning").execute()) // no "already exists" notices
                .compose(v -> conn.query("CREATE TABLE IF NOT EXISTS schema_migrations (version int PRIMARY KEY, "
                                + "name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())")
                        .execute())
                .compose(v -> conn.query("SELECT coalesce(max(version), 0) AS v FROM schema_migrations")
                        .execute())
                .compose(rows -> applyFrom(conn, rows.iterator().next().getInteger("v"))));
    }

    private static Future<Integer> applyFrom(SqlConnection conn, int current) {
        Future<Integer> chain = Future.succeededFuture(0);
        for (int i = current; i < FILES.size(); i++) {
            int version = i + 1;
            String name = FILES.get(i);
            chain = chain.compose(applied -> conn.query(read(name))
                    .execute()
                    .compose(v -> conn.preparedQuery("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)")
                            .execute(Tuple.of(version, name)))
                    .map(v -> {
                        LOG.info("applied schema migration " + name);
                        return applied + 1;
                    }));
        }
        return chain;
    }

    private static String read(String name) {
        try (InputStream in = Migrations.class.getResourceAsStream("/db/migration/" + name)) {
            if (in == null) throw new IllegalStateException("migration missing from the jar: " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
