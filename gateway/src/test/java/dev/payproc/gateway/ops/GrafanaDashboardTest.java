package dev.payproc.gateway.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.core.metrics.LatencyMetric;
import dev.payproc.core.metrics.PipelineMetrics;
import dev.payproc.core.model.DecisionStatus;
import dev.payproc.core.port.WebhookStatus;
import dev.payproc.core.stage.HandOff;
import dev.payproc.gateway.http.Admission;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * ops/grafana/dashboard.json against what {@code GET /metrics} really serves: every metric a panel or variable
 * queries, every label matcher and legend label, checked against a scrape rendered by {@link OpsHandler} with
 * recorded data, so a renamed metric or stage breaks this test instead of a dashboard in production.
 */
class GrafanaDashboardTest {
    private static final Path DASHBOARD = Path.of("..", "ops", "grafana", "dashboard.json");
    /** Attached by Prometheus at scrape time, so never in the served text. */
    private static final Set<String> TARGET_LABELS = Set.of("instance", "job");

    private static final Set<String> KEYWORDS = Set.of(
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "and",
            "or",
            "unless",
            "bool",
            "offset",
            "inf",
            "nan");
    private static final String STRING = "\"((?:[^\"\\\\]|\\\\.)*)\"";
    private static final Pattern SAMPLE_LABEL = Pattern.compile("(\\w+)=" + STRING);
    private static final Pattern MATCHER = Pattern.compile("(\\w+)\\s*(=~|!~|!=|=)\\s*" + STRING);
    private static final Pattern SELECTOR = Pattern.compile("(?<![\\w:.$])([a-zA-Z_:][\\w:]*)\\s*\\{([^}]*)}");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w:.$])[a-zA-Z_:][\\w:]*+(?!\\s*\\()");
    private static final Pattern GROUPING =
            Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\(([^)]*)\\)");
    private static final Pattern LEGEND_LABEL = Pattern.compile("\\{\\{\\s*(\\w+)\\s*}}");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][\\w:]*)");

    @Test
    void everyPanelQueriesWhatTheProcessorServes() throws IOException {
        JsonObject dashboard = new JsonObject(Files.readString(DASHBOARD));
        assertTrue(targets(dashboard).size() >= 20, "the dashboard lost its panels");
        assertEquals(List.of(), problems(dashboard, scrape(servedText())));
    }

    @Test
    void aPanelNamingSomethingNotServedIsCaught() throws IOException {
        JsonObject dashboard = new JsonObject(Files.readString(DASHBOARD));
        dashboard
                .getJsonArray("panels")
                .add(new JsonObject()
                        .put("title", "stale")
                        .put(
                                "targets",
                                new JsonArray()
                                        .add(
                                                new JsonObject()
                                                        .put(
                                                                "expr",
                                                                "sum by (status) (rate(payproc_authorizations_total[$__rate_interval]))"))
                                        .add(
                                                new JsonObject()
                                                        .put(
                                                                "expr",
                                                                "payproc_stage_latency_seconds{stage=\"db\",quantile=\"0.99\"}"))
                                        .add(new JsonObject()
                                                .put("expr", "payproc_db_up")
                                                .put("legendFormat", "{{region}}"))));
        assertEquals(
                List.of(
                        "panel 'stale': metric payproc_authorizations_total is not served",
                        "panel 'stale': payproc_stage_latency_seconds{stage=\"db\",quantile=\"0.99\"} selects no served series",
                        "panel 'stale': legend label region is on none of payproc_db_up"),
                problems(dashboard, scrape(servedText())).stream()
                        .filter(p -> p.startsWith("panel 'stale'"))
                        .toList());
    }

    @Test
    void theDashboardIsImportableWithADataSourceInput() throws IOException {
        JsonObject dashboard = new JsonObject(Files.readString(DASHBOARD));
        assertTrue(dashboard.getInteger("schemaVersion") >= 39);
        assertEquals(
                "DS_PROMETHEUS",
                dashboard.getJsonArray("__inputs").getJsonObject(0).getString("name"));
        Set<Integer> ids = new HashSet<>();
        for (JsonObject panel : panels(dashboard)) {
            assertTrue(ids.add(panel.getInteger("id")), "duplicate panel id " + panel.getInteger("id"));
            if (!panel.getString("type").equals("row")) {
                assertEquals(
                        "${DS_PROMETHEUS}",
                        panel.getJsonObject("datasource").getString("uid"),
                        panel.getString("title"));
            }
        }
    }

    @Test
    void servedMetricsFollowPrometheusNamingConventions() {
        Map<String, String> types = new LinkedHashMap<>();
        String family = null;
        String text = servedText();
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] f = line.split(" ");
                family = f[2];
                assertEquals(null, types.put(family, f[3]), family + " declared twice");
                assertTrue(
                        family.endsWith("_total") == f[3].equals("counter"),
                        family + ": counters, and only they, end in _total");
                assertTrue(
                        !family.matches(
                                ".*_(ms|millis|milliseconds|us|micros|microseconds|ns|nanos|nanoseconds|minutes|hours|percent)(_.*)?"),
                        family + ": not in base units");
            } else if (!line.startsWith("#")) {
                String name = line.split("[{ ]", 2)[0];
                boolean ok = name.equals(family)
                        || types.get(family).equals("summary") && name.matches(family + "_(sum|count)");
                assertTrue(ok, name + " is not a sample of the family declared before it, " + family);
                assertTrue(
                        !line.contains("quantile=")
                                || name.equals(family) && types.get(family).equals("summary"),
                        line);
            }
        }
        types.forEach(
                (name, type) -> assertTrue(!type.equals("summary") || text.contains("\n" + name + "_count"), name));
    }

    /** A scrape with something in every metric: all stages, a batch, decisions, a reason, a 201 and a 503. */
    private static String servedText() {
        PipelineMetrics metrics = new PipelineMetrics();
        for (LatencyMetric m : metrics.latencies()) m.recordNanos(2_000_000);
        metrics.batchSize.recordNanos(36);
        metrics.roll();
        for (DecisionStatus s : DecisionStatus.values()) metrics.countDecision(s);
        metrics.countReason("AMOUNT_LIMIT");
        metrics.countResponse("POST /v1/authorizations", 201);
        metrics.countResponse("POST /v1/authorizations", 503);
        Admission admission = new Admission(64, 1);
        Readiness readiness = new Readiness(() -> true, Future::succeededFuture); // never started: nothing is pinged
        PipelineGauges gauges = new PipelineGauges(
                List.of(new HandOff<>("intake-0", 64)),
                List.of(new HandOff<>("settlement-0", 64), new HandOff<>("settlement-1", 64)),
                admission,
                CircuitBreaker.ofDefaults("database"),
                readiness,
                () -> 1,
                4);
        return new OpsHandler(metrics, gauges, admission, readiness, WebhookStatus.NONE).text();
    }

    /** Sample name to the label sets of its series. */
    private static Map<String, List<Map<String, String>>> scrape(String text) {
        Map<String, List<Map<String, String>>> series = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            int brace = line.indexOf('{');
            int space = line.indexOf(' ');
            Map<String, String> labels = new HashMap<>();
            if (brace >= 0 && brace < space) {
                Matcher m = SAMPLE_LABEL.matcher(line.substring(brace, line.lastIndexOf('}')));
                while (m.find()) labels.put(m.group(1), m.group(2));
            }
            series.computeIfAbsent(
                            line.substring(0, brace >= 0 && brace < space ? brace : space), k -> new ArrayList<>())
                    .add(labels);
        }
        return series;
    }

    private static List<String> problems(JsonObject dashboard, Map<String, List<Map<String, String>>> served) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, JsonObject> t : targets(dashboard)) {
            String where = "panel '" + t.getKey() + "': ";
            String expr = t.getValue().getString("expr");
            Set<String> names = metricNames(expr);
            Set<String> labels = new HashSet<>(TARGET_LABELS);
            for (String name : names) {
                if (!served.containsKey(name)) problems.add(where + "metric " + name + " is not served");
                else served.get(name).forEach(s -> labels.addAll(s.keySet()));
            }
            Matcher sel = SELECTOR.matcher(expr);
            while (sel.find()) {
                List<String[]> matchers = new ArrayList<>();
                Matcher m = MATCHER.matcher(sel.group(2));
                while (m.find())
                    if (!TARGET_LABELS.contains(m.group(1)))
                        matchers.add(new String[] {m.group(1), m.group(2), m.group(3)});
                if (served.containsKey(sel.group(1))
                        && served.get(sel.group(1)).stream().noneMatch(s -> selects(s, matchers))) {
                    problems.add(where + sel.group() + " selects no served series");
                }
            }
            Matcher legend = LEGEND_LABEL.matcher(t.getValue().getString("legendFormat", ""));
            while (legend.find()) {
                if (!labels.contains(legend.group(1)))
                    problems.add(
                            where + "legend label " + legend.group(1) + " is on none of " + String.join(", ", names));
            }
        }
        for (Object v : dashboard.getJsonObject("templating").getJsonArray("list")) {
            Matcher m = LABEL_VALUES.matcher(((JsonObject) v).getString("definition", ""));
            if (m.find() && !served.containsKey(m.group(1)))
                problems.add("variable: metric " + m.group(1) + " is not served");
        }
        return problems;
    }

    /** Prometheus semantics: a missing label is the empty string, regular expressions are anchored. */
    private static boolean selects(Map<String, String> series, List<String[]> matchers) {
        for (String[] m : matchers) {
            String value = series.getOrDefault(m[0], "");
            boolean ok = switch (m[1]) {
                case "=" -> value.equals(m[2]);
                case "!=" -> !value.equals(m[2]);
                case "=~" -> value.matches(m[2]);
                default -> !value.matches(m[2]);
            };
            if (!ok) return false;
        }
        return true;
    }

    /** The metric names in a PromQL expression: identifiers outside strings, matchers, ranges and grouping, not called. */
    private static Set<String> metricNames(String expr) {
        String bare = GROUPING.matcher(expr.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " "))
                .replaceAll(" ")
                .replaceAll(STRING, " ")
                .replaceAll("\\$\\w+", " ");
        Set<String> names = new HashSet<>();
        Matcher m = IDENTIFIER.matcher(bare);
        while (m.find()) if (!KEYWORDS.contains(m.group())) names.add(m.group());
        return names;
    }

    /** Every query of every panel, rows' collapsed panels included, with its panel's title. */
    private static List<Map.Entry<String, JsonObject>> targets(JsonObject dashboard) {
        List<Map.Entry<String, JsonObject>> targets = new ArrayList<>();
        for (JsonObject panel : panels(dashboard)) {
            for (Object t : panel.getJsonArray("targets", new JsonArray()))
                targets.add(Map.entry(panel.getString("title"), (JsonObject) t));
        }
        return targets;
    }

    private static List<JsonObject> panels(JsonObject dashboard) {
        List<JsonObject> panels = new ArrayList<>();
        for (Object p : dashboard.getJsonArray("panels")) {
            panels.add((JsonObject) p);
            for (Object nested : ((JsonObject) p).getJsonArray("panels", new JsonArray()))
                panels.add((JsonObject) nested);
        }
        return panels;
    }
}
