package dev.payproc.ledger.schema;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Applies the schema migrations under {@code db/migration} in order, each once, in one transaction
 * guarded by an advisory lock so that several processes starting together against one database
 * neither race nor apply a migration twice. A migration's version is the number in its name ({@code V13__…}); every
 * version not recorded yet is applied, so a version added below one already applied (work merged from two branches)
 * is applied too.
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
            "V12__keyed_seals.sql",
            "V13__keyed_admin_audit.sql",
            "V14__key_checks.sql",
            "V15__card_hmac_rotation.sql",
            "V16__authorization_in_one_row.sql",
            "V17__authorization_answer_rebuilt.sql",
            "V18__merchant_event_feed.sql",
            "V19__webhooks.sql",
            "V21__time_ordered_indexes.sql",
            "V22__disputes.sql",
            "V24__complaints_closed.sql");

    private Migrations() {}

    /** Applies what is missing; completes with the number of migrations applied now. */
    public static Future<Integer> apply(Pool pool) {
        return applyThrough(pool, Integer.MAX_VALUE);
    }

    /**
     * Applies what is missing up to and including {@code lastVersion}: a database as an older release left it, which
     * tests of carrying data forward start from.
     */
    public static Future<Integer> applyThrough(Pool pool, int lastVersion) {
        return pool.withTransaction(conn -> conn.query("SELECT pg_advisory_xact_lock(" + LOCK_ID + ")")
                .execute()
                .compose(v ->
                        conn.query("SET LOCAL client_min_messages = warning").execute()) // no "already exists" notices
                .compose(v -> conn.query("CREATE TABLE IF NOT EXISTS schema_migrations (version int PRIMARY KEY, "
                                + "name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())")
                        .execute())
                .compose(
                        v -> conn.query("SELECT version FROM schema_migrations").execute())
                .compose(rows -> {
                    Set<Integer> applied = new HashSet<>();
                    for (Row r : rows) applied.add(r.getInteger(0));
                    return applyMissing(conn, applied, lastVersion);
                }));
    }

    /** The version a migration file's name carries: {@code V13__x.sql} is 13. */
    static int version(String name) {
        return Integer.parseInt(name.substring(1, name.indexOf("__")));
    }

    private static Future<Integer> applyMissing(SqlConnection conn, Set<Integer> done, int lastVersion) {
        Future<Integer> chain = Future.succeededFuture(0);
        for (String name : FILES) {
            int version = version(name);
            if (done.contains(version) || version > lastVersion) continue;
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
