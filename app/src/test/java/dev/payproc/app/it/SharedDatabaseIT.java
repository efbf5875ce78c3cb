package dev.payproc.app.it;

import static dev.payproc.testkit.Asserts.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.payproc.testkit.Await;
import dev.payproc.testkit.Bodies;
import dev.payproc.testkit.H2Client;
import dev.payproc.testkit.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Idempotency that outlives the process: after a restart (in-memory state gone) a replay is answered
 * from the database, and two processors sharing one database never commit a key twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SharedDatabaseIT {
    private TestDatabase db;

    @BeforeAll
    void start() {
        db = new TestDatabase();
    }

    @AfterAll
    void stop() {
        if (db != null) db.close();
    }

    @Test
    void aReplayAfterRestartReturnsTheStoredAnswer() {
        String key = "restart-" + System.nanoTime();
        String body = Bodies.valid(Bodies.freshPan()).encode();
        H2Client.Response first;
        try (TestProcessor before = new TestProcessor(db.settings())) {
            first = before.authorize(key, body);
            assertEquals(201, first.status(), first.body());
        }
        try (TestProcessor after = new TestProcessor(db.settings())) {
            H2Client.Response replay = after.authorize(key, body);
            assertEquals(200, replay.status(), replay.body());
            assertEquals("true", replay.header("Idempotent-Replayed"));
            assertEquals(first.body(), replay.body());
            assertError(
                    after.authorize(key, Bodies.valid(Bodies.freshPan()).encode()), 409, "idempotency_conflict", null);
        }
        assertEquals(1, db.count("SELECT count(*) FROM idempotency_keys WHERE idempotency_key = $1", key));
    }

    @Test
    void aCardAtItsLimitBeforeARestartIsStillAtItAfter() {
        String pan = Bodies.freshPan();
        try (TestProcessor before = new TestProcessor(db.settings())) {
            for (int i = 0; i < 5; i++) {
                assertEquals(
                        "APPROVED",
                        before.authorize(
                                        "w-" + i + "-" + System.nanoTime(),
                                        Bodies.valid(pan).encode())
                                .json()
                                .getString("status"));
            }
        }
        try (TestProcessor after = new TestProcessor(db.settings())) {
            H2Client.Response sixth = after.authorize(
                    "w-6-" + System.nanoTime(), Bodies.valid(pan).encode());
            assertEquals("DECLINED", sixth.json().getString("status"), sixth.body());
            assertEquals(
                    "6 attempts in 60s (limit 5)",
                    AuthorizationApiIT.reason(sixth.json(), "VELOCITY_CARD").getString("message"));
            assertEquals(
                    "APPROVED",
                    after.authorize(
                                    "w-7-" + System.nanoTime(),
                                    Bodies.valid(Bodies.freshPan()).encode())
                            .json()
                            .getString("status"),
                    "other cards are not affected");
        }
    }

    @Test
    void twoProcessorsOnOneDatabaseCommitEachKeyOnce() {
        try (TestProcessor a = new TestProcessor(db.settings());
                TestProcessor b = new TestProcessor(db.settings())) {
            List<Future<H2Client.Response>> responses = new ArrayList<>();
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String key = "shared-" + i + "-" + System.nanoTime();
                String body = Bodies.valid(Bodies.freshPan()).encode();
                keys.add(key);
                for (TestProcessor p : List.of(a, b)) {
                    responses.add(p.client()
                            .sendAsync(
                                    HttpMethod.POST,
                                    "/v1/authorizations",
                                    TestProcessor.headers(TestProcessor.API_KEY, key),
                                    body));
                }
            }
            Map<Integer, Integer> byStatus = new HashMap<>();
            for (int i = 0; i < responses.size(); i += 2) {
                H2Client.Response x = Await.result(responses.get(i));
                H2Client.Response y = Await.result(responses.get(i + 1));
                byStatus.merge(x.status(), 1, Integer::sum);
                byStatus.merge(y.status(), 1, Integer::sum);
                assertEquals(x.body(), y.body(), "both processes give the one committed answer");
            }
            assertEquals(Map.of(201, 20, 200, 20), byStatus);
            for (String key : keys) {
                assertEquals(
                        1,
                        db.count(
                                "SELECT count(*) FROM idempotency_keys k JOIN payments p ON p.id = k.payment_id "
                                        + "WHERE k.idempotency_key = $1",
                                key));
            }
        }
    }
}
