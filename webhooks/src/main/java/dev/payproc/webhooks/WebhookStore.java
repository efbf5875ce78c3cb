package dev.payproc.webhooks;

import dev.payproc.core.port.Webhooks;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The endpoints and their delivery state in PostgreSQL (V19): what the admin API reads and changes. The feed is the
 * outbox: an endpoint's cursor ({@code delivered_seq}) names the last of its merchant's events accepted, parked or
 * skipped, so nothing is written on the authorization path. The dispatcher's statements are {@link DeliveryLedger}'s.
 */
public final class WebhookStore implements Webhooks {
    static final String ENDPOINT_COLUMNS = """
            e.id, e.merchant_id, e.url, e.event_types, e.created_at, e.disabled_at, e.delivered_seq, e.attempts,
            e.next_attempt_at, COALESCE((SELECT head FROM merchant_feed_heads h WHERE h.merchant_id = e.merchant_id), 0) AS head,
            (SELECT count(*) FROM webhook_parked p WHERE p.endpoint_id = e.id AND p.resent_at IS NULL) AS parked""";

    // Starts at the merchant's head: a new endpoint gets the events committed from then on (replay reaches back).
    private static final String REGISTER = """
            INSERT INTO webhook_endpoints (id, merchant_id, url, event_types, secret_ciphertext, secret_key_id, delivered_seq)
            SELECT $1, m.id, $3, $4, $5, $6, COALESCE((SELECT head FROM merchant_feed_heads WHERE merchant_id = m.id), 0)
            FROM merchants m WHERE m.id = $2
            RETURNING id""";
    private static final String GET = "SELECT " + ENDPOINT_COLUMNS + " FROM webhook_endpoints e WHERE e.id = $1";
    private static final String LIST = "SELECT " + ENDPOINT_COLUMNS
            + " FROM webhook_endpoints e WHERE $1::text IS NULL OR e.merchant_id = $1 ORDER BY e.created_at, e.id"
            + " LIMIT 1000";
    private static final String DISABLE =
            "UPDATE webhook_endpoints SET disabled_at = COALESCE(disabled_at, now()) WHERE id = $1 RETURNING id";
    private static final String ATTEMPTS = """
            SELECT feed_seq, attempt, resend, started_at, duration_ms, http_status, outcome, error
            FROM webhook_attempts WHERE endpoint_id = $1 ORDER BY id DESC LIMIT $2""";
    private static final String RESEND = """
            UPDATE webhook_parked SET resend_requested_at = now()
            WHERE endpoint_id = $1 AND feed_seq = $2 AND resent_at IS NULL RETURNING feed_seq""";
    // Never beyond the head; the lease stays: a delivery in flight finds the cursor moved and its result is dropped.
    private static final String REPLAY = """
            UPDATE webhook_endpoints e SET delivered_seq = $2, attempts = 0, next_attempt_at = now()
            WHERE e.id = $1 AND $2 <= COALESCE((SELECT head FROM merchant_feed_heads h WHERE h.merchant_id = e.merchant_id), 0)
            RETURNING id""";

    private static final String UNKNOWN_KEY_IDS = """
            SELECT secret_key_id, count(*) FROM webhook_endpoints
            WHERE disabled_at IS NULL AND NOT (secret_key_id = ANY($1::text[]))
            GROUP BY secret_key_id ORDER BY secret_key_id""";

    private final Pool pool;
    private final WebhookSecrets secrets;
    private final SecureRandom random = new SecureRandom();

    public WebhookStore(Pool pool, WebhookSecrets secrets) {
        this.pool = pool;
        this.secrets = secrets;
    }

    @Override
    public Future<Registration> register(String merchantId, String url, List<String> eventTypes) {
        String urlRefusal = WebhookUrls.refusal(url);
        if (urlRefusal != null) return Future.succeededFuture(new Refused("url", urlRefusal));
        List<String> types = EventTypes.parse(eventTypes);
        if (types == null) return Future.succeededFuture(new Refused("eventTypes", EventTypes.refusal()));
        String id = newId();
        String secret = secrets.generate();
        WebhookSecrets.Sealed sealed = secrets.seal(id, secret);
        return pool.preparedQuery(REGISTER)
                .execute(Tuple.tuple()
                        .addString(id)
                        .addString(merchantId)
                        .addString(url)
                        .addArrayOfString(types.toArray(String[]::new))
                        .addBuffer(io.vertx.core.buffer.Buffer.buffer(sealed.ciphertext()))
                        .addString(sealed.keyId()))
                .compose(rows -> rows.size() == 0
                        ? Future.succeededFuture(new UnknownMerchant())
                        : get(id).map(e -> (Registration) new Registered(e, secret)));
    }

    private String newId() {
        byte[] b = new byte[18];
        synchronized (random) {
            random.nextBytes(b);
        }
        return "whk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    @Override
    public Future<List<Endpoint>> list(String merchantId) {
        return pool.preparedQuery(LIST).execute(Tuple.of(merchantId)).map(rows -> {
            List<Endpoint> out = new ArrayList<>();
            for (Row r : rows) out.add(endpoint(r));
            return out;
        });
    }

    @Override
    public Future<Endpoint> get(String id) {
        return pool.preparedQuery(GET)
                .execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? null : endpoint(rows.iterator().next()));
    }

    @Override
    public Future<Endpoint> disable(String id) {
        return pool.preparedQuery(DISABLE)
                .execute(Tuple.of(id))
                .compose(rows -> rows.size() == 0 ? Future.succeededFuture() : get(id));
    }

    @Override
    public Future<List<Attempt>> attempts(String id, int limit) {
        return pool.preparedQuery(ATTEMPTS).execute(Tuple.of(id, limit)).map(rows -> {
            List<Attempt> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(new Attempt(
                        r.getLong("feed_seq"),
                        r.getInteger("attempt"),
                        r.getBoolean("resend"),
                        instant(r.getOffsetDateTime("started_at")),
                        r.getLong("duration_ms"),
                        r.getInteger("http_status"),
                        r.getString("outcome"),
                        r.getString("error")));
            }
            return out;
        });
    }

    @Override
    public Future<Boolean> resend(String id, long feedSeq) {
        return pool.preparedQuery(RESEND).execute(Tuple.of(id, feedSeq)).map(rows -> rows.size() > 0);
    }

    @Override
    public Future<Endpoint> replay(String id, long after) {
        return pool.preparedQuery(REPLAY)
                .execute(Tuple.of(id, after))
                .compose(rows -> rows.size() == 0 ? Future.succeededFuture() : get(id));
    }

    /**
     * Fails, naming each id and how many enabled endpoints use it, when secrets are under a card key id that is not
     * {@code known} (the current and the retired ones): those endpoints' deliveries could never be signed.
     */
    public static Future<Void> verifyKeyIds(Pool pool, java.util.Set<String> known) {
        return pool.preparedQuery(UNKNOWN_KEY_IDS)
                .execute(Tuple.of(known.toArray(String[]::new)))
                .compose(rows -> {
                    if (rows.size() == 0) return Future.succeededFuture();
                    java.util.StringJoiner named = new java.util.StringJoiner(", ");
                    rows.forEach(r -> named.add(r.getString(0) + " (" + r.getLong(1) + " webhook endpoints)"));
                    return Future.failedFuture(new IllegalStateException("webhook secrets use card key id(s) " + named
                            + " that are neither CARD_KEY_ID nor in CARD_RETIRED_KEYS: their deliveries could not be"
                            + " signed; keep each such key in CARD_RETIRED_KEYS, or register those endpoints again"
                            + " and disable the old ones"));
                });
    }

    static Endpoint endpoint(Row r) {
        return new Endpoint(
                r.getString("id"),
                r.getString("merchant_id"),
                r.getString("url"),
                Arrays.asList(r.getArrayOfStrings("event_types")),
                instant(r.getOffsetDateTime("created_at")),
                instant(r.getOffsetDateTime("disabled_at")),
                r.getLong("delivered_seq"),
                r.getLong("head"),
                r.getInteger("attempts"),
                instant(r.getOffsetDateTime("next_attempt_at")),
                r.getLong("parked"));
    }

    static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
