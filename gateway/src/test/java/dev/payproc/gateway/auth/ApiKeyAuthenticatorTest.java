package dev.payproc.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ApiKeyAuthenticatorTest {
    private final AtomicInteger queries = new AtomicInteger();
    private final List<Promise<String>> pending = new ArrayList<>();
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final ApiKeyAuthenticator auth = new ApiKeyAuthenticator(
            hash -> {
                queries.incrementAndGet();
                Promise<String> p = Promise.promise();
                pending.add(p);
                return p.future();
            },
            nanos::get);

    @Test
    void concurrentMissesShareOneDatabaseQueryThenTheCacheAnswers() {
        List<Future<String>> asked = new ArrayList<>();
        for (int i = 0; i < 50; i++) asked.add(auth.merchantFor("sk_live_1"));
        assertEquals(1, queries.get(), "one query for fifty concurrent requests");
        assertTrue(asked.stream().noneMatch(Future::isComplete), "all wait for it");
        pending.get(0).complete("m-1");
        for (Future<String> f : asked) assertEquals("m-1", f.result());
        assertEquals("m-1", auth.merchantFor("sk_live_1").result());
        assertEquals(1, queries.get(), "then cached");
    }

    @Test
    void anUnknownKeyIsRememberedBrieflyAndAFailureIsNotKept() {
        Future<String> first = auth.merchantFor("sk_guess");
        pending.get(0).complete(null);
        assertNull(first.result());
        assertNull(auth.merchantFor("sk_guess").result(), "answered from memory");
        assertEquals(1, queries.get(), "a repeated wrong key costs no query");
        nanos.addAndGet(ApiKeyAuthenticator.UNKNOWN_TTL_NANOS);
        Future<String> again = auth.merchantFor("sk_guess");
        assertEquals(2, queries.get(), "asked again once the short memory has passed (the key may exist by now)");
        pending.get(1).fail("database down");
        assertTrue(again.failed());
        auth.merchantFor("sk_guess");
        assertEquals(3, queries.get(), "a failed lookup is not shared with later requests");
    }

    @Test
    void guessingFillsOnlyABoundedMemoryAndNeverEvictsAKnownKey() {
        Future<String> known = auth.merchantFor("sk_live_1");
        pending.get(0).complete("m-1");
        assertEquals("m-1", known.result());
        for (int i = 0; i < 3 * ApiKeyAuthenticator.MAX_UNKNOWN; i++) {
            auth.merchantFor("sk_guess_" + i);
            pending.get(pending.size() - 1).complete(null);
            assertTrue(auth.unknownRemembered() <= ApiKeyAuthenticator.MAX_UNKNOWN, "bounded");
        }
        int before = queries.get();
        assertEquals("m-1", auth.merchantFor("sk_live_1").result());
        assertEquals(before, queries.get(), "the known key is still answered from the cache");
    }

    @Test
    void anAddressThatFailsTooOftenGetsNoLookupsWhileKnownKeysStillWork() {
        Future<ApiKeyAuthenticator.KeyCheck> known = auth.check("sk_live_1", "10.0.0.9");
        pending.get(0).complete("m-1");
        assertEquals("m-1", known.result().merchantId());
        for (int i = 0; i < AuthFailures.LIMIT; i++) {
            Future<ApiKeyAuthenticator.KeyCheck> wrong = auth.check("sk_guess_" + i, "10.0.0.9");
            pending.get(pending.size() - 1).complete(null);
            assertNull(wrong.result().merchantId());
            assertFalse(wrong.result().throttled());
        }
        int before = queries.get();
        ApiKeyAuthenticator.KeyCheck refused =
                auth.check("sk_guess_more", "10.0.0.9").result();
        assertTrue(refused.throttled(), "the address has used up its failures");
        assertTrue(
                refused.retryAfterSeconds() >= 1 && refused.retryAfterSeconds() <= 10,
                "" + refused.retryAfterSeconds());
        assertEquals(before, queries.get(), "and costs no query");
        assertEquals(
                "m-1", auth.check("sk_live_1", "10.0.0.9").result().merchantId(), "a known key still works from it");
        assertFalse(auth.check("sk_other", "10.0.0.10").isComplete(), "another address is looked up as usual");
        nanos.addAndGet(AuthFailures.WINDOW_NANOS);
        auth.check("sk_guess_later", "10.0.0.9");
        assertEquals(before + 2, queries.get(), "the next window looks keys up again");
    }

    @Test
    void theFailureWindowsAreBoundedWhateverTheAddresses() {
        for (int i = 0; i < 3 * AuthFailures.MAX_ADDRESSES; i++) {
            auth.check("sk_guess", "10.0." + (i / 256) + "." + (i % 256));
            if (!pending.isEmpty() && !pending.get(pending.size() - 1).future().isComplete())
                pending.get(pending.size() - 1).complete(null);
            assertTrue(auth.addressesWithFailures() <= AuthFailures.MAX_ADDRESSES);
        }
    }

    @Test
    void aKeyForgottenWhileItsLookupIsInFlightIsNotCachedByThatLookup() {
        Future<String> inFlight = auth.merchantFor("sk_revoked");
        auth.forget(dev.payproc.core.auth.ApiKeys.hash("sk_revoked")); // revoked while the lookup is out
        pending.get(0).complete("m-1"); // the lookup had read the key before the revocation committed
        assertEquals("m-1", inFlight.result(), "the request that was already waiting gets its answer");
        auth.merchantFor("sk_revoked");
        assertEquals(2, queries.get(), "but the next request asks the database again instead of a stale cache");
    }

    @Test
    void distinctKeysDoNotShareALookup() {
        auth.merchantFor("sk_a");
        auth.merchantFor("sk_b");
        assertEquals(2, queries.get());
    }

    @Test
    void readsTheBearerToken() {
        assertEquals("abc", ApiKeyAuthenticator.bearer("Bearer abc"));
        assertEquals("abc", ApiKeyAuthenticator.bearer("bearer  abc "));
        assertNull(ApiKeyAuthenticator.bearer("Basic abc"));
        assertNull(ApiKeyAuthenticator.bearer("Bearer "));
        assertNull(ApiKeyAuthenticator.bearer(null));
    }
}
