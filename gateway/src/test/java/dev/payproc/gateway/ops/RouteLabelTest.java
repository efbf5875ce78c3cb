package dev.payproc.gateway.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class RouteLabelTest {
    private static final Vertx VERTX = Vertx.vertx();
    private static final RouteLabel LABELS = RouteLabel.of(router());

    /** Routes shaped like the gateway's: exact paths with parameters, a prefix and a wildcard route. */
    private static Router router() {
        Router r = Router.router(VERTX);
        r.route().handler(ctx -> ctx.next());
        r.post().handler(ctx -> ctx.next());
        r.post("/v1/authorizations").handler(ctx -> ctx.end());
        r.post("/v1/authorizations/batch").handler(ctx -> ctx.end());
        r.get("/v1/payments/:id").handler(ctx -> ctx.end());
        r.post("/v1/payments/:id/capture").handler(ctx -> ctx.end());
        r.post("/v1/payments/:id/refunds").handler(ctx -> ctx.end());
        r.get("/v1/merchants/:merchantId/balance").handler(ctx -> ctx.end());
        r.get("/v1/merchants/:merchantId/settlements").handler(ctx -> ctx.end());
        r.get("/metrics").handler(ctx -> ctx.end());
        r.get("/console*").handler(ctx -> ctx.end());
        r.route("/admin/*").handler(ctx -> ctx.next());
        r.get("/admin/audit").handler(ctx -> ctx.end());
        r.get("/admin/audit/verify").handler(ctx -> ctx.end());
        r.put("/admin/risk-rules").handler(ctx -> ctx.end());
        r.put("/admin/risk-rules/shadow").handler(ctx -> ctx.end());
        return r;
    }

    @AfterAll
    static void close() {
        VERTX.close();
    }

    @Test
    void theTemplatesAreTheRoutersExactPaths() {
        assertEquals(
                java.util.List.of(
                        "/v1/authorizations",
                        "/v1/authorizations/batch",
                        "/v1/payments/{id}",
                        "/v1/payments/{id}/capture",
                        "/v1/payments/{id}/refunds",
                        "/v1/merchants/{id}/balance",
                        "/v1/merchants/{id}/settlements",
                        "/metrics",
                        "/admin/audit",
                        "/admin/audit/verify",
                        "/admin/risk-rules",
                        "/admin/risk-rules/shadow"),
                LABELS.templates());
    }

    @Test
    void labelsARequestByItsRouteTemplate() {
        assertEquals("POST /v1/authorizations", LABELS.of(HttpMethod.POST, "/v1/authorizations"));
        assertEquals("POST /v1/authorizations/batch", LABELS.of(HttpMethod.POST, "/v1/authorizations/batch"));
        assertEquals("GET /v1/payments/{id}", LABELS.of(HttpMethod.GET, "/v1/payments/pay_01JD3X8Q2W5N6V7B8C9D0E1F2G"));
        assertEquals("POST /v1/payments/{id}/refunds", LABELS.of(HttpMethod.POST, "/v1/payments/pay_1/refunds"));
        assertEquals(
                "GET /v1/merchants/{id}/settlements", LABELS.of(HttpMethod.GET, "/v1/merchants/m-1001/settlements"));
        assertEquals("GET /admin/audit/verify", LABELS.of(HttpMethod.GET, "/admin/audit/verify"));
        for (String template : LABELS.templates()) {
            String path = template.replace("{id}", "x1");
            assertEquals("PUT " + template, LABELS.of(HttpMethod.PUT, path));
        }
    }

    @Test
    void pathsNoRouteServesAreOther() {
        for (String path : new String[] {
            "/v1/payments/pay_1/capture/more",
            "/v1/payments/pay_1/steal",
            "/v1/payments/",
            "/v1/payments//capture",
            "/v1/merchants/m-1/balance/x",
            "/v1/merchants/m-1",
            "/v1/authorizationsX",
            "/v1/authorization",
            "/metrics/",
            "",
            "/",
            "relative",
            "/admin/risk-rules/shadow/x"
        }) {
            assertEquals("other", LABELS.of(HttpMethod.GET, path), path);
        }
    }

    @Test
    void anUnknownMethodDoesNotBecomeALabel() {
        assertEquals("OTHER /v1/authorizations", LABELS.of(HttpMethod.valueOf("BREW"), "/v1/authorizations"));
    }

    @Test
    void randomPathsAndMethodsGiveAFixedSetOfLabels() {
        Random random = new Random(7);
        Set<String> labels = new HashSet<>();
        String[] prefixes = {"/v1/payments/", "/v1/merchants/", "/admin/", "/v1/", "/"};
        for (int i = 0; i < 100_000; i++) {
            StringBuilder path = new StringBuilder(prefixes[random.nextInt(prefixes.length)]);
            int segments = random.nextInt(4);
            for (int s = 0; s < segments; s++) {
                if (s > 0) path.append('/');
                path.append(Long.toString(random.nextLong(), 36));
                if (random.nextInt(4) == 0) path.append("/capture");
            }
            labels.add(LABELS.of(HttpMethod.valueOf("M" + random.nextInt(1000)), path.toString()));
        }
        assertTrue(labels.size() <= LABELS.templates().size() + 1, labels.toString());
    }

    @Test
    void labelValuesAreEscapedForTheTextFormat() {
        assertEquals("route=\"a\\\\b\\\"c\\nd\"", PrometheusText.label("route", "a\\b\"c\nd"));
    }
}
