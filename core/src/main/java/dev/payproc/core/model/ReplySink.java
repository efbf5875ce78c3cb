package dev.payproc.core.model;

import java.util.concurrent.Executor;

/**
 * Where a stage sends a request's answer. {@link #send} must run on {@link #executor()}, the event loop
 * that owns the request; stages group replies by executor so one hop carries a whole batch.
 */
public interface ReplySink {
    Executor executor();

    void send(Reply reply);
}
