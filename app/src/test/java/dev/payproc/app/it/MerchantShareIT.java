package dev.payproc.app.it;

import static dev.payproc.testkit.Asserts.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.payproc.testkit.Await;
import dev.payproc.testkit.Bodies;
import dev.payproc.testkit.H2Client;
import dev.payproc.testkit.TcpProxy;
import dev.payproc.testkit.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * One merchant's burst takes at most its share of admission ({@code MERCHANT_ADMISSION_SHARE}): with commits
 * held by a TCP proxy in front of PostgreSQL, the merchant that filled its half is refused while another
 * merchant is still admitted, and every count returns to zero once the answers are out.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MerchantShareIT {
    private TestDatabase db;
    private TcpProxy proxy;
    private TestProcessor app;

    @BeforeAll
    void start() {
        db = new TestDatabase();
        proxy = new TcpProxy(db.settings().host(), db.settings().port());
        app = new TestProcessor(
                TestDatabase.through(db.settings(), proxy),
                Map.of("MAX_IN_FLIGHT", "4", "MERCHANT_ADMISSION_SHARE", "0.5"));
    }

    @AfterAll
    void stop() {
        if (app != null) app.close();
        if (proxy != null) proxy.close();
        if (db != null) db.close();
    }

    @Test
    void aMerchantOverItsShareIsRefusedWhileAnotherIsAdmitted() {
        String otherKey = app.otherMerchantKey();
        // Keys cached and connections open, so nothing below but the commits waits on the held database.
        assertEquals(
                201,
                app.authorize("warm-" + System.nanoTime(), body(TestProcessor.MERCHANT))
                        .status());
        assertEquals(
                201, Await.result(send(otherKey, TestProcessor.OTHER_MERCHANT)).status());
        proxy.hold();
        List<Future<H2Client.Response>> held = new ArrayList<>();
        try {
            held.add(send(TestProcessor.API_KEY, TestProcessor.MERCHANT));
            held.add(send(TestProcessor.API_KEY, TestProcessor.MERCHANT));
            waitForInFlight(2);

            H2Client.Response refused = app.authorize("over-" + System.nanoTime(), body(TestProcessor.MERCHANT));
            assertError(refused, 503, "overloaded", null);
            assertEquals("1", refused.header("Retry-After"));

            held.add(send(otherKey, TestProcessor.OTHER_MERCHANT));
            waitForInFlight(3); // the other merchant got in beside the full one
            proxy.release();
            for (Future<H2Client.Response> f : held)
                assertEquals(201, Await.result(f).status());
        } finally {
            proxy.release();
        }
        waitForInFlight(0);
        held.clear();
        held.add(send(TestProcessor.API_KEY, TestProcessor.MERCHANT));
        held.add(send(TestProcessor.API_KEY, TestProcessor.MERCHANT));
        for (Future<H2Client.Response> f : held)
            assertEquals(201, Await.result(f).status(), "a share is whole again");
    }

    private Future<H2Client.Response> send(String apiKey, String merchantId) {
        return app.client()
                .sendAsync(
                        HttpMethod.POST,
                        "/v1/authorizations",
                        TestProcessor.headers(apiKey, "share-" + System.nanoTime()),
                        body(merchantId));
    }

    private static String body(String merchantId) {
        return Bodies.valid(Bodies.freshPan()).put("merchantId", merchantId).encode();
    }

    private void waitForInFlight(int n) {
        for (int i = 0; i < 100; i++) {
            String metrics = app.client().get("/metrics", Map.of()).body();
            if (metrics.contains("payproc_in_flight " + n + "\n")) return;
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("never saw " + n + " request(s) in flight");
    }
}
