package dev.payproc.core.stage;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Checks a single-writer invariant: the state it guards is touched by one thread only. The owner is the first
 * thread that checks, or the one {@link #bindToCurrentThread bound} explicitly, e.g. a stage thread taking over
 * state built before it started (thread start publishes that state to it). Checks are meant for {@code assert}
 * statements, so they run in tests (Surefire enables assertions) and cost nothing in production:
 * <pre>{@code assert owner.isCurrent() : owner;}</pre>
 */
public final class ThreadOwner {
    private final String what;
    private final AtomicReference<Thread> owner = new AtomicReference<>();

    /** {@code what} names the guarded state in a failed check's message. */
    public ThreadOwner(String what) {
        this.what = what;
    }

    /** The calling thread owns the state from now on, whoever touched it before. */
    public void bindToCurrentThread() {
        owner.set(Thread.currentThread());
    }

    /** Whether the calling thread owns the state; the first thread to ask becomes its owner if none is bound. */
    public boolean isCurrent() {
        Thread me = Thread.currentThread();
        return owner.compareAndSet(null, me) || owner.get() == me;
    }

    /** The failed check's message, from the calling (offending) thread's point of view. */
    @Override
    public String toString() {
        Thread o = owner.get();
        return what + " is owned by thread " + (o == null ? "(none yet)" : o.getName()) + " but was touched by "
                + Thread.currentThread().getName();
    }
}
