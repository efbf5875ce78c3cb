package dev.payproc.testkit;

import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.vertx.core.Context;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.LongFunction;

/**
 * The HTTP/2 client of every load driver (h2c, prior knowledge): {@code connections} connections, each deployed as
 * its own context so that Vert.x spreads them over the event loops, each with at most its share of {@code streams}
 * (and never more than the server allows) in flight. A run sends request {@code i} as its {@link Lane} hands it out,
 * open model ({@link OpenSchedule}: a pacer thread wakes the connections at each intended time; a request due while
 * the connection's streams are all busy waits, its clock running) or closed loop ({@link Lane.Loop}), and delivers
 * every outcome, a transport failure included, as one {@link Answer} with its latency from the intended send time.
 * Everything but the run's counters is touched only on the connection's event loop: no lock on the hot path.
 * A connection that closes or receives a GOAWAY is replaced on the next request; after a transport error the stream
 * rests {@value #PAUSE_AFTER_ERROR_MILLIS} ms, so a dead server is not spun on.
 */
public final class LoadClient implements AutoCloseable {
    private static final CharSequence IDEMPOTENCY_KEY = HttpHeaders.createOptimized("idempotency-key");
    private static final CharSequence RETRY_AFTER = HttpHeaders.createOptimized("retry-after");
    static final long PAUSE_AFTER_ERROR_MILLIS = 20;

    /**
     * Where and what to send. {@code streams}: the most requests in flight over all connections; {@code
     * timeoutMillis}: a request unanswered this long is reset and fails (0: none, the caller's deadline catches it);
     * {@code tries}: a {@code 503} with {@code Retry-After} is sent again after that many seconds, same request, up to
     * this many tries in all (1: never); {@code portSpread}: connection {@code i} goes to {@code port + i % portSpread}
     * (several processes listening side by side, e.g. {@code scripts/cluster.sh}'s members; 1: all to {@code port}).
     */
    public record Config(
            String host,
            int port,
            int connections,
            int streams,
            HttpMethod method,
            String path,
            String bearerKey,
            long timeoutMillis,
            int tries,
            int portSpread) {
        /** JSON {@code POST}s to {@code path} with {@code bearerKey}: one connection, 256 streams, no timeout, one try. */
        public static Config post(String host, int port, String path, String bearerKey) {
            return new Config(host, port, 1, 256, HttpMethod.POST, path, bearerKey, 0, 1, 1);
        }

        public Config connections(int connections) {
            return new Config(
                    host, port, connections, streams, method, path, bearerKey, timeoutMillis, tries, portSpread);
        }

        public Config streams(int streams) {
            return new Config(
                    host, port, connections, streams, method, path, bearerKey, timeoutMillis, tries, portSpread);
        }

        public Config timeoutMillis(long timeoutMillis) {
            return new Config(
                    host, port, connections, streams, method, path, bearerKey, timeoutMillis, tries, portSpread);
        }

        public Config tries(int tries) {
            return new Config(
                    host, port, connections, streams, method, path, bearerKey, timeoutMillis, tries, portSpread);
        }

        public Config portSpread(int portSpread) {
            if (portSpread < 1) throw new IllegalArgumentException("portSpread must be at least 1: " + portSpread);
            return new Config(
                    host, port, connections, streams, method, path, bearerKey, timeoutMillis, tries, portSpread);
        }
    }

    /** One request's variable part: its Idempotency-Key (none if null), its body, and a note handed back with its answer. */
    public record Request<T>(String key, Buffer body, T note) {
        public static Request<Void> of(String key, Buffer body) {
            return new Request<>(key, body, null);
        }
    }

    /**
     * The outcome of request {@code index}: an HTTP answer ({@code status} > 0), or a {@code failure} (status 0) that
     * is {@code refused} when the server cannot have processed it (no connection, no stream opened, or a stream above
     * the last id of the server's newest GOAWAY, RFC 9113 6.8) and in doubt otherwise. Latency from the intended send
     * time of the first try.
     */
    public record Answer<T>(
            long index,
            Request<T> request,
            int status,
            MultiMap headers,
            Buffer body,
            long intendedNanos,
            long latencyNanos,
            int tries,
            Throwable failure,
            boolean refused) {
        public String header(String name) {
            return headers == null ? null : headers.get(name);
        }

        public String text() {
            return body == null ? null : body.toString();
        }
    }

    private final Vertx vertx;
    private final Config config;
    private final HttpClientAgent client;
    private final List<Conn> conns = new ArrayList<>();

    private LoadClient(Vertx vertx, Config config) {
        this.vertx = vertx;
        this.config = config;
        // A large connection window spares most WINDOW_UPDATE frames.
        this.client = vertx.createHttpClient(H2c.priorKnowledge().setHttp2ConnectionWindowSize(1 << 20));
    }

    /**
     * Opens the connections on {@code vertx}'s event loops (the caller owns it). Completes once every connection has
     * connected or failed to: {@link #describe()} and {@link #connectFailure()} tell which; a failed one retries on
     * its first request.
     */
    public static LoadClient open(Vertx vertx, Config config) throws TimeoutException {
        LoadClient lc = new LoadClient(vertx, config);
        int n = config.connections();
        vertx.deployVerticle(
                        () -> {
                            synchronized (lc.conns) { // instances are created on several threads, once each
                                Conn c = lc.new Conn(lc.conns.size(), Lane.share(config.streams(), lc.conns.size(), n));
                                lc.conns.add(c);
                                return c;
                            }
                        },
                        new DeploymentOptions().setInstances(n))
                .await(60, TimeUnit.SECONDS);
        lc.conns.sort((a, b) -> Integer.compare(a.index, b.index));
        return lc;
    }

    /** One line per connection: its event loop and its stream limit, or why it is not connected. */
    public List<String> describe() {
        return conns.stream().map(Conn::describe).toList();
    }

    /** Why a connection could not connect when the client opened, or null if every one did. */
    public Throwable connectFailure() {
        return conns.stream()
                .map(c -> c.openFailure)
                .filter(f -> f != null)
                .findFirst()
                .orElse(null);
    }

    /** The open model: request {@code i} of {@code schedule} on connection {@code i mod connections}. */
    public <T> Run<T> open(OpenSchedule schedule, LongFunction<Request<T>> requests, Consumer<Answer<T>> answers) {
        int n = conns.size();
        Run<T> run = new Run<>(schedule, null, requests, answers);
        for (Conn c : conns) c.begin(run, new Lane.Open(schedule, c.index, n));
        Thread pacer = new Thread(() -> pace(run, schedule), "load-pacer");
        pacer.setDaemon(true);
        pacer.start();
        return run;
    }

    /** A closed loop: {@code streams} (spread over the connections) always in flight until {@code loop} is done. */
    public <T> Run<T> closed(
            Lane.Loop loop, int streams, LongFunction<Request<T>> requests, Consumer<Answer<T>> answers) {
        int n = conns.size();
        Run<T> run = new Run<>(null, loop, requests, answers);
        for (Conn c : conns) c.begin(run, new Lane.Closed(loop, Lane.share(streams, c.index, n)));
        return run;
    }

    /** Wakes at each request's intended time and has the connections it belongs to take what is due. */
    private void pace(Run<?> run, OpenSchedule schedule) {
        long last = schedule.total(); // requests 0 .. last-1
        int n = conns.size();
        long next = 0;
        while (next < last && !run.stopped) {
            long due = Math.min(last, schedule.dueUpTo(System.nanoTime()) + 1);
            if (due > next) {
                for (int i = 0; i < Math.min(n, due - next); i++)
                    conns.get((int) ((next + i) % n)).wake();
                next = due;
            }
            long sleep = schedule.intendedNanos(next) - System.nanoTime();
            if (sleep > 0) LockSupport.parkNanos(sleep);
        }
    }

    @Override
    public void close() {
        Await.result(client.close(), 10);
    }

    /** One run's requests and counters; the counters are read from any thread. */
    public static final class Run<T> {
        private final OpenSchedule schedule; // open model, else null
        private final Lane.Loop loop; // closed loop, else null
        private final LongFunction<Request<T>> requests;
        private final Consumer<Answer<T>> answers;
        private final LongAdder taken = new LongAdder();
        private final LongAdder answered = new LongAdder();
        private volatile boolean stopped;

        private Run(
                OpenSchedule schedule, Lane.Loop loop, LongFunction<Request<T>> requests, Consumer<Answer<T>> answers) {
            this.schedule = schedule;
            this.loop = loop;
            this.requests = requests;
            this.answers = answers;
        }

        /** Requests handed out to a connection (sent, or waiting for it to connect). */
        public long sent() {
            return taken.sum();
        }

        /** Answers delivered (every failure is one). */
        public long answered() {
            return answered.sum();
        }

        /** Open model: every request due by now (waiting for a stream included); closed loop: those sent. */
        public long due() {
            return schedule == null ? sent() : Math.min(schedule.total(), schedule.dueUpTo(System.nanoTime()) + 1);
        }

        /** Nothing more will be sent (the schedule, the loop or {@link #stop} ended it) and every answer is delivered. */
        public boolean finished() {
            long now = System.nanoTime();
            boolean ended = stopped || (schedule == null ? loop.done(now) : sent() >= schedule.total());
            return ended && answered() >= sent();
        }

        /** Until {@link #finished} or {@code deadlineNanos}; whether it finished. */
        public boolean await(long deadlineNanos) {
            while (!finished()) {
                if (System.nanoTime() >= deadlineNanos) return false;
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            return true;
        }

        /** Sends nothing more; what is in flight is still answered. */
        public void stop() {
            stopped = true;
        }
    }

    /** One HTTP/2 connection at a time, replaced when it goes; everything here is touched on its context only. */
    private final class Conn implements Deployable {
        private final int index;
        private final int share;
        private final RequestOptions options;
        private Context context;
        private String loop = "?";
        private HttpClientConnection connection; // null while none is usable
        private Http2Connection http2; // Netty's view of it, for the GOAWAY Vert.x reports only once (null: none)
        private boolean connecting;
        private Throwable openFailure;
        private int cap;
        private int inFlight;
        private Run<?> run;
        private Lane lane;
        private long parked = -1; // a request taken while there was no connection: sent once there is one
        private long parkedIntended;

        Conn(int index, int share) {
            this.index = index;
            this.share = share;
            this.cap = share;
            // Shared by this connection's requests (read, never changed): no header map built per request.
            this.options = new RequestOptions()
                    .setMethod(config.method())
                    .setURI(config.path())
                    .putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + config.bearerKey())
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        }

        @Override
        public Future<?> deploy(Context context) {
            this.context = context;
            return connect().otherwise(e -> {
                openFailure = e;
                return null;
            });
        }

        @Override
        public Future<?> undeploy(Context context) {
            return connection == null ? Future.succeededFuture() : connection.close();
        }

        String describe() {
            return connection == null
                    ? "connection " + index + " not connected: " + openFailure
                    : "connection " + index + " on " + loop + ", up to " + cap + " streams";
        }

        private Future<HttpClientConnection> connect() {
            connecting = true;
            HttpConnectOptions to = new HttpConnectOptions()
                    .setHost(config.host())
                    .setPort(config.port() + index % config.portSpread());
            if (config.timeoutMillis() > 0) to.setConnectTimeout(config.timeoutMillis());
            return client.connect(to).andThen(ar -> {
                connecting = false;
                if (ar.failed()) return;
                HttpClientConnection c = ar.result();
                connection = c;
                http2 = http2(c);
                loop = Thread.currentThread().getName(); // callbacks run on the connection's event loop
                long serverLimit = c.maxActiveStreams();
                cap = (int) Math.min(share, serverLimit > 0 ? serverLimit : share);
                c.goAwayHandler(g -> drop(c)); // its open streams finish; new ones go to a new connection
                c.closeHandler(v -> drop(c));
            });
        }

        private void drop(HttpClientConnection c) {
            if (connection == c) connection = null;
        }

        void begin(Run<?> r, Lane l) {
            context.runOnContext(v -> {
                refuseParked(run, new IllegalStateException("the run ended before a connection came"));
                run = r;
                lane = l;
                pump();
            });
        }

        void wake() {
            context.runOnContext(v -> pump());
        }

        /** Sends what the lane hands out while a stream is free; without a connection, connects first. */
        private void pump() {
            Run<?> r = run;
            if (r == null) return;
            if (r.stopped) {
                refuseParked(r, new IllegalStateException("the run stopped before a connection came"));
                return;
            }
            long now = System.nanoTime();
            while (inFlight < cap) {
                long i;
                long intended;
                if (parked >= 0) {
                    i = parked;
                    intended = parkedIntended;
                    parked = -1;
                } else {
                    // Counted before it is taken: a reader that sees the lane done never misses a request in flight.
                    r.taken.increment();
                    i = lane.take(now, inFlight);
                    if (i < 0) {
                        r.taken.decrement();
                        return;
                    }
                    intended = lane.intendedNanos(i, now);
                }
                if (connection == null) {
                    parked = i;
                    parkedIntended = intended;
                    if (!connecting) connect().onComplete(ar -> reconnected(r, ar.cause()));
                    return;
                }
                inFlight++;
                exchange(r, i, intended, null, 1);
            }
        }

        /** A connection came (the parked request goes first), or could not: the parked request is refused. */
        private void reconnected(Run<?> r, Throwable failure) {
            if (failure != null && r == run) refuseParked(r, failure);
            pump();
        }

        private void refuseParked(Run<?> r, Throwable why) {
            if (parked < 0) return;
            long i = parked;
            parked = -1;
            inFlight++;
            fail(r, i, parkedIntended, null, 1, why, true);
        }

        private <T> void exchange(Run<T> r, long i, long intended, Request<T> sameAgain, int tries) {
            Request<T> req = sameAgain != null ? sameAgain : r.requests.apply(i);
            HttpClientConnection c = connection;
            Http2Connection h2 = http2;
            if (c == null) { // only a retry after Retry-After can find none: it does not wait for one
                fail(r, i, intended, req, tries, new IllegalStateException("no connection for the retry"), true);
                return;
            }
            c.request(options).onComplete(ar -> {
                if (ar.failed()) {
                    fail(r, i, intended, req, tries, ar.cause(), true);
                    return;
                }
                HttpClientRequest hr = ar.result();
                // From the request's creation: an idle timeout would start only once it is written, and one caught on
                // a connection that closes before that would wait forever. Reset, it fails, and refused() tells
                // whether it ever went out.
                long timer = config.timeoutMillis() > 0
                        ? vertx.setTimer(
                                config.timeoutMillis(), id -> hr.reset(0, new TimeoutException("no answer in time")))
                        : -1;
                if (req.key() != null) hr.putHeader(IDEMPOTENCY_KEY, req.key());
                // The answer is asked for before the request is ended: one that comes early (a 401 or 503 before the
                // body was read) is otherwise delivered after its data went by, as an empty body.
                hr.response().onComplete(rs -> {
                    if (rs.failed()) {
                        if (timer >= 0) vertx.cancelTimer(timer);
                        fail(r, i, intended, req, tries, rs.cause(), refused(hr, h2));
                        return;
                    }
                    HttpClientResponse res = rs.result();
                    res.body().onComplete(b -> {
                        if (timer >= 0) vertx.cancelTimer(timer);
                        if (b.failed()) {
                            fail(r, i, intended, req, tries, b.cause(), refused(hr, h2));
                            return;
                        }
                        String retryAfter = res.getHeader(RETRY_AFTER);
                        if (res.statusCode() == 503 && retryAfter != null && tries < config.tries()) {
                            long wait = TimeUnit.SECONDS.toMillis(Math.max(1, parseOr(retryAfter, 1)));
                            // the same body again: a sent Buffer may have been consumed
                            Request<T> again =
                                    new Request<>(req.key(), req.body().copy(), req.note());
                            vertx.setTimer(wait, id -> exchange(r, i, intended, again, tries + 1));
                            return;
                        }
                        done(r, i, intended, req, tries, res.statusCode(), res.headers(), b.result(), null, false);
                    });
                });
                if (req.body() == null) hr.end();
                else hr.end(req.body());
            });
        }

        private <T> void fail(
                Run<T> r, long i, long intended, Request<T> req, int tries, Throwable failure, boolean refused) {
            done(r, i, intended, req, tries, 0, null, null, failure, refused);
        }

        private <T> void done(
                Run<T> r,
                long i,
                long intended,
                Request<T> req,
                int tries,
                int status,
                MultiMap headers,
                Buffer body,
                Throwable failure,
                boolean refused) {
            try {
                Request<T> request = req != null ? req : r.requests.apply(i);
                r.answers.accept(new Answer<>(
                        i,
                        request,
                        status,
                        headers,
                        body,
                        intended,
                        System.nanoTime() - intended,
                        tries,
                        failure,
                        refused));
            } finally {
                r.answered.increment();
                if (failure == null) {
                    inFlight--;
                    pump();
                } else { // the stream rests before its next request
                    vertx.setTimer(PAUSE_AFTER_ERROR_MILLIS, id -> {
                        inFlight--;
                        pump();
                    });
                }
            }
        }
    }

    /**
     * Whether a failed request was not processed: no stream was opened (nothing went on the wire), or it was opened
     * above the last stream id of the server's newest GOAWAY (RFC 9113 6.8); any other failure leaves it in doubt.
     * Netty's view of the connection is kept from its connect, as a closed channel's pipeline is emptied, and
     * Vert.x's {@code goAwayHandler} reports only a connection's first GOAWAY (the processor's first one is its
     * shutdown notice naming 2^31-1).
     */
    private static boolean refused(HttpClientRequest req, Http2Connection h2) {
        int id;
        try {
            id = req.streamId();
        } catch (NullPointerException noStream) { // Vert.x 5.0 throws instead of answering -1
            return true;
        }
        if (id < 0) return true;
        return h2 != null && h2.goAwayReceived() && id > h2.local().lastStreamKnownByPeer();
    }

    /** The connection {@code HttpClientAgent.connect} hands out wraps the real one in this field (Vert.x 5.0). */
    private static final java.lang.reflect.Field ACTUAL = actualField();

    private static java.lang.reflect.Field actualField() {
        try {
            java.lang.reflect.Field f = Class.forName("io.vertx.core.http.impl.UnpooledHttpClientConnection")
                    .getDeclaredField("actual");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // then every failure after a stream opened counts as in doubt
        }
    }

    /** Netty's view of {@code c}, or null if it cannot be reached. */
    private static Http2Connection http2(HttpConnection c) {
        Object actual = c;
        if (ACTUAL != null && ACTUAL.getDeclaringClass().isInstance(c)) {
            try {
                actual = ACTUAL.get(c);
            } catch (IllegalAccessException e) {
                return null;
            }
        }
        if (!(actual instanceof ConnectionBase base)) return null;
        Http2ConnectionHandler handler = base.channel().pipeline().get(Http2ConnectionHandler.class);
        return handler == null ? null : handler.connection();
    }

    private static long parseOr(String value, long fallback) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
