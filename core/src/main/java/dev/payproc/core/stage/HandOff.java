package dev.payproc.core.stage;

import java.lang.invoke.VarHandle;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.MpscArrayQueue;

/**
 * The bounded, lock-free hand-off between two stages: many producers, one consumer. A full queue refuses
 * at once ({@link #offer} returns false) so producers answer {@code 503} instead of blocking. After
 * offering, a producer calls {@link #signal()} so an idle consumer wakes up; consumers register how they
 * are woken (unpark a thread, schedule an event-loop task).
 */
public final class HandOff<T> {
    private final String name;
    private final MpscArrayQueue<T> queue;
    private volatile Runnable waker = () -> {};

    public HandOff(String name, int capacity) {
        this.name = name;
        this.queue = new MpscArrayQueue<>(capacity);
    }

    public boolean offer(T item) {
        return queue.offer(item);
    }

    /**
     * Wakes the consumer if it idles. The full fence orders the producer's earlier offers before its read of
     * the consumer's idle flag; the consumer publishes that flag before its last look at the queue, so one of
     * the two always sees the other (no lost wake-up).
     */
    public void signal() {
        VarHandle.fullFence();
        waker.run();
    }

    /** Registers how the (single) consumer is woken. */
    public void onSignal(Runnable waker) {
        this.waker = waker;
    }

    /** Consumer only: hands up to {@code limit} items to {@code consumer}; returns how many. */
    public int drain(MessagePassingQueue.Consumer<T> consumer, int limit) {
        return queue.drain(consumer, limit);
    }

    public boolean isEmpty() {
        return queue.isEmpty();
    }

    public int size() {
        return queue.size();
    }

    public int capacity() {
        return queue.capacity();
    }

    public String name() {
        return name;
    }
}
