package dev.payproc.risk.json;

import dev.payproc.core.port.RiskRules.Violation;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Typed reads of one JSON object's members, each falling back to a given value when the member is absent
 * or null. A member of the wrong type is recorded as a {@link Violation} at its JSON path and also falls back,
 * so one pass reports every error. {@link #rejectUnknown} then reports members nobody asked for.
 */
final class JsonFields {
    private final Map<String, Object> members;
    private final String prefix;
    private final List<Violation> errors;
    private final Set<String> read = new HashSet<>();
    private final List<JsonFields> children = new ArrayList<>();

    private JsonFields(Map<String, Object> members, String prefix, List<Violation> errors) {
        this.members = members;
        this.prefix = prefix;
        this.errors = errors;
    }

    static JsonFields root(Map<?, ?> document, List<Violation> errors) {
        return new JsonFields(cast(document), "", errors);
    }

    boolean has(String name) {
        return members.get(name) != null;
    }

    /** Every member name, all counted as read. */
    Set<String> names() {
        read.addAll(members.keySet());
        return members.keySet();
    }

    JsonFields object(String name) {
        Object v = take(name);
        if (v != null && !(v instanceof Map)) error(name, "must be an object");
        JsonFields child = new JsonFields(v instanceof Map ? cast(v) : Map.of(), path(name) + ".", errors);
        children.add(child);
        return child;
    }

    int integer(String name, int fallback) {
        Object v = take(name);
        if (v == null) return fallback;
        if (v instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) return l.intValue();
        error(name, v instanceof Long || v instanceof BigInteger ? "is out of range" : "must be an integer");
        return fallback;
    }

    double number(String name, double fallback) {
        Object v = take(name);
        if (v == null) return fallback;
        if (v instanceof Number n) return n.doubleValue();
        error(name, "must be a number");
        return fallback;
    }

    /**
     * Amounts by currency: the members change {@code base} one currency at a time, and null removes one (which
     * validation then refuses: every accepted currency needs an amount).
     */
    Map<String, Long> amounts(String name, Map<String, Long> base) {
        Object v = take(name);
        if (v == null) return base;
        if (!(v instanceof Map)) {
            error(name, "must be an object of amounts by currency");
            return base;
        }
        Map<String, Long> out = new TreeMap<>(base);
        cast(v).forEach((currency, amount) -> {
            if (amount == null) out.remove(currency);
            else if (amount instanceof Long l) out.put(currency, l);
            else
                errors.add(new Violation(
                        path(name) + "." + currency,
                        amount instanceof BigInteger ? "is out of range" : "must be an integer amount in minor units"));
        });
        return out;
    }

    Set<String> strings(String name) {
        Object v = take(name);
        if (v == null) return Set.of();
        if (!(v instanceof List<?> items)) {
            error(name, "must be an array of strings");
            return Set.of();
        }
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i) instanceof String s) out.add(s);
            else errors.add(new Violation(path(name) + "[" + i + "]", "must be a string"));
        }
        return out;
    }

    /** Reports the members of this object, and of the objects read from it, that were never read. */
    void rejectUnknown() {
        for (String name : members.keySet()) {
            if (!read.contains(name)) error(name, "unknown field");
        }
        for (JsonFields child : children) child.rejectUnknown();
    }

    private Object take(String name) {
        read.add(name);
        return members.get(name);
    }

    private String path(String name) {
        return prefix + name;
    }

    private void error(String name, String message) {
        errors.add(new Violation(path(name), message));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object map) {
        return (Map<String, Object>) map;
    }
}
