package dev.payproc.core.port;

import dev.payproc.core.pipeline.Command;

/** Where admitted commands go: the intake queue of the risk shard that owns them. */
public interface CommandRouter {
    /** Offers the command to its shard's bounded queue; false when that queue is full. */
    boolean offer(Command command);

    /** Wakes the shards whose queues received commands since the last signal. */
    void signalWaiting();
}
