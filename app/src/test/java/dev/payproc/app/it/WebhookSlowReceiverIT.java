package dev.payproc.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.testkit.Await;
import dev.payproc.testkit.Bodies;
import dev.payproc.testkit.H2Client;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A receiver that holds every request open does not hold authorizations up: delivery runs off the request path with
 * its own connections, so payments are answered while deliveries wait, and the held ones are still held after.
 */
class WebhookSlowReceiverIT extends ProcessorIT {
    @Override
    protected Map<String, String> env() {
        return Map.of("WEBHOOK_TIMEOUT_MS", "60000", "WEBHOOK_CONCURRENCY", "4");
    }

    @Test
    void authorizationsAreAnsweredWhileEveryDeliveryIsHeldOpen() {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.answer(i -> new WebhookReceiver.Answer(200, 120_000));
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 6; i++) { // more endpoints than deliveries may be in flight
                ids.add(WebhookDeliveryIT.register(app, receiver.url()).getString("id"));
            }
            WebhookDeliveryIT.authorize(app, false);
            Await.until(() -> receiver.open() == 4, 30, "as many deliveries held open as WEBHOOK_CONCURRENCY");

            List<Future<H2Client.Response>> answers = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                answers.add(app.client()
                        .sendAsync(
                                HttpMethod.POST,
                                "/v1/authorizations",
                                TestProcessor.headers(TestProcessor.API_KEY, "slow-" + UUID.randomUUID()),
                                Bodies.valid(Bodies.freshPan())
                                        .put("terminalId", "ts-" + UUID.randomUUID())
                                        .encode()));
            }
            for (Future<H2Client.Response> f : answers) {
                H2Client.Response r = Await.result(f);
                assertEquals(201, r.status(), r.body());
            }
            assertEquals(4, receiver.open(), "every delivery still held: the authorizations did not wait for them");
            assertEquals(4, receiver.received().size(), "and no fifth delivery began beyond the bound");
            JsonObject health =
                    new JsonObject(app.client().get("/health/ready", Map.of()).body());
            assertEquals("READY", health.getString("status"), health.encode());
            for (String id : ids) app.admin(HttpMethod.DELETE, "/admin/webhooks/" + id, null);
            assertTrue(WebhookDeliveryIT.endpoint(app, ids.get(0)).getBoolean("disabled"));
        }
    }
}
