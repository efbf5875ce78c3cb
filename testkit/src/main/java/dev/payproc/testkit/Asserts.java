package dev.payproc.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;

/** What every test expects of an answer, said once. */
public final class Asserts {
    private Asserts() {}

    /**
     * An error answer as the contract shapes it: the status, a JSON body with {@code error}, a human {@code message}
     * and, when {@code field} is not null, that {@code field}.
     */
    public static void assertError(H2Client.Response r, int status, String error, String field) {
        assertEquals(status, r.status(), r.body());
        assertTrue(r.header("content-type").startsWith("application/json"), r.header("content-type"));
        JsonObject e;
        try {
            e = r.json();
        } catch (RuntimeException notJson) {
            throw new AssertionError(
                    "not a JSON error body: [" + r.body() + "] status " + r.status() + " headers "
                            + r.headers().entries(),
                    notJson);
        }
        assertEquals(error, e.getString("error"), r.body());
        assertFalse(e.getString("message", "").isBlank(), "a human message is required: " + r.body());
        if (field != null) assertEquals(field, e.getString("field"), r.body());
    }
}
