package dev.payproc.core.pipeline;

import dev.payproc.core.model.Reply;
import dev.payproc.core.model.ReplySink;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the processor knows about one {@code Idempotency-Key} while its first request is in flight and after.
 * The risk stage (single writer of the key table) creates it and parks concurrent duplicates on it; the
 * settlement writer that commits the first request completes it, which answers every parked duplicate.
 * The waiter list is a lock-free stack closed by completion, so no duplicate is ever left unanswered.
 */
public final class IdempotencyEntry {
    private static final Waiter CLOSED = new Waiter(null, null);

    private record Waiter(ReplySink sink, Waiter next) {}

    private final byte[] requestHash;
    private final AtomicReference<Waiter> waiters = new AtomicReference<>();
    private volatile Reply outcome;

    public IdempotencyEntry(byte[] requestHash) {
        this.requestHash = requestHash;
    }

    public boolean sameRequest(byte[] otherHash) {
        return Arrays.equals(requestHash, otherHash);
    }

    /** The first request's answer, or null while it is in flight. */
    public Reply outcome() {
        return outcome;
    }

    /** Whether the first request ended without committing anything, so the key may be used afresh. */
    public boolean failedWithoutCommit() {
        Reply r = outcome;
        return r != null && r.status() >= 500;
    }

    /** Parks a duplicate until the first request completes; false when it already has (read {@link #outcome()}). */
    public boolean park(ReplySink duplicate) {
        while (true) {
            Waiter head = waiters.get();
            if (head == CLOSED) return false;
            if (waiters.compareAndSet(head, new Waiter(duplicate, head))) return true;
        }
    }

    /** Records the first request's answer and answers every parked duplicate on its own event loop. */
    public void complete(Reply original) {
        outcome = original;
        Waiter w = waiters.getAndSet(CLOSED);
        Reply forDuplicates = replayOf(original);
        for (; w != null && w != CLOSED; w = w.next) {
            ReplySink sink = w.sink;
            sink.executor().execute(() -> sink.send(forDuplicates));
        }
    }

    /** What a duplicate hears: a committed answer is replayed as {@code 200} with the same body. */
    public static Reply replayOf(Reply original) {
        if (original.status() / 100 != 2) return original;
        return new Reply(200, original.body(), true, 0);
    }
}
