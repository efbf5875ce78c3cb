package dev.payproc.gateway.ops;

import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RouteLabelTest {
    @Test
    void labelsARequestByItsRouteTemplate() {
        assertEquals("POST /v1/authorizations", RouteLabel.of(HttpMethod.POST, "/v1/authorizations"));
        assertEquals("POST /v1/authorizations/batch", RouteLabel.of(HttpMethod.POST, "/v1/authorizations/batch"));
        assertEquals("GET /v1/payments/{id}", RouteLabel.of(HttpMethod.GET, "/v1/payments/pay_01JD3X8Q2W5N6V7B8C9D0E1F2G"));
        assertEquals("POST /v1/payments/{id}/refunds", RouteLabel.of(HttpMethod.POST, "/v1/payments/pay_1/refunds"));
        assertEquals("GET /v1/merchants/{id}/settlements", RouteLabel.of(HttpMethod.GET, "/v1/merchants/m-1001/settlements"));
        assertEquals("GET /admin/audit/verify", RouteLabel.of(HttpMethod.GET, "/admin/audit/verify"));
        for (String template : RouteLabel.TEMPLATES) {
            String path = template.replace("{id}", "x1");
            assertEquals("PUT " + template, RouteLabel.of(HttpMethod.PUT, path));
        }
    }

    @Test
    void pathsNoRouteServesAreOther() {
        for (String path : new String[] {"/v1/payments/pay_1/capture/more", "/v1/payments/pay_1/steal", "/v1/payments/",
                "/v1/payments//capture", "/v1/merchants/m-1/balance/x", "/v1/merchants/m-1", "/v1/authorizationsX",
                "/v1/authorization", "/metrics/", "", "/", "relative", "/admin/risk-rules/shadow/x"}) {
            assertEquals("other", RouteLabel.of(HttpMethod.GET, path), path);
        }
    }

    @Test
    void anUnknownMethodDoesNotBecomeALabel() {
        assertEquals("OTHER /v1/authorizations", RouteLabel.of(HttpMethod.valueOf("BREW"), "/v1/authorizations"));
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
            labels.add(RouteLabel.of(HttpMethod.valueOf("M" + random.nextInt(1000)), path.toString()));
        }
        assertTrue(labels.size() <= RouteLabel.TEMPLATES.size() + 1, labels.toString());
    }

    @Test
    void labelValuesAreEscapedForTheTextFormat() {
        assertEquals("route=\"a\\\\b\\\"c\\nd\"", PrometheusText.label("route", "a\\b\"c\nd"));
    }
}
