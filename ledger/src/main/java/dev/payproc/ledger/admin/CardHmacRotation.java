package dev.payproc.ledger.admin;

import dev.payproc.core.card.CardTokenizer;
import dev.payproc.core.port.CardKeyRotation;
import dev.payproc.core.port.RuleSetStore;
import dev.payproc.ledger.Connections;
import dev.payproc.ledger.audit.AdminAudit;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Rotates {@code CARD_HMAC_KEY} (README, "Card keys"): run at start by a process given the new key in
 * {@code CARD_HMAC_KEY} and the old one in {@code CARD_PREVIOUS_HMAC_KEY}, before it serves and before the risk
 * state is rebuilt, so no process ever serves with half-rewritten cards.
 *
 * <ol>
 *   <li>One transaction, under the lock of the {@code key_checks 'CARD_HMAC_KEY'} row: refused while
 *       {@code pg_stat_activity} shows processes on the old key; records the rotation to generation n
 *       ({@code card_hmac_rotations}); stores the NEW key's check value at once, so that from this commit on a
 *       process started on the old key is refused by the existing check instead of writing old-key fingerprints
 *       into a rotating table; sets the default of {@code cards.hmac_epoch} to n (metadata only; the writers'
 *       INSERT does not name the column, so every card made from now on is marked as made under the new key); and
 *       translates the blocklisted card fingerprints of the rule set in force to the new key, stored as a new
 *       rule-set version with its audit entry, as the admin API would. This needs the cards' old fingerprints,
 *       which the pages then overwrite: in the same transaction, it either happens once or not at all.</li>
 *   <li>Pages of cards still below generation n, in token order (the primary key: no index the hot path would
 *       maintain), {@code FOR UPDATE SKIP LOCKED} like {@link CardReEncryption}, so processes started together
 *       share the work: the PAN is decrypted inside the tokenizer ({@link CardTokenizer#reDerive}), the card gets
 *       its new fingerprint, its {@code alias} (its token under the new key, kept beside the token merchants hold)
 *       and generation n. Each page commits alone: a crash loses at most the page in flight, and the next start
 *       with the new key resumes (the rotation is recorded as unfinished).</li>
 *   <li>One transaction that first waits for pages other processes hold (a plain {@code FOR UPDATE} of any card
 *       still below n, which skips nothing), going back to step 2 if one is left (a page rolled back), then marks
 *       the rotation finished, with an audit entry.</li>
 * </ol>
 *
 * <p>{@code payments.card_fingerprint} is not touched: it is covered by the seals and stays the value under the key
 * of its time; readers that need the card's current fingerprint join {@code cards} (PaymentHistory).
 */
public final class CardHmacRotation {
    private static final Logger LOG = Logger.getLogger(CardHmacRotation.class.getName());
    /** The actor the admin audit records for what the rotation changes. */
    public static final String ACTOR = "card-hmac-rotation";

    public static final int DEFAULT_PAGE_SIZE = 1_000;
    /**
     * A rotation's statements may take longer than {@code STATEMENT_TIMEOUT_MS} allows requests: the last step reads
     * every card once, and a resumed first page skips the cards rewritten before.
     */
    private static final String TIMEOUT = "SET LOCAL statement_timeout = '30min'";

    static final String PAGE = "SELECT token, merchant_id, pan_ciphertext, key_id FROM cards"
            + " WHERE token > $1 AND hmac_epoch < $2 ORDER BY token LIMIT $3 FOR UPDATE SKIP LOCKED";
    static final String UPDATE = "UPDATE cards c SET fingerprint = u.fingerprint, alias = u.alias, hmac_epoch = $1"
            + " FROM unnest($2::text[], $3::text[], $4::text[]) AS u(token, fingerprint, alias)"
            + " WHERE c.token = u.token AND c.hmac_epoch < $1";

    /** What a run found and did. */
    public enum State {
        /** No rotation was ever made to this key (a database first used with it, or a key never rotated). */
        NONE,
        /** The rotation to this key was complete before this run. */
        COMPLETE,
        /** This run started the rotation (step 1). */
        STARTED,
        /** This run continued a rotation to this key that an earlier start (or another process) had begun. */
        RESUMED
    }

    /**
     * A run's outcome: the generation rotated to, the cards this run rewrote, every card the rotation rewrote so far,
     * the blocklisted fingerprints translated and kept untranslated, how long it ran, and whether the rotation is
     * finished (false only when {@code maxPages} stopped it).
     */
    public record Outcome(
            State state,
            int epoch,
            long rewrittenNow,
            long rewrittenTotal,
            int blocklistTranslated,
            int blocklistUntranslated,
            long millis,
            boolean finished) {
        /** Cards rewritten per second by this run. */
        public long cardsPerSecond() {
            return millis == 0 ? rewrittenNow * 1000 : rewrittenNow * 1000 / millis;
        }
    }

    private final Pool pool;
    private final CardTokenizer tokenizer;
    private final byte[] currentCheck;
    private final byte[] previousCheck;
    private final RiskRuleStore rules;
    private final AdminAudit audit;
    private final RuleSetStore.Stored configuredRules;

    /**
     * @param tokenizer the current keys: the new HMAC key, and every encryption key the stored cards need
     * @param currentCheck the check value of {@code CARD_HMAC_KEY}
     * @param previousCheck the check value of {@code CARD_PREVIOUS_HMAC_KEY}, or null when it is not set
     * @param configuredRules the rule set this process was configured with ({@code RISK_RULES_FILE} or the defaults),
     *     in force unless a newer version is stored
     */
    public CardHmacRotation(
            Pool pool,
            CardTokenizer tokenizer,
            byte[] currentCheck,
            byte[] previousCheck,
            RiskRuleStore rules,
            AdminAudit audit,
            RuleSetStore.Stored configuredRules) {
        this.pool = pool;
        this.tokenizer = tokenizer;
        this.currentCheck = currentCheck.clone();
        this.previousCheck = previousCheck == null ? null : previousCheck.clone();
        this.rules = rules;
        this.audit = audit;
        this.configuredRules = configuredRules;
    }

    /**
     * Whether the stored check value of {@code CARD_HMAC_KEY} is the previous key's, so a rotation is to start (and
     * the start-up check of {@code CARD_HMAC_KEY} must let it): fails, naming {@code CARD_PREVIOUS_HMAC_KEY}, when
     * that setting is given and neither it nor {@code CARD_HMAC_KEY} is the stored key. Without the previous key the
     * answer is false, and a different key is refused by {@link KeyChecks} as always.
     */
    public static Future<Boolean> rotationPending(Pool pool, byte[] currentCheck, byte[] previousCheck) {
        if (previousCheck == null) return Future.succeededFuture(false);
        return pool.query("SELECT check_value FROM key_checks WHERE name = 'CARD_HMAC_KEY'")
                .execute()
                .compose(rows -> {
                    if (rows.size() == 0) return Future.succeededFuture(false); // a new database: nothing to rotate
                    byte[] stored = rows.iterator().next().getBuffer(0).getBytes();
                    if (MessageDigest.isEqual(stored, currentCheck)) return Future.succeededFuture(false);
                    if (MessageDigest.isEqual(stored, previousCheck)) return Future.succeededFuture(true);
                    return Future.failedFuture(new IllegalStateException(
                            "CARD_PREVIOUS_HMAC_KEY is not the key this database's cards were derived with (its check"
                                    + " value differs from the one recorded), and neither is CARD_HMAC_KEY: give the"
                                    + " key the cards were derived with as CARD_PREVIOUS_HMAC_KEY"));
                });
    }

    /** Runs (or resumes, or finds complete) the rotation to the current key, every page. */
    public Future<Outcome> run() {
        return run(DEFAULT_PAGE_SIZE, Integer.MAX_VALUE);
    }

    /**
     * As {@link #run()}, {@code pageSize} cards per transaction, at most {@code maxPages} pages: a run stopped by it is
     * not finished, and the next one resumes.
     */
    public Future<Outcome> run(int pageSize, int maxPages) {
        if (pageSize < 1 || maxPages < 1) throw new IllegalArgumentException("pageSize and maxPages must be positive");
        long started = System.nanoTime();
        Future<Void> settled = previousCheck == null ? Future.succeededFuture() : oldKeyConnectionsGone(0);
        return settled.compose(s -> pool.withTransaction(this::begin)).compose(begun -> {
            if (begun.state == State.NONE || begun.state == State.COMPLETE) {
                return Future.succeededFuture(
                        new Outcome(begun.state, begun.epoch, 0, begun.rewritten, 0, 0, elapsed(started), true));
            }
            Run run = new Run(begun, pageSize, maxPages);
            return run.pages("")
                    .map(finished -> new Outcome(
                            begun.state,
                            begun.epoch,
                            run.rewritten,
                            begun.rewritten + run.rewritten,
                            begun.translated,
                            begun.untranslated,
                            elapsed(started),
                            finished));
        });
    }

    private static long elapsed(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    /**
     * Waits up to about 5 s for connections on the previous key to go: the backends of a process just stopped (the
     * previous start of this one, in a rolling restart) leave {@code pg_stat_activity} shortly after it exits. Those
     * that stay are refused in step 1, under its lock.
     */
    private Future<Void> oldKeyConnectionsGone(int attempt) {
        return pool.preparedQuery(OLD_KEY_CONNECTIONS)
                .execute(Tuple.of(oldKeyPattern(previousCheck)))
                .compose(rows -> rows.iterator().next().getLong(1) == 0 || attempt >= 10
                        ? Future.succeededFuture()
                        : pool.query("SELECT pg_sleep(0.5)")
                                .execute()
                                .compose(x -> oldKeyConnectionsGone(attempt + 1)));
    }

    static final String OLD_KEY_CONNECTIONS =
            "SELECT count(DISTINCT substring(application_name FROM 'proc:([0-9a-z]+)')), count(*)"
                    + " FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    + " AND application_name LIKE $1";

    private static String oldKeyPattern(byte[] oldCheck) {
        return "% " + Connections.hmacTag(oldCheck) + " %";
    }

    /** Step 1, or what an earlier start left: what this run is to do. */
    private record Begun(
            State state, int epoch, byte[] previousCheck, long rewritten, int translated, int untranslated) {}

    private Future<Begun> begin(SqlConnection conn) {
        return conn.query(TIMEOUT)
                .execute()
                .compose(v -> conn.query("SELECT check_value FROM key_checks WHERE name = 'CARD_HMAC_KEY' FOR UPDATE")
                        .execute())
                .compose(rows -> {
                    if (rows.size() == 0) return Future.succeededFuture(new Begun(State.NONE, 1, null, 0, 0, 0));
                    byte[] stored = rows.iterator().next().getBuffer(0).getBytes();
                    if (MessageDigest.isEqual(stored, currentCheck)) return recorded(conn);
                    if (previousCheck != null && MessageDigest.isEqual(stored, previousCheck)) return start(conn);
                    return Future.failedFuture(new IllegalStateException(
                            "CARD_HMAC_KEY is not the key this database's cards were derived with, and"
                                    + " CARD_PREVIOUS_HMAC_KEY " + (previousCheck == null ? "is not set" : "is not it")
                                    + ": give the key they were derived with as CARD_PREVIOUS_HMAC_KEY to rotate"));
                });
    }

    /** The stored key is the current one: an unfinished rotation to it is resumed, a finished one reported. */
    private Future<Begun> recorded(SqlConnection conn) {
        return conn.preparedQuery("SELECT epoch, previous_check, finished_at IS NOT NULL, cards_rewritten,"
                        + " blocklist_translated, blocklist_untranslated FROM card_hmac_rotations"
                        + " WHERE check_value = $1 ORDER BY epoch DESC LIMIT 1")
                .execute(Tuple.of(Buffer.buffer(currentCheck)))
                .map(rows -> {
                    if (rows.size() == 0) return new Begun(State.NONE, 1, null, 0, 0, 0);
                    Row r = rows.iterator().next();
                    return new Begun(
                            r.getBoolean(2) ? State.COMPLETE : State.RESUMED,
                            r.getInteger(0),
                            r.getBuffer(1).getBytes(),
                            r.getLong(3),
                            r.getInteger(4),
                            r.getInteger(5));
                });
    }

    private Future<Begun> start(SqlConnection conn) {
        return refuseWhileOldKeyProcessesRun(conn, previousCheck)
                .compose(v -> conn.query("SELECT coalesce(max(epoch), 1) + 1 FROM card_hmac_rotations")
                        .execute())
                .compose(rows -> {
                    int epoch = rows.iterator().next().getInteger(0);
                    return conn.preparedQuery("INSERT INTO card_hmac_rotations (epoch, previous_check, check_value)"
                                    + " VALUES ($1, $2, $3)")
                            .execute(Tuple.of(epoch, Buffer.buffer(previousCheck), Buffer.buffer(currentCheck)))
                            .compose(x -> conn.preparedQuery(
                                            "UPDATE key_checks SET check_value = $1 WHERE name = 'CARD_HMAC_KEY'")
                                    .execute(Tuple.of(Buffer.buffer(currentCheck))))
                            // DDL takes no parameters; epoch is an int read from the database
                            .compose(x -> conn.query("ALTER TABLE cards ALTER COLUMN hmac_epoch SET DEFAULT " + epoch)
                                    .execute())
                            .compose(x -> translateBlocklists(conn, epoch))
                            .compose(t -> conn.preparedQuery("UPDATE card_hmac_rotations SET blocklist_translated = $2,"
                                            + " blocklist_untranslated = $3 WHERE epoch = $1")
                                    .execute(Tuple.of(epoch, t[0], t[1]))
                                    .map(x -> new Begun(State.STARTED, epoch, previousCheck, 0, t[0], t[1])));
                });
    }

    /**
     * Fails, saying how many, while {@code pg_stat_activity} shows connections to this database of processes on the
     * key with check value {@code oldCheck} ({@link Connections#hmacTag} in their {@code application_name}): their new
     * cards would carry old-key fingerprints and tokens into a rotated table.
     */
    private static Future<Void> refuseWhileOldKeyProcessesRun(SqlConnection conn, byte[] oldCheck) {
        return conn.preparedQuery(OLD_KEY_CONNECTIONS)
                .execute(Tuple.of(oldKeyPattern(oldCheck)))
                .compose(rows -> {
                    Row r = rows.iterator().next();
                    long connections = r.getLong(1);
                    if (connections == 0) return Future.succeededFuture();
                    long processes = Math.max(1, r.getLong(0));
                    return Future.failedFuture(new IllegalStateException(processes + " processor process"
                            + (processes == 1 ? " is" : "es are") + " still running on the previous CARD_HMAC_KEY ("
                            + connections + " database connections whose application_name carries "
                            + Connections.hmacTag(oldCheck) + " in pg_stat_activity): stop "
                            + (processes == 1 ? "it" : "them") + " before rotating the key, then start again"));
                });
    }

    /**
     * Translates the blocklisted card fingerprints of the rule set in force to the new key: for each, a stored card
     * with that fingerprint is re-derived; one no stored card has is kept (it can match no card any more) and
     * counted. Stores the result as the next rule-set version, audited, when anything was translated; completes with
     * {translated, untranslated}.
     */
    private Future<int[]> translateBlocklists(SqlConnection conn, int epoch) {
        return conn.query("SELECT version, document FROM risk_rule_sets ORDER BY version DESC LIMIT 1")
                .execute()
                .compose(rows -> {
                    RuleSetStore.Stored stored = rows.size() == 0
                            ? null
                            : new RuleSetStore.Stored(
                                    rows.iterator().next().getInteger(0),
                                    rows.iterator().next().getString(1));
                    // The stored version is in force only when newer than the configured one (Processor adopts it so).
                    RuleSetStore.Stored inForce =
                            stored != null && (configuredRules == null || stored.version() > configuredRules.version())
                                    ? stored
                                    : configuredRules;
                    if (inForce == null) return Future.succeededFuture(new int[2]);
                    JsonObject doc = new JsonObject(inForce.document());
                    JsonObject blocklist = doc.getJsonObject("blocklist");
                    JsonArray listed = blocklist == null ? null : blocklist.getJsonArray("cardFingerprints");
                    if (listed == null || listed.isEmpty()) return Future.succeededFuture(new int[2]);
                    List<String> old = new ArrayList<>();
                    for (Object o : listed) old.add((String) o);
                    int next = Math.max(stored == null ? 0 : stored.version(), inForce.version()) + 1;
                    return conn.preparedQuery(
                                    "SELECT DISTINCT ON (fingerprint) fingerprint, merchant_id,"
                                            + " pan_ciphertext, key_id FROM cards WHERE fingerprint = ANY($1) AND hmac_epoch < $2")
                            .execute(Tuple.of(old.toArray(new String[0]), epoch))
                            .compose(cards ->
                                    storeTranslated(conn, doc, blocklist, old, cards, inForce.version(), next));
                });
    }

    private Future<int[]> storeTranslated(
            SqlConnection conn,
            JsonObject doc,
            JsonObject blocklist,
            List<String> old,
            RowSet<Row> cards,
            int fromVersion,
            int version) {
        Map<String, String> translated = new HashMap<>();
        for (Row c : cards) {
            translated.put(
                    c.getString(0),
                    tokenizer
                            .reDerive(c.getBuffer(2).getBytes(), c.getString(3), c.getString(1))
                            .fingerprint());
        }
        JsonArray now = new JsonArray();
        int kept = 0;
        for (String fp : old) {
            String t = translated.get(fp);
            if (t == null) kept++;
            now.add(t == null ? fp : t);
        }
        int untranslated = kept;
        if (untranslated > 0) {
            LOG.warning(untranslated + " blocklisted card fingerprint(s) of rule set version " + fromVersion
                    + " match no stored card, so they cannot be translated to the new CARD_HMAC_KEY: kept as they are,"
                    + " they match no card any more");
        }
        if (translated.isEmpty()) return Future.succeededFuture(new int[] {0, untranslated});
        blocklist.put("cardFingerprints", now);
        doc.put("version", version);
        String detail = "version " + fromVersion + " -> " + version + ": " + translated.size()
                + " blocklisted card fingerprint(s) translated to the new CARD_HMAC_KEY"
                + (untranslated > 0 ? ", " + untranslated + " kept untranslated (no stored card)" : "");
        return rules.put(conn, version, doc.encode(), ACTOR, detail)
                .compose(put -> put
                        ? Future.succeededFuture(new int[] {translated.size(), untranslated})
                        : Future.failedFuture(new IllegalStateException(
                                "rule set version " + version + " was stored meanwhile; start again to rotate")));
    }

    /** One run's pages and last step, touched by one chain of futures at a time. */
    private final class Run {
        final Begun begun;
        final int pageSize;
        int pagesLeft;
        long rewritten;

        Run(Begun begun, int pageSize, int maxPages) {
            this.begun = begun;
            this.pageSize = pageSize;
            this.pagesLeft = maxPages;
        }

        /** Rewrites the cards after {@code after}, then finishes; false when {@code maxPages} stopped it first. */
        Future<Boolean> pages(String after) {
            if (pagesLeft == 0) return Future.succeededFuture(false);
            pagesLeft--;
            return pool.withTransaction(conn -> page(conn, after)).compose(page -> {
                rewritten += page.rewritten;
                if (page.read == pageSize) return pages(page.lastToken);
                return pool.withTransaction(this::finish)
                        .compose(left -> left ? pages("") : Future.succeededFuture(true));
            });
        }

        private Future<Page> page(SqlConnection conn, String after) {
            return conn.query(TIMEOUT)
                    .execute()
                    .compose(v -> refuseWhileOldKeyProcessesRun(conn, begun.previousCheck))
                    .compose(v -> conn.preparedQuery(PAGE).execute(Tuple.of(after, begun.epoch, pageSize)))
                    .compose(rows -> {
                        if (rows.size() == 0) return Future.succeededFuture(new Page(0, 0, after));
                        String[] tokens = new String[rows.size()];
                        String[] fingerprints = new String[rows.size()];
                        String[] aliases = new String[rows.size()];
                        int i = 0;
                        for (Row r : rows) {
                            tokens[i] = r.getString(0);
                            CardTokenizer.Derived d =
                                    tokenizer.reDerive(r.getBuffer(2).getBytes(), r.getString(3), r.getString(1));
                            fingerprints[i] = d.fingerprint();
                            // A token the new key derives alike needs no alias (a rotation back to an earlier key).
                            aliases[i] = d.token().equals(tokens[i]) ? null : d.token();
                            i++;
                        }
                        return conn.preparedQuery(UPDATE)
                                .execute(Tuple.of(begun.epoch, tokens, fingerprints, aliases))
                                .compose(updated -> conn.preparedQuery("UPDATE card_hmac_rotations"
                                                + " SET cards_rewritten = cards_rewritten + $2 WHERE epoch = $1")
                                        .execute(Tuple.of(begun.epoch, updated.rowCount()))
                                        .map(x -> new Page(
                                                tokens.length, updated.rowCount(), tokens[tokens.length - 1])));
                    });
        }

        /**
         * Waits for the pages other processes hold, then marks the rotation finished unless a card is still left
         * (completes with true then: page again).
         */
        private Future<Boolean> finish(SqlConnection conn) {
            return conn.query(TIMEOUT)
                    .execute()
                    .compose(v -> refuseWhileOldKeyProcessesRun(conn, begun.previousCheck))
                    // No SKIP LOCKED: a card of another process's page is waited for, then seen at its new generation.
                    .compose(v -> conn.preparedQuery("SELECT token FROM cards WHERE hmac_epoch < $1 LIMIT 1 FOR UPDATE")
                            .execute(Tuple.of(begun.epoch)))
                    .compose(left -> {
                        if (left.size() > 0) return Future.succeededFuture(true);
                        return repair(conn)
                                .compose(repaired -> conn.preparedQuery(
                                                "UPDATE card_hmac_rotations SET finished_at = now()"
                                                        + " WHERE epoch = $1 AND finished_at IS NULL RETURNING cards_rewritten,"
                                                        + " blocklist_translated, blocklist_untranslated")
                                        .execute(Tuple.of(begun.epoch))
                                        .compose(done -> {
                                            if (done.size() == 0)
                                                return Future.succeededFuture(false); // another finished it
                                            Row r = done.iterator().next();
                                            String detail = new JsonObject()
                                                    .put("epoch", begun.epoch)
                                                    .put("cardsRewritten", r.getLong(0))
                                                    .put("blocklistTranslated", r.getInteger(1))
                                                    .put("blocklistUntranslated", r.getInteger(2))
                                                    .encode();
                                            return audit.append(conn, ACTOR, "cards.hmac_rotated", detail)
                                                    .map(false);
                                        }));
                    });
        }

        /**
         * The cards a process still on the previous key wrote after step 1 (it started just before step 1 committed,
         * and connected after the check in it: the page checks then stop the rotation, but not before it may have
         * written cards): they carry generation n (the default) with fingerprints and tokens under the old key, and no
         * page would ever rewrite them. Only cards made since the rotation started can be such (no process serves on
         * the new key before it is finished), usually none; each is re-derived, and rewritten when its fingerprint is
         * not the new key's. Completes with how many were.
         */
        private Future<Integer> repair(SqlConnection conn) {
            return conn.preparedQuery(REPAIR_CANDIDATES)
                    .execute(Tuple.of(begun.epoch))
                    .compose(rows -> {
                        List<String> tokens = new ArrayList<>();
                        List<String> fingerprints = new ArrayList<>();
                        List<String> aliases = new ArrayList<>();
                        for (Row r : rows) {
                            CardTokenizer.Derived d =
                                    tokenizer.reDerive(r.getBuffer(2).getBytes(), r.getString(3), r.getString(1));
                            if (d.fingerprint().equals(r.getString(4))) continue; // made under the new key
                            tokens.add(r.getString(0));
                            fingerprints.add(d.fingerprint());
                            aliases.add(d.token().equals(r.getString(0)) ? null : d.token());
                        }
                        if (tokens.isEmpty()) return Future.succeededFuture(0);
                        LOG.warning(
                                tokens.size() + " card(s) written by a process on the previous CARD_HMAC_KEY during the"
                                        + " rotation are rewritten under the new key");
                        return conn.preparedQuery("UPDATE cards c SET fingerprint = u.fingerprint, alias = u.alias"
                                        + " FROM unnest($1::text[], $2::text[], $3::text[]) AS u(token, fingerprint, alias)"
                                        + " WHERE c.token = u.token")
                                .execute(Tuple.of(
                                        tokens.toArray(new String[0]),
                                        fingerprints.toArray(new String[0]),
                                        aliases.toArray(new String[0])))
                                .compose(u -> conn.preparedQuery("UPDATE card_hmac_rotations"
                                                + " SET cards_rewritten = cards_rewritten + $2 WHERE epoch = $1")
                                        .execute(Tuple.of(begun.epoch, u.rowCount()))
                                        .map(x -> u.rowCount()));
                    });
        }
    }

    /**
     * Cards of generation n without an alias made since the rotation started (with a margin for the writers' clocks,
     * which stamp {@code created_at}).
     */
    static final String REPAIR_CANDIDATES = "SELECT c.token, c.merchant_id, c.pan_ciphertext, c.key_id, c.fingerprint"
            + " FROM cards c JOIN card_hmac_rotations r ON r.epoch = $1"
            + " WHERE c.hmac_epoch = $1 AND c.alias IS NULL AND c.created_at >= r.started_at - interval '10 minutes'"
            + " FOR UPDATE OF c";

    private record Page(int read, int rewritten, String lastToken) {}

    /** The generation in use and its latest rotation, for {@code GET /admin/cards/keys}. */
    static Future<CardKeyRotation.HmacKeyUse> status(Pool pool) {
        return pool.query("SELECT epoch, started_at, finished_at, cards_rewritten FROM card_hmac_rotations"
                        + " ORDER BY epoch DESC LIMIT 1")
                .execute()
                .map(rows -> {
                    if (rows.size() == 0) return new CardKeyRotation.HmacKeyUse(1, null, null, 0);
                    Row r = rows.iterator().next();
                    return new CardKeyRotation.HmacKeyUse(
                            r.getInteger(0),
                            r.getOffsetDateTime(1).toInstant().toString(),
                            r.getOffsetDateTime(2) == null
                                    ? null
                                    : r.getOffsetDateTime(2).toInstant().toString(),
                            r.getLong(3));
                });
    }
}
