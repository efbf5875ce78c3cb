package dev.payproc.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.AttributeKey;
import org.junit.jupiter.api.Test;

class ConnectionFailuresTest {
    @Test
    void theFailureThatReachesTheLimitClosesTheConnectionAndOnlyThatOne() {
        ConnectionFailures failures = new ConnectionFailures();
        for (int i = 1; i < ConnectionFailures.LIMIT; i++)
            assertFalse(failures.failed(), "failure " + i + " of " + ConnectionFailures.LIMIT + " keeps it open");
        assertTrue(failures.failed(), "the " + ConnectionFailures.LIMIT + "th closes it");
        for (int i = 0; i < 1_000; i++)
            assertFalse(failures.failed(), "streams answered while it closes do not close it again");
        assertEquals(ConnectionFailures.LIMIT, failures.count(), "and the count stays bounded");
    }

    @Test
    void theLimitMattersBeforeTheAddressLimitDoes() {
        assertTrue(ConnectionFailures.LIMIT < AuthFailures.LIMIT);
    }

    @Test
    void eachConnectionCountsForItselfOnItsOwnChannel() {
        EmbeddedChannel one = new EmbeddedChannel();
        EmbeddedChannel other = new EmbeddedChannel();
        assertNull(
                one.attr(AttributeKey.valueOf(ConnectionFailures.class, "authenticationFailures"))
                        .get(),
                "nothing is kept for a connection that never failed");
        ConnectionFailures ofOne = ConnectionFailures.of(one);
        assertSame(ofOne, ConnectionFailures.of(one), "one count per connection");
        for (int i = 1; i < ConnectionFailures.LIMIT; i++)
            ConnectionFailures.of(one).failed();
        assertFalse(ConnectionFailures.of(other).failed(), "another connection from anywhere starts at zero");
        assertTrue(ConnectionFailures.of(one).failed());
        assertEquals(1, ConnectionFailures.of(other).count());
        one.close();
        other.close();
    }
}
