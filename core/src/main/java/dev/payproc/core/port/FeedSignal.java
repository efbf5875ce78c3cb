package dev.payproc.core.port;

/**
 * Told by a settlement writer that it committed events of a merchant, so the feed's waiting readers in this process
 * look again at once (those of other processes find them by reading again at an interval). Called on the writer's
 * event loop: it must return at once.
 */
@FunctionalInterface
public interface FeedSignal {
    FeedSignal NONE = merchantId -> {};

    void committed(String merchantId);
}
