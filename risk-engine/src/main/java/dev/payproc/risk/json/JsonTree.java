package dev.payproc.risk.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON as plain Java values (maps, lists, strings, {@code Long}/{@code BigInteger}/{@code Double}, booleans,
 * null), read and written with Jackson's streaming API. The rule set is small and changed rarely, so a tree
 * keeps its schema code short: reading, merging and diffing are then plain map operations.
 */
final class JsonTree {
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(
                    StreamReadConstraints.builder().maxNestingDepth(16).build())
            .build();

    private JsonTree() {}

    static Object parse(String text) throws IOException {
        try (JsonParser p = JSON.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) throw new JsonParseException(p, "empty document");
            Object root = value(p, first);
            if (p.nextToken() != null) throw new JsonParseException(p, "content after the document");
            return root;
        }
    }

    private static Object value(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case START_OBJECT -> {
                Map<String, Object> members = new LinkedHashMap<>();
                for (JsonToken n = p.nextToken(); n != JsonToken.END_OBJECT; n = p.nextToken()) {
                    String name = p.currentName();
                    members.put(name, value(p, p.nextToken()));
                }
                yield members;
            }
            case START_ARRAY -> {
                List<Object> items = new ArrayList<>();
                for (JsonToken n = p.nextToken(); n != JsonToken.END_ARRAY; n = p.nextToken()) items.add(value(p, n));
                yield items;
            }
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT ->
                p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getBigIntegerValue() : p.getLongValue();
            case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new JsonParseException(p, "unexpected token");
        };
    }

    /** Pretty-printed JSON of a tree built from maps, collections, strings, numbers and nulls. */
    static String write(Object tree) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out).useDefaultPrettyPrinter()) {
            write(g, tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    private static void write(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof Map<?, ?> map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                g.writeFieldName((String) e.getKey());
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof Collection<?> items) {
            g.writeStartArray();
            for (Object item : items) write(g, item);
            g.writeEndArray();
        } else if (v instanceof Integer || v instanceof Long) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Double d) {
            g.writeNumber(d);
        } else {
            g.writeString((String) v);
        }
    }

    /** An object from alternating names and values, in that order. */
    static Map<String, Object> object(Object... namesAndValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) out.put((String) namesAndValues[i], namesAndValues[i + 1]);
        return out;
    }

    /** The members of {@code value} that differ from {@code base}, recursively (validated settings lack none). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> diff(Map<String, Object> value, Map<String, Object> base) {
        Map<String, Object> out = new LinkedHashMap<>();
        value.forEach((name, v) -> {
            Object b = base.get(name);
            if (v instanceof Map && b instanceof Map) {
                Map<String, Object> d = diff((Map<String, Object>) v, (Map<String, Object>) b);
                if (!d.isEmpty()) out.put(name, d);
            } else if (!v.equals(b)) {
                out.put(name, v);
            }
        });
        return out;
    }
}
