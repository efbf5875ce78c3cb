package dev.payproc.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.testkit.Bodies;
import dev.payproc.testkit.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The full PAN never reaches a response, a log line or a table column in clear. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CardDataSecrecyIT {
    private final List<String> logLines = Collections.synchronizedList(new ArrayList<>());
    private final Handler capture = new Handler() {
        private final SimpleFormatter format = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
            logLines.add(format.format(record));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private Level rootLevel;
    private TestDatabase db;
    private TestProcessor app;

    @BeforeAll
    void start() {
        Logger root = Logger.getLogger("");
        rootLevel = root.getLevel();
        root.setLevel(Level.ALL); // debug logging too must not leak card data
        capture.setLevel(Level.ALL);
        root.addHandler(capture);
        db = new TestDatabase();
        app = new TestProcessor(db.settings());
    }

    @AfterAll
    void stop() {
        if (app != null) app.close();
        if (db != null) db.close();
        Logger root = Logger.getLogger("");
        root.removeHandler(capture);
        root.setLevel(rootLevel);
    }

    @Test
    void noFullPanAnywhere() {
        String pan = Bodies.freshPan();
        List<String> responses = new ArrayList<>();
        // Approved, declined, replayed, conflicting, and refused requests that carry the PAN.
        responses.add(app.authorize("s-1", Bodies.valid(pan).encode()).body());
        responses.add(app.authorize("s-1", Bodies.valid(pan).encode()).body());
        responses.add(app.authorize("s-1", Bodies.valid(pan).put("amount", 7).encode())
                .body());
        responses.add(
                app.authorize("s-2", Bodies.valid(pan).put("amount", 5_000_000).encode())
                        .body());
        responses.add(app.authorize(
                        "s-3",
                        Bodies.valid(pan)
                                .put("card", new JsonObject().put("pan", pan).put("expiry", "01/19"))
                                .encode())
                .body());
        responses.add(
                app.authorize("s-4", Bodies.valid(pan).put("mcc", pan).encode()).body());
        responses.add(
                app.authorize("s-5", "{\"card\":{\"pan\":\"" + pan + "x\"").body());
        responses.add(app.authorize("s-6", "{\"card\":{\"pan\":" + pan + "}}").body());
        String badLuhn = pan.substring(0, 15) + ((pan.charAt(15) - '0' + 1) % 10);
        responses.add(app.authorize("s-7", Bodies.valid(badLuhn).encode()).body());
        for (int i = 0; i < 6; i++)
            responses.add(app.authorize("v-" + i, Bodies.valid(pan).encode()).body());

        // s-1, s-2 and the six v-* attempts are payments of this card; the rest were refused before the pipeline.
        assertEquals(
                8,
                db.count(
                        "SELECT count(*) FROM payments WHERE masked_pan = $1",
                        pan.substring(0, 6) + "******" + pan.substring(12)));
        List<String> rows = db.dumpAllRows();
        assertTrue(rows.size() > 10, "the dump must see the stored rows: " + rows.size());
        for (String secret : List.of(pan, badLuhn)) {
            for (String r : responses) assertFalse(r.contains(secret), "response leaks the PAN: " + r);
            for (String row : rows) assertFalse(row.contains(secret), "table row leaks the PAN: " + row);
            synchronized (logLines) {
                for (String line : logLines) assertFalse(line.contains(secret), "log leaks the PAN: " + line);
            }
        }
        // The ciphertext is there for clearing, and it is not the PAN in another encoding.
        assertEquals(1, db.count("SELECT count(*) FROM cards WHERE octet_length(pan_ciphertext) = 12 + 16 + 16"));
    }
}
