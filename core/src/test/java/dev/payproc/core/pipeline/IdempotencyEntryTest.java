package dev.payproc.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.core.model.Reply;
import dev.payproc.core.model.ReplySink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

class IdempotencyEntryTest {
    private static final class Recording implements ReplySink {
        final List<Reply> replies = new ArrayList<>();

        @Override
        public Executor executor() {
            return Runnable::run;
        }

        @Override
        public void send(Reply reply) {
            replies.add(reply);
        }
    }

    @Test
    void parkedDuplicatesHearTheCommittedAnswerAsAReplay() {
        IdempotencyEntry e = new IdempotencyEntry(new byte[] {1, 2});
        Recording a = new Recording();
        Recording b = new Recording();
        assertTrue(e.park(a));
        assertTrue(e.park(b));
        assertNull(e.outcome());
        e.complete(Reply.of(201, "{\"id\":1}"));
        assertEquals(List.of(new Reply(200, "{\"id\":1}", true, 0)), a.replies);
        assertEquals(List.of(new Reply(200, "{\"id\":1}", true, 0)), b.replies);
        assertFalse(e.park(new Recording()), "after completion a duplicate is answered from outcome()");
        assertEquals(201, e.outcome().status());
        assertFalse(e.failedWithoutCommit());
    }

    @Test
    void aFailureIsPassedOnAsIsAndFreesTheKey() {
        IdempotencyEntry e = new IdempotencyEntry(new byte[] {1});
        Recording a = new Recording();
        e.park(a);
        Reply unavailable = new Reply(503, "{}", false, 1);
        e.complete(unavailable);
        assertEquals(List.of(unavailable), a.replies);
        assertTrue(e.failedWithoutCommit());
    }

    @Test
    void comparesRequestsByHash() {
        IdempotencyEntry e = new IdempotencyEntry(new byte[] {1, 2, 3});
        assertTrue(e.sameRequest(new byte[] {1, 2, 3}));
        assertFalse(e.sameRequest(new byte[] {1, 2, 4}));
    }
}
