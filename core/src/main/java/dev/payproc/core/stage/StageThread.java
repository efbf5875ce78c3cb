package dev.payproc.core.stage;

import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jctools.queues.MessagePassingQueue;

/**
 * A single-writer stage: one thread drains its {@link HandOff} in batches of up to {@code batchCap}
 * (smart batching: batches grow with load and shrink to one when idle). When idle it follows its
 * {@link IdleStrategy} (by default a brief spin, then parks of at most 50 ms), and a producer's signal
 * unparks it at once; it never busy-spins for long on a shared core. {@link #stop} ends it within one park period.
 * <p>
 * Failures follow the Disruptor's default policy for fatal errors. An {@link Exception} from a handler fails
 * only its item (answered through {@link BatchHandler#onItemFailed}) or is logged (end of batch, idle
 * housekeeping), and the loop goes on. An {@link Error} (out of memory, stack overflow, a failed assertion)
 * means the thread's state can no longer be trusted: its item is still answered if possible, the error is
 * logged and rethrown, and the thread ends, so {@link #isAlive} turns false and readiness with it.
 */
public final class StageThread<T> implements Runnable {
    private static final Logger LOG = Logger.getLogger(StageThread.class.getName());

    private final HandOff<T> input;
    private final BatchHandler<T> handler;
    private final MessagePassingQueue.Consumer<T> handleSafely = this::handleSafely; // once: not a lambda per drain
    private final IdleStrategy.Parker parkUntilSignalled = this::parkUntilSignalled; // once, likewise
    private final IdleStrategy idle;
    private final int batchCap;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Thread parked;

    /** A stage with the default idle behaviour: {@link BackoffIdleStrategy#BackoffIdleStrategy()}. */
    public StageThread(String name, HandOff<T> input, BatchHandler<T> handler, int batchCap) {
        this(name, input, handler, batchCap, new BackoffIdleStrategy());
    }

    /** {@code idle} must serve this thread alone: it keeps the step of the current idle period. */
    public StageThread(String name, HandOff<T> input, BatchHandler<T> handler, int batchCap, IdleStrategy idle) {
        if (batchCap < 1) throw new IllegalArgumentException("batchCap must be at least 1");
        this.input = input;
        this.handler = handler;
        this.batchCap = batchCap;
        this.idle = idle;
        this.thread = new Thread(this, name);
        this.thread.setDaemon(true);
        input.onSignal(() -> {
            Thread t = parked;
            if (t != null) LockSupport.unpark(t);
        });
    }

    public StageThread<T> start() {
        thread.start();
        return this;
    }

    @Override
    public void run() {
        try {
            handler.onStart();
        } catch (Throwable fatal) {
            LOG.log(Level.SEVERE, thread.getName() + ": start failed; the stage ends", fatal);
            throw fatal;
        }
        while (running) {
            if (input.drain(handleSafely, batchCap) > 0) {
                idle.reset();
                endBatchSafely();
            } else {
                idle.idle(parkUntilSignalled);
            }
        }
    }

    private void parkUntilSignalled(long maxNanos) {
        parked = thread;
        if (input.isEmpty() && running) {
            LockSupport.parkNanos(this, maxNanos);
        }
        parked = null;
        try {
            handler.onIdle(System.nanoTime());
        } catch (Exception e) {
            LOG.log(Level.SEVERE, thread.getName() + ": idle housekeeping failed; the stage goes on", e);
        } catch (Throwable fatal) {
            LOG.log(Level.SEVERE, thread.getName() + ": idle housekeeping failed fatally; the stage ends", fatal);
            throw fatal;
        }
    }

    private void handleSafely(T item) {
        try {
            handler.onItem(item);
        } catch (Exception failure) {
            answer(item, failure);
            LOG.log(Level.SEVERE, thread.getName() + ": an item failed; the stage goes on", failure);
        } catch (Throwable fatal) {
            answer(item, fatal);
            LOG.log(Level.SEVERE, thread.getName() + ": an item failed fatally; the stage ends", fatal);
            throw fatal;
        }
    }

    /** Tells the item's client; a failure to do so is kept with the original one, which is what gets logged. */
    private void answer(T item, Throwable failure) {
        try {
            handler.onItemFailed(item, failure);
        } catch (Throwable secondary) {
            failure.addSuppressed(secondary);
        }
    }

    private void endBatchSafely() {
        try {
            handler.onBatchEnd();
        } catch (Exception e) {
            LOG.log(Level.SEVERE, thread.getName() + ": end of batch failed; the stage goes on", e);
        } catch (Throwable fatal) {
            LOG.log(Level.SEVERE, thread.getName() + ": end of batch failed fatally; the stage ends", fatal);
            throw fatal;
        }
    }

    /** Asks the loop to end and waits for it, at most {@code timeoutMillis}; returns whether it ended. */
    public boolean stop(long timeoutMillis) throws InterruptedException {
        running = false;
        LockSupport.unpark(thread);
        thread.join(timeoutMillis);
        return !thread.isAlive();
    }

    public boolean isAlive() {
        return thread.isAlive();
    }

    public String name() {
        return thread.getName();
    }
}
