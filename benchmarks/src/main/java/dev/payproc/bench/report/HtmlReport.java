package dev.payproc.bench.report;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A self-contained HTML page (charts inlined as SVG, no script, no external file) that opens offline: a side-by-side
 * table of figures, ratios, the latency percentile distribution of every run, then each run over time with its
 * outcome mix, reason codes and errors.
 */
public final class HtmlReport {
    /** One column of the side-by-side table: a label and its figures by row name. */
    public record Column(String label, Map<String, String> figures) {}

    private static final String STYLE =
            "body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1000px;color:#222}"
                    + "table{border-collapse:collapse;margin:8px 0 16px}td,th{border-bottom:1px solid #ddd;padding:3px 10px;text-align:right}"
                    + "th:first-child,td:first-child{text-align:left}.tables{display:flex;flex-wrap:wrap;gap:28px}"
                    + ".bar{display:inline-block;height:10px;background:#4c78a8;vertical-align:middle}svg{max-width:100%;height:auto}"
                    + "pre{background:#f6f6f6;padding:8px;overflow-x:auto;font-size:12px}.muted{color:#666}";

    private HtmlReport() {}

    public static String render(
            String title, String subtitle, List<Column> table, List<String> ratios, List<RunData> runs)
            throws IOException {
        StringBuilder h = new StringBuilder(1 << 16);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(esc(title))
                .append("</title><style>")
                .append(STYLE)
                .append("</style></head><body>\n<h1>")
                .append(esc(title))
                .append("</h1>\n<p class=\"muted\">")
                .append(esc(subtitle))
                .append("</p>\n");
        figures(h, table);
        if (!ratios.isEmpty()) {
            h.append("<ul class=\"ratios\">");
            ratios.forEach(r -> h.append("<li>").append(esc(r)).append("</li>"));
            h.append("</ul>\n");
        }
        h.append("<h2>Latency percentile distribution</h2>\n")
                .append(SvgCharts.render(Charts.percentiles("Latency by percentile", runs)))
                .append('\n');
        for (RunData run : runs) {
            h.append("<h2>")
                    .append(esc(run.title()))
                    .append("</h2>\n<p class=\"muted\">")
                    .append(esc(run.description()))
                    .append("</p>\n")
                    .append(SvgCharts.render(Charts.timeline(run)))
                    .append("\n<div class=\"tables\">");
            counts(h, "Outcome mix", "of 2xx", run.outcomes(), run.ok());
            counts(h, "Reason codes", "of 2xx", run.reasons(), run.ok());
            counts(h, "Errors by status", "of answers", run.errors(), run.answers());
            h.append("</div>\n");
            if (!run.notes().isEmpty())
                h.append("<pre>").append(esc(String.join("\n", run.notes()))).append("</pre>\n");
        }
        return h.append("</body></html>\n").toString();
    }

    private static void figures(StringBuilder h, List<Column> table) {
        Set<String> rows = new LinkedHashSet<>();
        table.forEach(c -> rows.addAll(c.figures().keySet()));
        h.append("<table class=\"figures\"><tr><th></th>");
        table.forEach(c -> h.append("<th>").append(esc(c.label())).append("</th>"));
        h.append("</tr>\n");
        for (String row : rows) {
            h.append("<tr><td>").append(esc(row)).append("</td>");
            table.forEach(c -> h.append("<td>")
                    .append(esc(c.figures().getOrDefault(row, "–")))
                    .append("</td>"));
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    private static void counts(StringBuilder h, String title, String shareOf, Map<String, Long> counts, long total) {
        h.append("<div><h3>").append(esc(title)).append("</h3>");
        if (counts.isEmpty()) {
            h.append("<p>none</p></div>");
            return;
        }
        h.append("<table><tr><th></th><th>count</th><th>").append(esc(shareOf)).append("</th><th></th></tr>");
        counts.forEach((k, v) -> {
            double share = 100.0 * v / Math.max(1, total);
            h.append(String.format(
                    Locale.ROOT,
                    "<tr><td>%s</td><td>%,d</td><td>%.2f %%</td><td><span class=\"bar\" style=\"width:%.0fpx\"></span></td></tr>",
                    esc(k),
                    v,
                    share,
                    Math.min(100, share)));
        });
        h.append("</table></div>");
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
