package dev.payproc.core.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ThreadOwnerTest {
    /** What a guarded method does: the check runs only with assertions enabled. */
    private static void touch(ThreadOwner owner) {
        assert owner.isCurrent() : owner;
    }

    private static Throwable touchOn(String threadName, ThreadOwner owner) throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(
                () -> {
                    try {
                        touch(owner);
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                },
                threadName);
        t.start();
        t.join();
        return failure.get();
    }

    @Test
    void testsRunWithAssertionsEnabled() {
        boolean enabled = false;
        assert enabled = true;
        assertTrue(enabled, "Surefire must run with -ea, or no single-writer check runs in any test");
    }

    @Test
    void theFirstToucherOwnsAndAnotherThreadTrips() throws Exception {
        ThreadOwner owner = new ThreadOwner("the test's table");
        touch(owner);
        touch(owner);
        Throwable tripped = touchOn("intruder", owner);
        assertInstanceOf(AssertionError.class, tripped);
        assertEquals(
                "the test's table is owned by thread " + Thread.currentThread().getName()
                        + " but was touched by intruder",
                tripped.getMessage());
    }

    @Test
    void bindingHandsStateBuiltOnOneThreadToAnother() throws Exception {
        ThreadOwner owner = new ThreadOwner("rebuilt state");
        touch(owner); // built here, before the owning thread starts
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread stage = new Thread(
                () -> {
                    owner.bindToCurrentThread();
                    try {
                        touch(owner);
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                },
                "stage");
        stage.start();
        stage.join();
        assertEquals(null, failure.get(), "the bound thread may touch it");
        assertFalse(owner.isCurrent(), "and the builder no longer may");
    }
}
