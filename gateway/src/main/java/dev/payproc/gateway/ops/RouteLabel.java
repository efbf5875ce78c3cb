package dev.payproc.gateway.ops;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code route} label of a response: the method and the route template a path matches, never the raw path.
 * Responses are counted before authentication, so anything taken from the path as it came would let any client
 * grow the metrics without bound; here every label is one of a fixed set.
 */
public final class RouteLabel {
    private static final Set<HttpMethod> METHODS = Set.of(
            HttpMethod.GET,
            HttpMethod.POST,
            HttpMethod.PUT,
            HttpMethod.DELETE,
            HttpMethod.HEAD,
            HttpMethod.OPTIONS,
            HttpMethod.PATCH);

    /** Every route template served, as labels show it: {@code {id}} stands for one path segment. */
    private final List<String> templates;

    private final String[][] segments;

    private RouteLabel(List<String> templates) {
        this.templates = List.copyOf(templates);
        this.segments =
                this.templates.stream().map(t -> t.substring(1).split("/")).toArray(String[][]::new);
    }

    /**
     * The labels of a router's exact-path routes, so the routes are declared once: a parameter ({@code :id},
     * {@code :merchantId}) becomes {@code {id}}; prefix and wildcard routes label nothing of their own.
     */
    public static RouteLabel of(Router router) {
        Set<String> templates = new LinkedHashSet<>();
        for (Route route : router.getRoutes()) {
            String path = route.getPath();
            if (path == null || !path.startsWith("/") || path.contains("*") || !route.isExactPath()) continue;
            templates.add(path.replaceAll(":[A-Za-z]+", "{id}"));
        }
        return new RouteLabel(new ArrayList<>(templates));
    }

    public List<String> templates() {
        return templates;
    }

    /** {@code "POST /v1/payments/{id}/capture"}; {@code "other"} for a path no route serves. */
    public String of(HttpMethod method, String path) {
        String template = template(path);
        if (template == null) return "other";
        return (METHODS.contains(method) ? method.name() : "OTHER") + " " + template;
    }

    private String template(String path) {
        if (path == null || path.length() < 2 || path.charAt(0) != '/') return null;
        for (int t = 0; t < segments.length; t++) {
            if (matches(segments[t], path)) return templates.get(t);
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
