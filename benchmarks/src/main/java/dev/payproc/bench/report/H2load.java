package dev.payproc.bench.report;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What h2load printed at the end of its run (it keeps no histogram: rate, counts, min/max/mean/sd of request time).
 * {@code failed} includes non-2xx/3xx answers as well as errored and timed-out requests, as h2load counts them.
 */
public record H2load(
        double rate, long done, long failed, long status2xx, double minMs, double maxMs, double meanMs, double sdMs) {
    private static final Pattern FINISHED = Pattern.compile("finished in [^,]+, ([\\d.]+) req/s");
    private static final Pattern REQUESTS =
            Pattern.compile("requests: \\d+ total, \\d+ started, (\\d+) done, \\d+ succeeded, (\\d+) failed");
    private static final Pattern STATUS = Pattern.compile("status codes: (\\d+) 2xx");
    private static final Pattern TIME = Pattern.compile("time for request:\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)");

    /** Empty when the text has no complete summary (h2load missing or failed). */
    public static Optional<H2load> parse(String text) {
        Matcher f = FINISHED.matcher(text);
        Matcher r = REQUESTS.matcher(text);
        Matcher s = STATUS.matcher(text);
        Matcher t = TIME.matcher(text);
        if (!f.find() || !r.find() || !s.find() || !t.find()) return Optional.empty();
        return Optional.of(new H2load(
                Double.parseDouble(f.group(1)),
                Long.parseLong(r.group(1)),
                Long.parseLong(r.group(2)),
                Long.parseLong(s.group(1)),
                millis(t.group(1)),
                millis(t.group(2)),
                millis(t.group(3)),
                millis(t.group(4))));
    }

    /** h2load's durations: "310us", "14.23ms", "1.2s". */
    static double millis(String duration) {
        String number = duration.replaceAll("[a-z]+$", "");
        double v = Double.parseDouble(number);
        switch (duration.substring(number.length())) {
            case "us":
                return v / 1000;
            case "ms":
                return v;
            case "s":
                return v * 1000;
            default:
                throw new IllegalArgumentException("h2load duration " + duration);
        }
    }

    public HtmlReport.Column column(String label) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("answers/s", String.format(Locale.ROOT, "%,.0f", rate));
        f.put("answers", String.format(Locale.ROOT, "%,d", done));
        f.put("2xx", String.format(Locale.ROOT, "%,d", status2xx));
        f.put("errors", String.format(Locale.ROOT, "%,d", failed));
        f.put("max ms", RunData.ms(maxMs));
        f.put("mean ms", RunData.ms(meanMs) + " (sd " + RunData.ms(sdMs) + ")");
        f.put("min ms", RunData.ms(minMs));
        return new HtmlReport.Column(label, f);
    }
}
