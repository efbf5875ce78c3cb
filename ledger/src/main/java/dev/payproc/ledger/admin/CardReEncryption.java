package dev.payproc.ledger.admin;

import dev.payproc.core.card.CardKeys;
import dev.payproc.core.card.CardTokenizer;
import dev.payproc.core.port.CardKeyRotation;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Re-encrypts the PANs stored under retired key ids under the current key, one page of cards per transaction,
 * walking each retired id's cards in (created_at, token) order ({@code cards_key_id_created}). A page's cards are locked
 * {@code FOR UPDATE SKIP LOCKED}: several processes re-encrypting at once share the work instead of waiting on
 * each other, and an authorization never waits on more than one page (it only inserts cards, and only waits when it
 * presents a card of the page being re-encrypted). Cards under an id this process has no key for are left alone and
 * reported as remaining.
 */
public final class CardReEncryption implements CardKeyRotation {
    static final String PAGE = "SELECT token, pan_ciphertext, created_at FROM cards"
            + " WHERE key_id = $1 AND (created_at, token) > ($2, $3)"
            + " ORDER BY key_id, created_at, token LIMIT $4 FOR UPDATE SKIP LOCKED";
    /** Where a retired id's walk starts: before every card (none is older than the epoch). */
    static final Position START = new Position(OffsetDateTime.parse("1970-01-01T00:00:00Z"), "");

    static final String UPDATE = "UPDATE cards c SET pan_ciphertext = u.ciphertext, key_id = $1"
            + " FROM unnest($2::text[], $3::bytea[]) AS u(token, ciphertext) WHERE c.token = u.token AND c.key_id = $4";
    static final String COUNTS = "SELECT key_id, count(*) FROM cards GROUP BY key_id";

    private final Pool pool;
    private final CardTokenizer tokenizer;
    private final String currentKeyId;
    private final Set<String> retiredKeyIds;

    public CardReEncryption(Pool pool, CardKeys keys) {
        this.pool = pool;
        this.tokenizer = new CardTokenizer(keys);
        this.currentKeyId = keys.encryptionKeyId();
        this.retiredKeyIds = new TreeSet<>(keys.retiredKeys().keySet());
    }

    @Override
    public Future<KeyUse> keyUse() {
        return counts().compose(counts -> CardHmacRotation.status(pool).map(hmac -> {
            Map<String, Long> all = new TreeMap<>(counts);
            all.putIfAbsent(currentKeyId, 0L);
            for (String id : retiredKeyIds) all.putIfAbsent(id, 0L);
            return new KeyUse(currentKeyId, Set.copyOf(retiredKeyIds), all, hmac);
        }));
    }

    @Override
    public Future<Progress> reEncrypt(int pageSize, int maxPages) {
        if (pageSize < 1 || maxPages < 1) throw new IllegalArgumentException("pageSize and maxPages must be positive");
        Run run = new Run(pageSize, maxPages);
        return run.next(new ArrayList<>(retiredKeyIds), 0, START)
                .recover(e -> Future.failedFuture(new Interrupted(run.done, e)))
                .compose(v -> counts().map(counts -> {
                    Map<String, Long> remaining = new TreeMap<>(counts);
                    remaining.remove(currentKeyId);
                    for (String id : retiredKeyIds) remaining.putIfAbsent(id, 0L); // 0: that key can be dropped
                    return new Progress(run.done, remaining, run.stoppedEarly);
                }));
    }

    private Future<Map<String, Long>> counts() {
        return pool.query(COUNTS).execute().map(rows -> {
            Map<String, Long> counts = new TreeMap<>();
            for (Row r : rows) counts.put(r.getString(0), r.getLong(1));
            return counts;
        });
    }

    /** One re-encryption's progress, touched by one chain of futures at a time. */
    private final class Run {
        final int pageSize;
        int pagesLeft;
        long done;
        boolean stoppedEarly;

        Run(int pageSize, int maxPages) {
            this.pageSize = pageSize;
            this.pagesLeft = maxPages;
        }

        /** Re-encrypts the cards of {@code ids[index]} after {@code after}, then of the ids after it. */
        Future<Void> next(List<String> ids, int index, Position after) {
            if (index == ids.size()) return Future.succeededFuture();
            if (pagesLeft == 0) {
                stoppedEarly = true;
                return Future.succeededFuture();
            }
            pagesLeft--;
            String id = ids.get(index);
            return page(id, after).compose(page -> {
                done += page.reEncrypted;
                if (page.read < pageSize) return next(ids, index + 1, START); // this id's cards are done
                return next(ids, index, page.last);
            });
        }

        private Future<Page> page(String id, Position after) {
            return pool.withTransaction(conn -> conn.preparedQuery(PAGE)
                    .execute(Tuple.of(id, after.createdAt(), after.token(), pageSize))
                    .compose(rows -> {
                        if (rows.size() == 0) return Future.succeededFuture(new Page(0, 0, after));
                        String[] tokens = new String[rows.size()];
                        Buffer[] ciphertexts = new Buffer[rows.size()];
                        OffsetDateTime lastCreated = after.createdAt();
                        int i = 0;
                        for (Row r : rows) {
                            tokens[i] = r.getString(0);
                            ciphertexts[i] = Buffer.buffer(
                                    tokenizer.reEncrypt(r.getBuffer(1).getBytes(), id));
                            lastCreated = r.getOffsetDateTime(2);
                            i++;
                        }
                        Position last = new Position(lastCreated, tokens[tokens.length - 1]);
                        return conn.preparedQuery(UPDATE)
                                .execute(Tuple.of(currentKeyId, tokens, ciphertexts, id))
                                .map(updated -> new Page(tokens.length, updated.rowCount(), last));
                    }));
        }
    }

    /** A card's place in a retired id's walk. */
    record Position(OffsetDateTime createdAt, String token) {}

    private record Page(int read, int reEncrypted, Position last) {}
}
