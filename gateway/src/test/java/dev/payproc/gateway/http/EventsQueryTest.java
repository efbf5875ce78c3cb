package dev.payproc.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.gateway.codec.Decoded;
import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

/** The query of {@code GET /v1/events}: defaults, bounds, and the parameter named when one is refused. */
class EventsQueryTest {
    private static Decoded<EventsHandler.Query> parse(String... pairs) {
        MultiMap params = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i < pairs.length; i += 2) params.add(pairs[i], pairs[i + 1]);
        return EventsHandler.query(params);
    }

    private static void refused(String field, String... pairs) {
        Decoded<EventsHandler.Query> q = parse(pairs);
        assertFalse(q.isValid(), "refused: " + String.join(",", pairs));
        assertEquals(field, q.invalid().field());
        assertTrue(
                q.invalid().message().startsWith(field + " must be "),
                q.invalid().message());
    }

    @Test
    void absentParametersTakeTheirDefaults() {
        assertEquals(new EventsHandler.Query(0, EventsHandler.DEFAULT_LIMIT, 0), parse().value());
    }

    @Test
    void theBoundsThemselvesAreAccepted() {
        assertEquals(
                new EventsHandler.Query(Long.MAX_VALUE, EventsHandler.MAX_LIMIT, EventsHandler.MAX_WAIT_SECONDS),
                parse("after", Long.toString(Long.MAX_VALUE), "limit", "1000", "wait", "30")
                        .value());
        assertEquals(
                new EventsHandler.Query(0, 1, 0),
                parse("after", "0", "limit", "1", "wait", "0").value());
        assertEquals(7, parse("after", "007").value().after(), "leading zeros are digits too");
    }

    @Test
    void numbersOutOfBoundsAreRefusedNamingTheParameter() {
        refused("limit", "limit", "0");
        refused("limit", "limit", "1001");
        refused("wait", "wait", "31");
        refused("after", "after", "9223372036854775808"); // one past the largest long
        refused("after", "after", "99999999999999999999");
    }

    @Test
    void anythingButPlainDigitsIsRefused() {
        for (String bad : new String[] {"", "-1", "+1", " 1", "1 ", "1.0", "1e3", "0x10", "abc", "١"}) {
            refused("after", "after", bad);
        }
    }

    @Test
    void aParameterGivenTwiceIsRefused() {
        refused("after", "after", "1", "after", "1");
    }

    @Test
    void theFirstParameterAtFaultIsNamed() {
        refused("after", "after", "x", "limit", "0", "wait", "99");
        refused("limit", "after", "5", "limit", "0", "wait", "99");
    }
}
