package dev.payproc.bench.report;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * One measured phase of the load harness, as its report shows it. Also kept as JSON beside the report so that
 * scripts/bench.sh can put several runs, each from its own harness JVM, into one combined report.
 *
 * @param latency    nanoseconds, every answer of the phase
 * @param notes      free lines shown under the run (CPU split, first error of each kind)
 */
public record RunData(
        String title,
        String description,
        double seconds,
        long answers,
        long ok,
        long unanswered,
        Map<String, Long> outcomes,
        Map<String, Long> reasons,
        Map<String, Long> errors,
        List<String> notes,
        Histogram latency,
        List<RunSeries.Sample> series) {

    public double throughput() {
        return answers / seconds;
    }

    public double millis(double percentile) {
        return latency.getValueAtPercentile(percentile) / 1e6;
    }

    public long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The run's column in a report's side-by-side table. */
    public HtmlReport.Column column() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("answers/s", String.format(Locale.ROOT, "%,.0f", throughput()));
        f.put("answers", String.format(Locale.ROOT, "%,d in %.1f s", answers, seconds));
        f.put("2xx", String.format(Locale.ROOT, "%,d", ok));
        f.put(
                "errors",
                String.format(Locale.ROOT, "%,d", errorCount())
                        + (unanswered > 0 ? ", " + unanswered + " unanswered" : ""));
        f.put("p50 ms", ms(millis(50)));
        f.put("p90 ms", ms(millis(90)));
        f.put("p99 ms", ms(millis(99)));
        f.put("p99.9 ms", ms(millis(99.9)));
        f.put("max ms", ms(latency.getMaxValue() / 1e6));
        f.put("mean ms", ms(latency.getMean() / 1e6));
        return new HtmlReport.Column(title, f);
    }

    static String ms(double v) {
        return String.format(Locale.ROOT, v < 10 ? "%.3f" : "%.1f", v);
    }

    public void write(Path file) {
        ByteBuffer buffer = ByteBuffer.allocate(latency.getNeededByteBufferCapacity());
        int length = latency.encodeIntoCompressedByteBuffer(buffer);
        JsonArray samples = new JsonArray();
        series.forEach(s -> samples.add(new JsonArray()
                .add(s.second())
                .add(s.throughput())
                .add(s.p99Millis())
                .add(s.errorsPerSecond())));
        JsonObject json = new JsonObject()
                .put("title", title)
                .put("description", description)
                .put("seconds", seconds)
                .put("answers", answers)
                .put("ok", ok)
                .put("unanswered", unanswered)
                .put("outcomes", json(outcomes))
                .put("reasons", json(reasons))
                .put("errors", json(errors))
                .put("notes", new JsonArray(notes))
                .put("latency", Base64.getEncoder().encodeToString(Arrays.copyOf(buffer.array(), length)))
                .put("series", samples);
        try {
            Files.writeString(file, json.encodePrettily());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RunData read(Path file) throws IOException {
        JsonObject json = new JsonObject(Files.readString(file));
        Histogram latency;
        try {
            latency = Histogram.decodeFromCompressedByteBuffer(
                    ByteBuffer.wrap(Base64.getDecoder().decode(json.getString("latency"))), 0);
        } catch (DataFormatException e) {
            throw new IOException(file + ": bad latency histogram", e);
        }
        List<RunSeries.Sample> series = json.getJsonArray("series").stream()
                .map(JsonArray.class::cast)
                .map(a -> new RunSeries.Sample(a.getDouble(0), a.getDouble(1), a.getDouble(2), a.getDouble(3)))
                .toList();
        return new RunData(
                json.getString("title"),
                json.getString("description"),
                json.getDouble("seconds"),
                json.getLong("answers"),
                json.getLong("ok"),
                json.getLong("unanswered"),
                counts(json.getJsonObject("outcomes")),
                counts(json.getJsonObject("reasons")),
                counts(json.getJsonObject("errors")),
                json.getJsonArray("notes").stream().map(String::valueOf).toList(),
                latency,
                series);
    }

    private static JsonObject json(Map<String, Long> counts) {
        JsonObject json = new JsonObject();
        counts.forEach(json::put);
        return json;
    }

    private static Map<String, Long> counts(JsonObject json) {
        Map<String, Long> counts = new TreeMap<>();
        json.forEach(e -> counts.put(e.getKey(), ((Number) e.getValue()).longValue()));
        return counts;
    }
}
