package dev.payproc.app.it;

import dev.payproc.testkit.Await;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real webhook receiver for the tests: an HTTP server on 127.0.0.1 (port 0) that records every request and answers
 * as {@link #answer(Behaviour)} says: a status, at once or after a delay (one past the sender's timeout is a timeout).
 */
final class WebhookReceiver implements AutoCloseable {
    /** One request as it arrived; {@code accepted} when it was answered 2xx at once (the sender surely saw it). */
    record Received(
            int index,
            Instant at,
            String eventId,
            long seq,
            int attempt,
            boolean resend,
            String signature,
            String contentType,
            String body,
            boolean accepted) {}

    /** How to answer the {@code index}-th request (0 first). */
    @FunctionalInterface
    interface Behaviour {
        Answer answer(int index);
    }

    /** A status, sent after {@code delayMillis} (0: at once). */
    record Answer(int status, long delayMillis) {
        static Answer now(int status) {
            return new Answer(status, 0);
        }
    }

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger mostOpen = new AtomicInteger();
    private volatile Behaviour behaviour = i -> Answer.now(200);

    WebhookReceiver() {
        server = Await.result(
                vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1"));
    }

    private void handle(HttpServerRequest req) {
        mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
        req.body().onSuccess(body -> {
            int index;
            Answer a;
            synchronized (this) { // the index and the answer it gets, in arrival order
                index = received.size();
                a = behaviour.answer(index);
                received.add(new Received(
                        index,
                        Instant.now(),
                        req.getHeader("Payproc-Event-Id"),
                        Long.parseLong(req.getHeader("Payproc-Event-Seq")),
                        Integer.parseInt(req.getHeader("Payproc-Delivery-Attempt")),
                        "true".equals(req.getHeader("Payproc-Resend")),
                        req.getHeader("Payproc-Signature"),
                        req.getHeader("Content-Type"),
                        body.toString(),
                        a.delayMillis() == 0 && a.status() / 100 == 2));
            }
            Runnable end = () -> {
                open.decrementAndGet();
                if (!req.response().closed())
                    req.response().setStatusCode(a.status()).end();
            };
            if (a.delayMillis() == 0) end.run();
            else vertx.setTimer(a.delayMillis(), t -> end.run());
        });
    }

    void answer(Behaviour b) {
        behaviour = b;
    }

    String url() {
        return "http://127.0.0.1:" + server.actualPort() + "/hooks";
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    List<Received> accepted() {
        return received.stream().filter(Received::accepted).toList();
    }

    /** Requests read and not answered yet. */
    int open() {
        return open.get();
    }

    /** The most requests ever open at once. */
    int mostOpen() {
        return mostOpen.get();
    }

    @Override
    public void close() {
        Await.result(vertx.close());
    }
}
