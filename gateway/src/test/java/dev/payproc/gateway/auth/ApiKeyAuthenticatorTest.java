package dev.payproc.gateway.auth;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiKeyAuthenticatorTest {
    private final AtomicInteger queries = new AtomicInteger();
    private final List<Promise<String>> pending = new ArrayList<>();
    private final ApiKeyAuthenticator auth = new ApiKeyAuthenticator(hash -> {
        queries.incrementAndGet();
        Promise<String> p = Promise.promise();
        pending.add(p);
        return p.future();
    });

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
    void anUnknownKeyIsNotCachedAndAFailureIsNotKept() {
        Future<String> first = auth.merchantFor("sk_guess");
        pending.get(0).complete(null);
        assertNull(first.result());
        Future<String> again = auth.merchantFor("sk_guess");
        assertEquals(2, queries.get(), "unknown keys are asked again, never cached");
        pending.get(1).fail("database down");
        assertTrue(again.failed());
        auth.merchantFor("sk_guess");
        assertEquals(3, queries.get(), "a failed lookup is not shared with later requests");
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
