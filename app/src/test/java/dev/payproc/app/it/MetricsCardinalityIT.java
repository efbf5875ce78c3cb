package dev.payproc.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.testkit.Await;
import dev.payproc.testkit.H2Client;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Responses are counted before authentication, so a stranger's random paths must not grow the metrics: the route
 * label is a template, and the series count and the heap stay flat over 100,000 random 404 paths.
 */
class MetricsCardinalityIT extends ProcessorIT {
    private static final Pattern RESPONSE_SERIES =
            Pattern.compile("(?m)^payproc_http_responses_total\\{route=\"([^\"]*)\",status=\"(\\d+)\"}");
    private static final String[] SHAPES = {
        "/v1/payments/%s", "/v1/payments/%s/%s", "/v1/merchants/%s/%s", "/v1/%s/%s", "/admin/%s/%s", "/%s/%s"
    };
    private final Random random = new Random(42);

    @Test
    void randomPathsNeitherGrowTheSeriesNorTheHeap() {
        sendRandomPaths(2_000); // every shape and method once or more, and the JIT warm
        List<String> before = responseSeries();
        long heapBefore = heapAfterGc();

        sendRandomPaths(100_000);

        List<String> after = responseSeries();
        long heapGrowth = heapAfterGc() - heapBefore;
        assertTrue(after.size() < 40, after.size() + " response series after 100,000 random paths");
        assertEquals(before, after, "the response series after 100,000 random paths");
        for (String series : after) {
            String route = series.substring(0, series.lastIndexOf(' '));
            assertTrue(
                    route.equals("other") || route.matches("[A-Z]+ /[a-z0-9/{}-]{1,40}"),
                    "a route label that is no template: " + route);
        }
        assertTrue(
                heapGrowth < 8 * 1024 * 1024,
                "heap held after GC grew by " + heapGrowth / 1024 + " KiB over 100,000 random paths");
    }

    private void sendRandomPaths(int count) {
        HttpMethod[] methods = {HttpMethod.GET, HttpMethod.POST, HttpMethod.DELETE, HttpMethod.valueOf("BREW")};
        int window = 200;
        for (int sent = 0; sent < count; sent += window) {
            List<Future<H2Client.Response>> answers = new ArrayList<>(window);
            for (int i = 0; i < window && sent + i < count; i++) {
                String path = String.format(SHAPES[random.nextInt(SHAPES.length)], noise(), noise());
                answers.add(app.client().sendAsync(methods[random.nextInt(methods.length)], path, Map.of(), null));
            }
            for (Future<H2Client.Response> a : answers) {
                int status = Await.result(a).status();
                assertTrue(status == 404 || status == 401 || status == 405, "status " + status);
            }
        }
    }

    /** A 100-character path segment never seen before (what the old per-path label kept for ever). */
    private String noise() {
        StringBuilder b = new StringBuilder(100);
        for (int i = 0; i < 100; i++) b.append((char) ('a' + random.nextInt(26)));
        return b.toString();
    }

    private List<String> responseSeries() {
        String text = app.client().get("/metrics", Map.of()).body();
        List<String> routes = new ArrayList<>();
        Matcher m = RESPONSE_SERIES.matcher(text);
        while (m.find()) if (!m.group(1).equals("GET /metrics")) routes.add(m.group(1) + " " + m.group(2));
        return routes;
    }

    private static long heapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) System.gc();
        return rt.totalMemory() - rt.freeMemory();
    }
}
