package dev.payproc.ledger.commit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.payproc.ledger.schema.Migrations;
import dev.payproc.testkit.Await;
import dev.payproc.testkit.TestDatabase;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The writer's row digests are the digests the SQL functions compute from the stored rows (which verification uses),
 * for the values that make quoting hard: quotes, backslashes (quote_literal's E'' form), both, non-ASCII text, the
 * empty string and NULL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RowDigestsSqlIT {
    private static final List<String> TEXTS = Arrays.asList(
            "pay_01HX",
            "",
            "o'brien",
            "back\\slash",
            "both '\\' and ''",
            "caf\u00e9 \u20ac \u4e2d",
            "pipe|pipe",
            "NULL",
            null);

    private final RowDigests digests = new RowDigests();
    private TestDatabase db;

    @BeforeAll
    void open() {
        db = new TestDatabase();
        Await.result(Migrations.apply(db.pool()));
    }

    @AfterAll
    void close() {
        db.close();
    }

    private byte[] sql(String query, Object... args) {
        return db.query(query, args).iterator().next().getBuffer(0).getBytes();
    }

    private static List<String> nonNull() {
        List<String> out = new ArrayList<>(TEXTS);
        out.remove(null);
        return out;
    }

    @Test
    void eventDigestsMatch() {
        for (String s : nonNull()) {
            assertArrayEquals(
                    sql(
                            "SELECT payment_event_digest($1, 2, $2, $3, 1234, timestamptz 'epoch' + 1765000000123 * interval '1 millisecond')",
                            s,
                            "CAPTURE",
                            s),
                    digests.event(s, 2, "CAPTURE", s, 1234, 1_765_000_000_123L),
                    s);
        }
    }

    @Test
    void postingDigestsMatch() {
        for (String s : nonNull()) {
            assertArrayEquals(
                    sql("SELECT seal_posting_digest($1, 1, 3, $2, $3, 'C', 99, 'EUR', 1765000000123)", s, s, s),
                    digests.posting(s, 1, 3, s, s, "C", 99, "EUR", 1_765_000_000_123L),
                    s);
        }
    }

    @Test
    void paymentDigestsMatchWithNullsAndQuotes() {
        for (String s : TEXTS) {
            assertArrayEquals(
                    sql(
                            "SELECT seal_payment_digest($1, $2, $3, 5000, 'EUR', $4, $5, $6, $7, $8, 'AUTO', -5)",
                            "pay_1",
                            s,
                            s,
                            s,
                            s,
                            s,
                            s,
                            s),
                    digests.payment("pay_1", s, s, 5000, "EUR", s, s, s, s, s, "AUTO", -5),
                    String.valueOf(s));
        }
    }

    @Test
    void idempotencyRecordDigestsMatchWithTheAnswerStoredAsTextOrAsItsDigest() {
        byte[] hash = new byte[32];
        for (int i = 0; i < hash.length; i++) hash[i] = (byte) (i * 37);
        for (String s : nonNull()) {
            String body = "{\"id\":\"" + s + "\"}";
            byte[] expected =
                    digests.idempotencyRecord(s, s, hash, "pay_1", 201, RowDigests.answer(body), 1_765_000_000_123L);
            // V12's function over the text (operations' records, and every record before V17)
            assertArrayEquals(
                    sql(
                            "SELECT seal_idempotency_digest($1, $2, $3, 'pay_1', 201, $4, 1765000000123)",
                            s,
                            s,
                            Buffer.buffer(hash),
                            body),
                    expected,
                    s);
            // V17's over the text or over the stored digest (authorizations' records): the same bytes
            assertArrayEquals(
                    sql(
                            "SELECT seal_idempotency_digest($1, $2, $3, 'pay_1', 201, $4, NULL, 1765000000123)",
                            s,
                            s,
                            Buffer.buffer(hash),
                            body),
                    expected,
                    s);
            assertArrayEquals(
                    sql(
                            "SELECT seal_idempotency_digest($1, $2, $3, 'pay_1', 201, NULL, $4, 1765000000123)",
                            s,
                            s,
                            Buffer.buffer(hash),
                            Buffer.buffer(RowDigests.answer(body))),
                    expected,
                    s);
        }
    }
}
