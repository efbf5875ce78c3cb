package dev.payproc.bench.faults.verdict;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A line of {@code key=value} figures, the form in which the fault driver and the audit hand theirs from one process
 * to the next ({@code RESULT k=v ...}), read back once into the typed records. A figure that is missing or not a
 * number is an {@link IllegalArgumentException}: a run whose figures cannot be read cannot be judged.
 */
public final class Figures {
    private final String line;
    private final Map<String, String> values = new HashMap<>();

    private Figures(String line, Map<String, String> values) {
        this.line = line;
        this.values.putAll(values);
    }

    public static Figures parse(String line) {
        Map<String, String> values = new HashMap<>();
        for (String pair : line.trim().split("\\s+")) {
            int eq = pair.indexOf('=');
            if (eq > 0) values.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return new Figures(line, values);
    }

    /** Figures already split, such as a command line's {@code k=v} arguments (whose values may hold spaces). */
    public static Figures of(Map<String, String> values) {
        return new Figures(values.toString(), values);
    }

    /** The {@code RESULT} line of a file (a driver's output, an audit's answer). */
    public static Figures read(Path file) {
        try {
            return Files.readAllLines(file).stream()
                    .filter(l -> l.startsWith("RESULT "))
                    .findFirst()
                    .map(l -> parse(l.substring("RESULT ".length())))
                    .orElseThrow(() -> new IllegalArgumentException("no RESULT line in " + file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    public String text(String key) {
        String v = values.get(key);
        if (v == null || v.isEmpty()) throw new IllegalArgumentException("no figure " + key + " in: " + line);
        return v;
    }

    public long count(String key) {
        try {
            return Long.parseLong(text(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("figure " + key + " is not a whole number in: " + line);
        }
    }

    public double number(String key) {
        try {
            return Double.parseDouble(text(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("figure " + key + " is not a number in: " + line);
        }
    }

    /** Milliseconds and other figures with one decimal, as the line carries them. */
    static String oneDecimal(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
