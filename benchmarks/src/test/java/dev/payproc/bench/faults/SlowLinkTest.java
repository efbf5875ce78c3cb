package dev.payproc.bench.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The relay faults.sh puts in front of PostgreSQL: answers come late as its control file says, and never out of order. */
class SlowLinkTest {
    private final Vertx vertx = Vertx.vertx();
    private SlowLink link;

    @AfterEach
    void close() throws Exception {
        if (link != null) link.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void holdsAnswersForTheDelayAndKeepsTheirOrderWhenTheDelayDrops(@TempDir Path dir) throws Exception {
        // The "database": answers each chunk with the same bytes.
        int echoPort = vertx.createNetServer()
                .connectHandler(s -> s.handler(s::write))
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS)
                .actualPort();
        Path control = dir.resolve("delay");
        Files.writeString(control, "0");
        link = new SlowLink(0, "127.0.0.1", echoPort, control);
        int port = link.port();

        StringBuilder received = new StringBuilder();
        CompletableFuture<Void> through = new CompletableFuture<>();
        CompletableFuture<Long> firstAt = new CompletableFuture<>();
        CompletableFuture<Void> all = new CompletableFuture<>();
        NetSocket socket = vertx.createNetClient()
                .connect(port, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        socket.handler(b -> {
            synchronized (received) {
                received.append(b.toString());
                if (received.toString().equals("-")) through.complete(null);
                if (received.length() >= 2) firstAt.complete(System.nanoTime()); // "a", maybe with "b" in one read
                if (received.length() >= 3) all.complete(null);
            }
        });
        socket.write(Buffer.buffer("-")); // once it is back, the relay's connection to the database is up
        through.get(10, TimeUnit.SECONDS);

        Files.writeString(control, "300");
        Thread.sleep(120); // the relay reads the control file every 50 ms
        long sent = System.nanoTime();
        socket.write(Buffer.buffer("a"));
        Thread.sleep(50);
        Files.writeString(control, "0"); // the delay drops while "a" is still held
        Thread.sleep(120);
        socket.write(Buffer.buffer("b")); // answered at once were it not for "a" ahead of it

        all.get(10, TimeUnit.SECONDS);
        assertEquals("-ab", received.toString(), "a later answer never overtakes one still held");
        long heldMillis = TimeUnit.NANOSECONDS.toMillis(firstAt.get(10, TimeUnit.SECONDS) - sent);
        assertTrue(heldMillis >= 290, "held " + heldMillis + " ms");
    }
}
