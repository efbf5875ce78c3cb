package dev.payproc.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AdminGuardTest {
    private static final String KEY = "admin-key-for-tests-0123456789abcdef";
    private final AtomicLong nanos = new AtomicLong();
    private final AdminGuard guard = new AdminGuard(KEY, nanos::get);

    @Test
    void onlyTheAdminKeyIsAllowed() {
        assertTrue(guard.check("Bearer " + KEY, "10.0.0.1").allowed());
        assertFalse(guard.check("Bearer " + KEY + "x", "10.0.0.1").allowed());
        assertFalse(guard.check("Bearer short", "10.0.0.1").allowed());
        assertFalse(guard.check(null, "10.0.0.1").allowed());
        AdminGuard closed = new AdminGuard(Map.of(), nanos::get);
        assertFalse(closed.enabled());
        assertFalse(closed.check("Bearer " + KEY, "10.0.0.1").allowed());
    }

    @Test
    void aNamedKeyActsAsItsNameAndTheUnnamedKeyAsAdmin() {
        assertEquals("admin", guard.check("Bearer " + KEY, "10.0.0.1").actor());
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("admin", KEY);
        keys.put("sre-alice", "alice-key-for-tests-0123456789abcdef");
        keys.put("sre-bob", "bob-key-for-tests-0123456789abcdefgh");
        AdminGuard named = new AdminGuard(keys, nanos::get);
        assertEquals(
                "sre-alice",
                named.check("Bearer alice-key-for-tests-0123456789abcdef", "10.0.0.1")
                        .actor());
        assertEquals(
                "sre-bob",
                named.check("Bearer bob-key-for-tests-0123456789abcdefgh", "10.0.0.1")
                        .actor());
        assertEquals("admin", named.check("Bearer " + KEY, "10.0.0.1").actor());
        AdminGuard.Verdict wrong = named.check("Bearer alice-key-for-tests-0123456789abcdeX", "10.0.0.1");
        assertFalse(wrong.allowed());
        assertEquals(null, wrong.actor());
    }

    @Test
    void anAddressThatFailsTooOftenIsRefusedWithoutAComparisonUntilTheWindowEnds() {
        for (int i = 0; i < AuthFailures.LIMIT; i++) {
            AdminGuard.Verdict wrong = guard.check("Bearer guess-" + i, "10.0.0.9");
            assertFalse(wrong.allowed());
            assertFalse(wrong.throttled(), "failure " + (i + 1) + " is still compared");
        }
        AdminGuard.Verdict refused = guard.check("Bearer " + KEY, "10.0.0.9");
        assertTrue(refused.throttled(), "past the limit even the right key is not compared");
        assertFalse(refused.allowed());
        assertEquals(10, refused.retryAfterSeconds());
        assertTrue(guard.check("Bearer " + KEY, "10.0.0.10").allowed(), "other addresses are not affected");
        for (int i = 0; i < 2 * AuthFailures.LIMIT; i++) guard.check(null, "10.0.0.11");
        assertTrue(guard.check("Bearer " + KEY, "10.0.0.11").allowed(), "requests without a key are no guesses");
        nanos.addAndGet(AuthFailures.WINDOW_NANOS);
        assertTrue(guard.check("Bearer " + KEY, "10.0.0.9").allowed(), "the next window compares again");
    }
}
