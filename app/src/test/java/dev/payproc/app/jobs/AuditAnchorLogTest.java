package dev.payproc.app.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.core.port.SealTrail.Anchor;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AuditAnchorLogTest {
    private static final long INTERVAL = 300_000;
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final AtomicInteger reads = new AtomicInteger();
    private final List<String> lines = new ArrayList<>();
    private List<Anchor> heads = List.of();
    private final AuditAnchorLog log = new AuditAnchorLog(
            () -> {
                reads.incrementAndGet();
                return Future.succeededFuture(heads);
            },
            now::get,
            INTERVAL,
            lines::add);

    private static Anchor a(String chain, long seq) {
        return new Anchor(chain, seq, Long.toHexString(seq).repeat(64).substring(0, 64));
    }

    private String pollAt(long offsetMillis) {
        now.addAndGet(offsetMillis);
        return log.poll().result();
    }

    @Test
    void logsTheHeadsThatMovedAtMostOncePerIntervalAndOnlyWhenOneDid() {
        assertNull(pollAt(0), "no chain yet: nothing to publish");
        assertEquals(1, reads.get());

        heads = List.of(a("admin", 3), a("writer-1", 10));
        assertNull(pollAt(INTERVAL - 1), "changed, but read less than an interval ago: not even read");
        assertEquals(1, reads.get());
        String first = pollAt(1);
        assertEquals(2, reads.get());
        assertTrue(
                first.endsWith(": admin:3:" + a("admin", 3).hash() + " writer-1:10:"
                        + a("writer-1", 10).hash()),
                first);
        assertTrue(first.contains("2 of 2 chains"), first);

        assertNull(pollAt(INTERVAL), "an interval later, nothing moved: read, no line");
        assertEquals(3, reads.get());

        heads = List.of(a("admin", 4), a("writer-1", 10), a("writer-2", 1));
        for (int i = 0; i < 100; i++) assertNull(pollAt(INTERVAL / 200), "bounded: at most one read per interval");
        assertEquals(3, reads.get());
        String second = pollAt(INTERVAL / 2);
        assertEquals(4, reads.get());
        assertTrue(
                second.endsWith(": admin:4:" + a("admin", 4).hash() + " writer-2:1:"
                        + a("writer-2", 1).hash()),
                second);
        assertTrue(second.contains("2 of 3 chains"), "only the chains whose head moved: " + second);
        assertEquals(2, lines.size(), lines.toString());
        assertEquals(List.of(first, second), lines);
    }

    @Test
    void aFailedReadIsTriedAgainAnIntervalLaterAndLogsNothing() {
        AtomicInteger calls = new AtomicInteger();
        AuditAnchorLog failing = new AuditAnchorLog(
                () -> calls.incrementAndGet() == 1
                        ? Future.failedFuture("database down")
                        : Future.succeededFuture(List.of(a("admin", 1))),
                now::get,
                INTERVAL,
                lines::add);
        assertNull(failing.poll().result());
        assertNull(failing.poll().result());
        assertEquals(1, calls.get());
        now.addAndGet(INTERVAL);
        assertTrue(failing.poll().result().endsWith("admin:1:" + a("admin", 1).hash()));
        assertEquals(1, lines.size());
    }
}
