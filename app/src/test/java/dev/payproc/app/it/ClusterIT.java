package dev.payproc.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.core.port.ClusterStatus;
import dev.payproc.testkit.Bodies;
import dev.payproc.testkit.H2Client;
import dev.payproc.testkit.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 19: three processors in one JVM, each its own clustered Vert.x (Infinispan over JGroups TCP on loopback,
 * its own port), its own HTTP port, one database, decide as one: a card's attempts land on its owner whichever
 * process they reach, so its velocity is counted once across all three.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterIT {
    private TestDatabase db;
    private final List<TestProcessor> nodes = new ArrayList<>();

    @BeforeAll
    void start() throws InterruptedException {
        db = new TestDatabase();
        int[] ports = {TestProcessor.freePort(), TestProcessor.freePort(), TestProcessor.freePort()};
        String hosts = "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1] + ",127.0.0.1:" + ports[2];
        // One after the other: the first stores a fresh database's key check values, and members that start at the
        // same moment may each miss the other's discovery answer and form two clusters until MERGE3 joins them.
        for (int port : ports) nodes.add(node(hosts, port));
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!nodes.stream().allMatch(n -> n.processor().cluster().snapshot().members() == 3)) {
            if (System.nanoTime() > deadline) throw new AssertionError("the three nodes never saw each other");
            Thread.sleep(100);
        }
    }

    private TestProcessor node(String hosts, int clusterPort) {
        return new TestProcessor(
                db.settings(),
                Map.of("CLUSTER_HOSTS", hosts, "CLUSTER_PORT", Integer.toString(clusterPort), "RISK_SHARDS", "1"));
    }

    @AfterAll
    void stop() {
        for (TestProcessor n : nodes) n.close();
        if (db != null) db.close();
    }

    @Test
    void everyNodeSeesTheSameOwnersAndTheyShareThePartitions() {
        int owned = 0;
        for (TestProcessor n : nodes) {
            ClusterStatus.Snapshot s = n.processor().cluster().snapshot();
            assertEquals(3, s.members());
            owned += s.partitionsOwned();
            String metrics = n.client().get("/metrics", Map.of()).body();
            assertTrue(metrics.contains("payproc_cluster_members 3"), metrics);
            assertTrue(metrics.contains("payproc_cluster_partitions_owned " + s.partitionsOwned()), metrics);
        }
        assertEquals(64, owned);
    }

    @Test
    void theConsoleFeedShowsEachMembersViewOfTheCluster() {
        int owned = 0;
        List<String> ids = new ArrayList<>();
        for (TestProcessor n : nodes) {
            JsonObject c = n.admin(io.vertx.core.http.HttpMethod.GET, "/admin/console/feed", null)
                    .json()
                    .getJsonObject("cluster");
            assertEquals(3, c.getInteger("members"), c.encode());
            assertEquals(64, c.getInteger("partitions"), c.encode());
            assertEquals(n.processor().cluster().snapshot().nodeId(), c.getString("nodeId"));
            assertTrue(c.getLong("forwardedOut") >= 0 && c.getLong("forwardedIn") >= 0, c.encode());
            assertTrue(c.containsKey("forwardLatencyMs"), c.encode());
            owned += c.getInteger("partitionsOwned");
            ids.add(c.getString("nodeId"));
        }
        assertEquals(64, owned, "the members' partitions add up to all of them");
        assertEquals(3, ids.stream().distinct().count());
    }

    @Test
    void aCardAttemptedThroughAllThreeIsDeclinedAtExactlyItsSixthAttempt() {
        String pan = Bodies.freshPan();
        long forwardedBefore = forwarded();
        List<JsonObject> answers = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            TestProcessor via = nodes.get(i % 3);
            String key = "cluster-" + i + "-" + System.nanoTime();
            H2Client.Response r = via.authorize(key, Bodies.valid(pan).encode());
            assertEquals(201, r.status(), "attempt " + (i + 1) + " via node " + i % 3 + ": " + r.body());
            answers.add(r.json());
            keys.add(key);
        }
        for (int i = 0; i < 5; i++) assertEquals("APPROVED", answers.get(i).getString("status"), "attempt " + (i + 1));
        for (int i = 5; i < 7; i++) {
            assertEquals("DECLINED", answers.get(i).getString("status"), "attempt " + (i + 1));
            assertEquals(
                    (i + 1) + " attempts in 60s (limit 5)",
                    AuthorizationApiIT.reason(answers.get(i), "VELOCITY_CARD").getString("message"));
        }
        // Of each three attempts two reached a node that does not own the card.
        assertTrue(forwarded() - forwardedBefore >= 4, "forwarded " + (forwarded() - forwardedBefore));
        for (int i = 0; i < 7; i++) {
            assertEquals(
                    1,
                    db.count(
                            "SELECT count(*) FROM idempotency_keys k JOIN payments p ON p.id = k.payment_id"
                                    + " WHERE k.idempotency_key = $1 AND p.id = $2",
                            keys.get(i),
                            answers.get(i).getString("id")),
                    "attempt " + (i + 1) + " is in the ledger once");
        }
        // A retry through another node is the first answer again, from the owner.
        H2Client.Response replay =
                nodes.get(1).authorize(keys.get(0), Bodies.valid(pan).encode());
        assertEquals(200, replay.status(), replay.body());
        assertEquals("true", replay.header("Idempotent-Replayed"));
        assertEquals(answers.get(0).getString("id"), replay.json().getString("id"));
    }

    @Test
    void aBatchThroughAMemberThatDoesNotOwnItsCardIsForwardedItemByItemAndCountedOnce() {
        String pan = Bodies.freshPan();
        long[] inBefore = forwardedIn();
        H2Client.Response first = nodes.get(0)
                .authorize("cb-first-" + System.nanoTime(), Bodies.valid(pan).encode());
        assertEquals(201, first.status(), first.body());
        long[] inAfter = forwardedIn();
        int owner = 0; // the member that received the forward, or node 0 itself when it owns the card
        for (int i = 0; i < 3; i++) if (inAfter[i] > inBefore[i]) owner = i;
        TestProcessor via = nodes.get((owner + 1) % 3);
        String k = "cb-" + System.nanoTime();
        JsonArray items = new JsonArray();
        for (int i = 0; i < 6; i++) items.add(Bodies.valid(pan).put("idempotencyKey", k + "-" + i));
        long outBefore = via.processor().cluster().snapshot().forwardedOut();
        H2Client.Response r = via.batch(new JsonObject().put("items", items).encode());
        assertEquals(200, r.status(), r.body());
        assertEquals(6, via.processor().cluster().snapshot().forwardedOut() - outBefore, "every item forwarded");
        Map<String, Integer> byStatus = new java.util.TreeMap<>();
        JsonArray results = r.json().getJsonArray("results");
        for (int i = 0; i < 6; i++) {
            JsonObject item = results.getJsonObject(i);
            assertEquals(201, item.getInteger("httpStatus"), item.encode());
            assertEquals(k + "-" + i, item.getString("idempotencyKey"), "results stay in item order");
            byStatus.merge(item.getString("status"), 1, Integer::sum);
            assertEquals(1, db.count("SELECT count(*) FROM payments WHERE id = $1", item.getString("id")));
        }
        // Its owner decides its items as they arrive (over its event loops): the counts are exact, not which ones.
        assertEquals(Map.of("APPROVED", 4, "DECLINED", 2), byStatus);
    }

    private long[] forwardedIn() {
        long[] in = new long[3];
        for (int i = 0; i < 3; i++)
            in[i] = nodes.get(i).processor().cluster().snapshot().forwardedIn();
        return in;
    }

    private long forwarded() {
        long out = 0;
        long in = 0;
        for (TestProcessor n : nodes) {
            out += n.processor().cluster().snapshot().forwardedOut();
            in += n.processor().cluster().snapshot().forwardedIn();
        }
        assertEquals(out, in, "every forward was received");
        return out;
    }
}
