package dev.payproc.gateway.ops;

import io.vertx.core.http.HttpMethod;

import java.util.List;
import java.util.Set;

/**
 * The {@code route} label of a response: the method and the route template a path matches, never the raw path.
 * Responses are counted before authentication, so anything taken from the path as it came would let any client
 * grow the metrics without bound; here every label is one of a fixed set.
 */
public final class RouteLabel {
    /** Every route template served; {@code {id}} stands for one path segment. */
    static final List<String> TEMPLATES = List.of(
            "/v1/authorizations", "/v1/authorizations/batch",
            "/v1/payments/{id}", "/v1/payments/{id}/capture", "/v1/payments/{id}/void", "/v1/payments/{id}/refunds",
            "/v1/merchants/{id}/balance", "/v1/merchants/{id}/settlements",
            "/metrics", "/health/live", "/health/ready",
            "/admin/merchants", "/admin/settlements/run", "/admin/reconciliation", "/admin/risk-rules",
            "/admin/risk-rules/shadow", "/admin/risk-rules/backtest", "/admin/config", "/admin/console/feed",
            "/admin/audit", "/admin/audit/verify", "/admin/audit/anchors");
    private static final Set<HttpMethod> METHODS = Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE,
            HttpMethod.HEAD, HttpMethod.OPTIONS, HttpMethod.PATCH);
    private static final String[][] SEGMENTS = TEMPLATES.stream().map(t -> t.substring(1).split("/")).toArray(String[][]::new);

    private RouteLabel() {}

    /** {@code "POST /v1/payments/{id}/capture"}; {@code "other"} for a path no route serves. */
    public static String of(HttpMethod method, String path) {
        String template = template(path);
        if (template == null) return "other";
        return (METHODS.contains(method) ? method.name() : "OTHER") + " " + template;
    }

    private static String template(String path) {
        if (path == null || path.length() < 2 || path.charAt(0) != '/') return null;
        for (int t = 0; t < SEGMENTS.length; t++) {
            if (matches(SEGMENTS[t], path)) return TEMPLATES.get(t);
        }
        return null;
    }

    /** Segment by segment, without splitting the path (this runs for every request). */
    private static boolean matches(String[] segments, String path) {
        int at = 1;
        for (int i = 0; i < segments.length; i++) {
            int end = path.indexOf('/', at);
            if (end < 0) end = path.length();
            if (end == at) return false; // an empty segment
            String s = segments[i];
            boolean any = s.equals("{id}");
            if (!any && (end - at != s.length() || !path.regionMatches(at, s, 0, s.length()))) return false;
            if (i == segments.length - 1) return end == path.length();
            if (end == path.length()) return false;
            at = end + 1;
        }
        return false;
    }
}
