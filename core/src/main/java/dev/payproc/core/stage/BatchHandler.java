package dev.payproc.core.stage;

/** What a {@link StageThread} does with the items it drains, one batch at a time. */
public interface BatchHandler<T> {
    /**
     * Called once on the stage thread before it drains anything: the place to take over state built on another
     * thread before start (see {@link ThreadOwner#bindToCurrentThread}). A failure here ends the thread.
     */
    default void onStart() {}

    /**
     * Handles one item. An exception fails only this item: see {@link #onItemFailed}. An {@link Error} is answered
     * the same way and then ends the stage thread (see {@link StageThread}).
     */
    void onItem(T item);

    /** Answers an item whose handling threw, so its client hears a clear error; should not throw (that is only logged). */
    void onItemFailed(T item, Throwable failure);

    /** Called after each non-empty batch, e.g. to wake the next stage once per batch instead of per item. */
    default void onBatchEnd() {}

    /** Called after each park of an idle stage (at most once per park): housekeeping goes here. */
    default void onIdle(long nowNanos) {}
}
