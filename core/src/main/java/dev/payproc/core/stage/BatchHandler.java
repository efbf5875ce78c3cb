package dev.payproc.core.stage;

/** What a {@link StageThread} does with the items it drains, one batch at a time. */
public interface BatchHandler<T> {
    /** Handles one item. An exception fails only this item: see {@link #onItemFailed}. */
    void onItem(T item);

    /** Answers an item whose handling threw, so its client hears a clear error; must not throw. */
    void onItemFailed(T item, Throwable failure);

    /** Called after each non-empty batch, e.g. to wake the next stage once per batch instead of per item. */
    default void onBatchEnd() { }

    /** Called when the stage has found nothing to do, at most every park period: housekeeping goes here. */
    default void onIdle(long nowNanos) { }
}
