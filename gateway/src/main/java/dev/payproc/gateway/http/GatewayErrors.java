package dev.payproc.gateway.http;

import dev.payproc.core.model.Errors;
import dev.payproc.core.model.Reply;

/** The gateway's fixed answers, built once. */
final class GatewayErrors {
    static final Reply OVERLOADED = Errors.retryLater(
            503, "overloaded", "the processor is at capacity; nothing was committed, retry shortly", 1);
    static final Reply UNAVAILABLE =
            Errors.retryLater(503, "unavailable", "the database is unavailable; nothing was committed", 1);
    static final Reply SHUTTING_DOWN = Errors.retryLater(
            503, "unavailable", "the processor is shutting down; nothing was committed, retry on another instance", 1);

    static final Reply RATE_LIMITED_TERMINAL = Errors.retryLater(
            429, "rate_limited", "this terminal is over its rate limit; nothing was committed, retry shortly", 1);
    static final Reply RATE_LIMITED_MERCHANT = Errors.retryLater(
            429, "rate_limited", "this merchant is over its rate limit; nothing was committed, retry shortly", 1);

    /** A caller whose address failed authentication too often, told when its window ends (terminal and admin keys). */
    static Reply tooManyFailedAuthentications(long retryAfterSeconds) {
        return Errors.retryLater(
                429, "rate_limited", "too many failed authentications from this address; retry later", (int)
                        retryAfterSeconds);
    }

    private GatewayErrors() {}
}
