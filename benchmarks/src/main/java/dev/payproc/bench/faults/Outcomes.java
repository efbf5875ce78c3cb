package dev.payproc.bench.faults;

import dev.payproc.bench.faults.verdict.OutcomeFigures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * Every request's outcome, one TSV line each (key, HTTP status or 0, payment id, decision, error, latency in
 * microseconds, attempt) for the audit to load with psql's \copy, plus the counts and latency histograms the
 * verdicts need. Called from several event loops, hence synchronized (up to some 20,000 calls a second, cheap each).
 */
final class Outcomes {
    private static final long SLOW_MICROS = TimeUnit.SECONDS.toMicros(6); // "no request hangs past ~6 s"
    private static final Pattern CONTROL = Pattern.compile("[\\t\\n\\r\\\\]"); // would break a psql \copy line

    private final StringBuilder tsv = new StringBuilder(1 << 20);
    private final Map<String, Long> counts = new LinkedHashMap<>();
    private final Map<String, String> firstOther = new LinkedHashMap<>();
    private final Histogram answered = histogram();
    private final Histogram created = histogram();
    private final Histogram rejected = histogram();
    private final Histogram degraded = histogram();
    private final Histogram steadyCreated = histogram();
    private final Histogram steadyRejected = histogram();
    private final long steadyFromNanos;
    private long sent;
    private long slow;
    private long first201AfterClearMicros = -1;
    private long firstCreatedNanos;
    private long lastCreatedNanos;

    /** Requests due from {@code steadyFromNanos} on are also counted apart: overload after its onset. */
    Outcomes(long steadyFromNanos) {
        this.steadyFromNanos = steadyFromNanos;
    }

    private static Histogram histogram() {
        return new Histogram(TimeUnit.MINUTES.toMicros(5), 3);
    }

    /**
     * One finished request. {@code transport} is "refused" (no connection, or a stream the server refused unprocessed:
     * nothing reached the pipeline) or "stream" (sent, then the connection or stream failed: the server may have
     * committed it) when status is 0.
     */
    synchronized void record(
            String key,
            int attempt,
            long intendedNanos,
            boolean wasDegraded,
            long clearedAtNanos,
            int status,
            String body,
            boolean retryAfter,
            String transport,
            Throwable failure) {
        long now = System.nanoTime();
        long micros = Math.max(1, (now - intendedNanos) / 1000);
        sent++;
        if (micros > SLOW_MICROS) slow++;
        if (wasDegraded) add(degraded, micros);
        String error;
        if (status == 0) {
            error = transport + ":" + failure.getClass().getSimpleName() + ": " + failure.getMessage();
            count(transport + "_err", error);
        } else {
            add(answered, micros);
            error = status >= 300 ? field(body, "error") : "";
            if (status == 201) {
                add(created, micros);
                if (intendedNanos >= steadyFromNanos) add(steadyCreated, micros);
                if (firstCreatedNanos == 0) firstCreatedNanos = now;
                lastCreatedNanos = now;
                if (clearedAtNanos != 0 && first201AfterClearMicros < 0 && now > clearedAtNanos) {
                    first201AfterClearMicros = (now - clearedAtNanos) / 1000;
                }
                count("s201", null);
            } else if (status == 200) {
                count("s200", null);
            } else if (status == 503 && ("overloaded".equals(error) || "unavailable".equals(error))) {
                add(rejected, micros);
                if (intendedNanos >= steadyFromNanos) add(steadyRejected, micros);
                count(error, null);
                if (!retryAfter) count("no_retry_after", null);
            } else {
                count("other", status + " " + error);
            }
        }
        tsv.append(key)
                .append('\t')
                .append(status)
                .append('\t')
                .append(status < 300 ? field(body, "id") : "")
                .append('\t')
                .append(status < 300 ? field(body, "status") : "")
                .append('\t')
                .append(error.isEmpty() ? error : CONTROL.matcher(error).replaceAll(" "))
                .append('\t')
                .append(micros)
                .append('\t')
                .append(attempt)
                .append('\n');
    }

    private void count(String what, String example) {
        counts.merge(what, 1L, Long::sum);
        if (example != null) firstOther.putIfAbsent(what, example);
    }

    private static void add(Histogram h, long micros) {
        h.recordValue(Math.min(micros, h.getHighestTrackableValue()));
    }

    synchronized void write(Path out) throws IOException {
        Files.writeString(out, tsv);
    }

    synchronized void append(Path out) throws IOException {
        Files.writeString(out, tsv, StandardOpenOption.APPEND);
    }

    synchronized long sent() {
        return sent;
    }

    /** 201 answers per second, from the first to the last. */
    synchronized double createdPerSecond() {
        double seconds = (lastCreatedNanos - firstCreatedNanos) / 1e9;
        return seconds > 0 ? tally("s201") / seconds : 0.0;
    }

    /** The figures; latencies in milliseconds. */
    synchronized OutcomeFigures figures() {
        return new OutcomeFigures(
                sent,
                tally("s201"),
                tally("s200"),
                tally("overloaded"),
                tally("unavailable"),
                tally("no_retry_after"),
                tally("other"),
                tally("refused_err"),
                tally("stream_err"),
                Math.round(createdPerSecond()),
                ms(answered, 99),
                ms(answered, 100),
                ms(created, 99),
                ms(rejected, 99),
                ms(steadyCreated, 99),
                ms(steadyRejected, 99),
                degraded.getTotalCount(),
                ms(degraded, 99),
                ms(degraded, 100),
                slow,
                first201AfterClearMicros < 0 ? -1 : first201AfterClearMicros / 1000);
    }

    private long tally(String what) {
        return counts.getOrDefault(what, 0L);
    }

    /** One example per kind of unexpected answer, for the report. */
    synchronized Map<String, String> examples() {
        return new LinkedHashMap<>(firstOther);
    }

    private static double ms(Histogram h, double percentile) {
        long v = h.getTotalCount() == 0 ? 0 : percentile == 100 ? h.getMaxValue() : h.getValueAtPercentile(percentile);
        return v / 1000.0;
    }

    /** A top-level string field of a flat JSON answer, without a parser ("" when absent). */
    static String field(String json, String name) {
        if (json == null) return "";
        int at = json.indexOf("\"" + name + "\":\"");
        if (at < 0) return "";
        int start = at + name.length() + 4;
        int end = json.indexOf('"', start);
        return end < 0 ? "" : json.substring(start, end);
    }
}
