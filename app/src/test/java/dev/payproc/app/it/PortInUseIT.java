package dev.payproc.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.app.Main;
import dev.payproc.core.config.DatabaseSettings;
import dev.payproc.testkit.TestDatabase;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The real process (its {@code main}, in a JVM of its own) started on a port that another program holds: it exits
 * at once, non-zero, with one line that names the address, and no stack trace.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PortInUseIT {
    /** Generous for a slow box: the old behaviour took about two minutes; a healthy failure takes a few seconds. */
    private static final long EXIT_BOUND_SECONDS = 30;

    private TestDatabase db;

    @BeforeAll
    void start() {
        db = new TestDatabase();
    }

    @AfterAll
    void stop() {
        if (db != null) db.close();
    }

    @Test
    void aPlainPortInUseEndsTheProcessAtOnceWithOneLineNamingIt() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("0.0.0.0", 0));
            int port = taken.getLocalPort();
            Exit exit = run(Map.of("PORT", Integer.toString(port)));
            assertFailsCleanly(exit, "cannot listen on 0.0.0.0:" + port + ": address already in use");
        }
    }

    @Test
    void aTlsPortInUseEndsTheProcessAtOnceWithOneLineNamingIt() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("0.0.0.0", 0));
            int tlsPort = taken.getLocalPort();
            Exit exit = run(
                    Map.of("PORT", Integer.toString(TestProcessor.freePort()), "TLS_PORT", Integer.toString(tlsPort)));
            assertFailsCleanly(exit, "cannot listen on 0.0.0.0:" + tlsPort + ": address already in use");
        }
    }

    private static void assertFailsCleanly(Exit exit, String expected) {
        assertTrue(exit.exited(), "still running after " + EXIT_BOUND_SECONDS + " s:\n" + exit.output());
        assertNotEquals(0, exit.code(), exit.output());
        List<String> matching =
                exit.lines().stream().filter(l -> l.contains(expected)).toList();
        assertTrue(matching.size() == 1, "one line with '" + expected + "':\n" + exit.output());
        assertEquals(
                1,
                exit.lines().stream().filter(l -> l.contains("SEVERE")).count(),
                "one error line:\n" + exit.output());
        for (String line : exit.lines()) {
            assertFalse(line.contains("Exception"), "no exception names: " + line + "\n" + exit.output());
            assertFalse(line.trim().startsWith("at "), "no stack trace: " + line + "\n" + exit.output());
        }
        System.out.println("exited " + exit.code() + " after " + exit.millis() + " ms:\n" + exit.output());
    }

    private record Exit(boolean exited, int code, long millis, String output) {
        List<String> lines() {
            return output.lines().toList();
        }
    }

    /** Runs {@link Main} in a JVM of its own, as an operator would, and waits (bounded) for it to end. */
    private Exit run(Map<String, String> overrides) throws IOException, InterruptedException {
        DatabaseSettings s = db.settings();
        Path out = Files.createTempFile("payproc-port-in-use", ".log");
        ProcessBuilder pb = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(out.toFile());
        Map<String, String> env = pb.environment();
        env.put("PGHOST", s.host());
        env.put("PGPORT", Integer.toString(s.port()));
        env.put("PGDATABASE", s.database());
        env.put("PGUSER", s.user());
        env.put("PGPASSWORD", s.password());
        env.put("EVENT_LOOPS", "2");
        env.put("DEV_KEYS", "1");
        env.putAll(overrides);
        long started = System.nanoTime();
        Process p = pb.start();
        try {
            boolean exited = p.waitFor(EXIT_BOUND_SECONDS, TimeUnit.SECONDS);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            if (!exited) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            return new Exit(exited, exited ? p.exitValue() : -1, millis, Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            if (p.isAlive()) p.destroyForcibly();
            Files.deleteIfExists(out);
        }
    }
}
