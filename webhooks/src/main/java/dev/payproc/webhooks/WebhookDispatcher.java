package dev.payproc.webhooks;

import dev.payproc.core.port.EventFeed;
import dev.payproc.core.port.FeedSignal;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Delivers each endpoint's events in feed order, on a context of its own (never a gateway event loop): every
 * {@link #POLL_MILLIS}, and at once when this process commits an event of a merchant with an endpoint
 * ({@link FeedSignal}), it leases the due
 * endpoints, at most {@code concurrency} in flight and one delivery per endpoint, so the next event waits for the one
 * before it. Unsubscribed events are stepped over; a failure is retried after {@link DeliveryBackoff}'s delay, and
 * after the last attempt the event is parked and the endpoint goes on.
 */
public final class WebhookDispatcher extends VerticleBase implements FeedSignal {
    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class.getName());
    static final long POLL_MILLIS = 250;
    static final long FIGURES_MILLIS = 2_000;
    static final long PRUNE_MILLIS = 60_000;
    /** Events read per look at an endpoint: a run of unsubscribed ones is stepped over a page at a time. */
    static final int PAGE = 32;

    private static final int MAX_ERROR_LENGTH = 200;

    private final Pool pool;
    private final EventFeed feed;
    private final Function<EventFeed.FeedEvent, String> render;
    private final WebhookSecrets secrets;
    private final WebhookSettings settings;
    private final WebhookCounters counters;
    private final Clock clock;
    private final String owner;
    private final AtomicBoolean wakePending = new AtomicBoolean();
    /**
     * The merchants with an enabled endpoint, as last read (every {@link #FIGURES_MILLIS}): a commit of any other
     * merchant wakes nothing, so a process without endpoints adds no claim query to each batch it commits. An
     * endpoint registered since is found by the poll.
     */
    private volatile Set<String> subscribed = Set.of();

    private final Set<String> inFlight = new HashSet<>();
    /** This verticle's context, published for the writers' threads that wake it. */
    private volatile Context loop;

    private DeliveryLedger ledger;
    private HttpClient client;
    private boolean claiming;
    private boolean claimAgain;

    public WebhookDispatcher(
            Pool pool,
            EventFeed feed,
            Function<EventFeed.FeedEvent, String> render,
            WebhookSecrets secrets,
            WebhookSettings settings,
            WebhookCounters counters,
            Clock clock,
            String owner) {
        this.pool = pool;
        this.feed = feed;
        this.render = render;
        this.secrets = secrets;
        this.settings = settings;
        this.counters = counters;
        this.clock = clock;
        this.owner = owner;
    }

    @Override
    public Future<?> start() {
        ledger = new DeliveryLedger(pool);
        loop = context;
        client = vertx.createHttpClient(
                new HttpClientOptions()
                        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, settings.timeoutMillis()))
                        .setKeepAlive(true)
                        .setMaxRedirects(0),
                // As many connections to one host as deliveries may be in flight: endpoints sharing a host never queue.
                new PoolOptions().setHttp1MaxSize(settings.concurrency()).setMaxWaitQueueSize(settings.concurrency()));
        vertx.setPeriodic(POLL_MILLIS, id -> claim());
        vertx.setPeriodic(FIGURES_MILLIS, id -> figures());
        vertx.setPeriodic(
                PRUNE_MILLIS,
                id -> ledger.prune()
                        .onFailure(e -> LOG.warning("webhooks: pruning old attempts failed: " + e.getMessage())));
        figures();
        claim();
        return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
        return client.close();
    }

    /** Called on a writer's loop: only schedules a look, once however many commits arrive meanwhile. */
    @Override
    public void committed(String merchantId) {
        Context c = loop;
        if (c != null && subscribed.contains(merchantId) && wakePending.compareAndSet(false, true)) {
            c.runOnContext(v -> {
                wakePending.set(false);
                claim();
            });
        }
    }

    private void figures() {
        ledger.figures()
                .onSuccess(counters::figures)
                .onFailure(e -> LOG.fine("webhooks: figures not read: " + e.getMessage()));
        ledger.merchantsWithEndpoints()
                .onSuccess(merchants -> subscribed = merchants)
                .onFailure(e -> LOG.fine("webhooks: merchants with endpoints not read: " + e.getMessage()));
    }

    /** Leases as many due endpoints as there is room for, and starts their deliveries. */
    private void claim() {
        int room = settings.concurrency() - inFlight.size();
        if (room <= 0) return;
        if (claiming) {
            claimAgain = true;
            return;
        }
        claiming = true;
        ledger.claim(owner, room, new ArrayList<>(inFlight), settings.leaseMillis())
                .onComplete(ar -> {
                    claiming = false;
                    if (ar.failed()) {
                        LOG.fine("webhooks: claim failed: " + ar.cause().getMessage());
                        return;
                    }
                    for (DeliveryLedger.Claimed c : ar.result()) {
                        inFlight.add(c.id());
                        counters.inFlight(inFlight.size());
                        deliver(c).onComplete(done -> {
                            if (done.failed()) { // the lease goes at once, not at its expiry: tried again soon
                                LOG.warning("webhooks: delivery of endpoint " + c.id() + " not recorded: "
                                        + done.cause().getMessage());
                                ledger.release(c.id(), owner);
                            }
                            inFlight.remove(c.id());
                            counters.inFlight(inFlight.size());
                            claim();
                        });
                    }
                    if (claimAgain || ar.result().size() == room) {
                        claimAgain = false;
                        claim();
                    }
                });
    }

    private Future<Void> deliver(DeliveryLedger.Claimed c) {
        if (c.resendSeq() != null) return resend(c, c.resendSeq());
        return feed.page(c.merchantId(), c.deliveredSeq(), PAGE).compose(page -> {
            EventFeed.FeedEvent next = null;
            for (EventFeed.FeedEvent e : page.events()) {
                if (EventTypes.subscribes(c.eventTypes(), e.type())) {
                    next = e;
                    break;
                }
            }
            if (next == null) {
                if (page.events().isEmpty()) return ledger.release(c.id(), owner);
                long last = page.events().get(page.events().size() - 1).seq();
                return settle(c, last, 0, 0, null);
            }
            EventFeed.FeedEvent event = next;
            int attempt = c.attempts() + 1;
            return send(c, event, attempt, false).compose(r -> {
                if (r.outcome().accepted()) return settle(c, event.seq(), 0, 0, r);
                if (settings.backoff().parks(attempt)) {
                    return settle(c, event.seq(), 0, 0, withOutcome(r, DeliveryOutcome.PARKED));
                }
                long delay = settings.backoff()
                        .delayMillis(
                                attempt, bound -> ThreadLocalRandom.current().nextLong(bound + 1));
                return settle(c, c.deliveredSeq(), attempt, delay, r);
            });
        });
    }

    /**
     * Commits the attempt ({@code r}; null when only unsubscribed events were stepped over) and the cursor; a lease
     * or cursor changed meanwhile drops it, releasing what is ours.
     */
    private Future<Void> settle(
            DeliveryLedger.Claimed c, long to, int failures, long delayMillis, DeliveryLedger.Recorded r) {
        if (r != null) counters.counted(r.outcome()); // as stored: the last failure counts as parked
        return ledger.commit(c.id(), owner, c.deliveredSeq(), to, failures, delayMillis, r)
                .compose(committed -> committed ? Future.<Void>succeededFuture() : ledger.release(c.id(), owner));
    }

    private Future<Void> resend(DeliveryLedger.Claimed c, long seq) {
        return feed.page(c.merchantId(), seq - 1, 1)
                .compose(page -> {
                    if (page.events().isEmpty() || page.events().get(0).seq() != seq)
                        return Future.<DeliveryLedger.Recorded>failedFuture(
                                "event " + seq + " is not in the merchant's feed");
                    EventFeed.FeedEvent event = page.events().get(0);
                    return ledger.resendAttempt(c.id(), seq).compose(n -> send(c, event, n, true));
                })
                .compose(r -> {
                    DeliveryLedger.Recorded stored =
                            r.outcome() == DeliveryOutcome.DELIVERED ? withOutcome(r, DeliveryOutcome.RESENT) : r;
                    counters.counted(stored.outcome());
                    return ledger.commitResend(c.id(), owner, stored).<Void>mapEmpty();
                });
    }

    private static DeliveryLedger.Recorded withOutcome(DeliveryLedger.Recorded r, DeliveryOutcome o) {
        return new DeliveryLedger.Recorded(
                r.feedSeq(), r.attempt(), r.startedAt(), r.durationMillis(), r.httpStatus(), o, r.error());
    }

    /** One POST of the event, signed now; completes (never fails) with how it went. */
    private Future<DeliveryLedger.Recorded> send(
            DeliveryLedger.Claimed c, EventFeed.FeedEvent event, int attempt, boolean resend) {
        long started = clock.millis();
        long startedNanos = System.nanoTime();
        String body = render.apply(event);
        String signature;
        try {
            signature = WebhookSignature.header(secrets.open(c.id(), c.secret()), clock.instant(), body);
        } catch (IllegalStateException e) {
            return Future.succeededFuture(
                    recorded(event, attempt, started, startedNanos, null, DeliveryOutcome.ERROR, e.getMessage()));
        }
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(c.url())
                .setFollowRedirects(false)
                .setConnectTimeout(settings.timeoutMillis())
                .putHeader("Content-Type", "application/json")
                .putHeader("User-Agent", "payproc-webhooks/1")
                .putHeader("Payproc-Event-Id", eventId(event))
                .putHeader("Payproc-Event-Seq", Long.toString(event.seq()))
                .putHeader("Payproc-Delivery-Attempt", Integer.toString(attempt))
                .putHeader(WebhookSignature.HEADER, signature);
        if (resend) options.putHeader("Payproc-Resend", "true");
        return client.request(options)
                .compose(req -> {
                    // A bound on the whole answer, not between its bytes: one trickling a byte at a time must not
                    // outlast the lease (connect bound + this), or another process could deliver the next event.
                    long deadline = vertx.setTimer(
                            settings.timeoutMillis(),
                            t -> req.reset(0, new TimeoutException("no whole answer in time")));
                    return req.send(Buffer.buffer(body))
                            .compose(res -> {
                                res.handler(ignored -> {}); // the answer's body is neither kept nor logged
                                return res.end().map(res.statusCode());
                            })
                            .onComplete(done -> vertx.cancelTimer(deadline));
                })
                .transform(ar -> {
                    if (ar.succeeded()) {
                        int status = ar.result();
                        boolean ok = status >= 200 && status < 300;
                        return Future.succeededFuture(recorded(
                                event,
                                attempt,
                                started,
                                startedNanos,
                                status,
                                ok ? DeliveryOutcome.DELIVERED : DeliveryOutcome.FAILED,
                                ok ? null : "answered " + status));
                    }
                    Throwable t = ar.cause();
                    boolean timeout = isTimeout(t);
                    return Future.succeededFuture(recorded(
                            event,
                            attempt,
                            started,
                            startedNanos,
                            null,
                            timeout ? DeliveryOutcome.TIMEOUT : DeliveryOutcome.ERROR,
                            timeout ? "no answer within " + settings.timeoutMillis() + " ms" : describe(t)));
                });
    }

    /** Stable for an event on every attempt, re-send and replay: its payment and its place in that payment. */
    public static String eventId(EventFeed.FeedEvent e) {
        String payment = e.paymentId().startsWith("pay_") ? e.paymentId().substring(4) : e.paymentId();
        return "evt_" + payment + "_" + e.eventSeq();
    }

    private static DeliveryLedger.Recorded recorded(
            EventFeed.FeedEvent e,
            int attempt,
            long started,
            long startedNanos,
            Integer status,
            DeliveryOutcome outcome,
            String error) {
        return new DeliveryLedger.Recorded(
                e.seq(),
                attempt,
                DeliveryLedger.at(started),
                (System.nanoTime() - startedNanos) / 1_000_000,
                status,
                outcome,
                error);
    }

    private static boolean isTimeout(Throwable t) {
        for (Throwable x = t; x != null; x = x.getCause()) {
            if (x instanceof TimeoutException
                    || x.getClass().getSimpleName().contains("Timeout")
                    || (x.getMessage() != null
                            && x.getMessage().toLowerCase(java.util.Locale.ROOT).contains("timeout"))) return true;
        }
        return false;
    }

    /** The failure's kind and message, bounded: a connection error names the address, never a secret or a body. */
    private static String describe(Throwable t) {
        String text = t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
        return text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH);
    }
}
