#!/usr/bin/env bash
# Load-tests an already running processor with the project's harness (dev.payproc.bench.LoadHarness): HTTP/2
# cleartext (prior knowledge) POST /v1/authorizations, a closed-loop warm-up, then the measured phase; prints a
# progress line each second and, at the end, throughput, the decision mix, errors, latency percentiles and the
# CPU of the harness itself (plus the server's with SERVER_PID). Builds the harness if needed.
#
#   scripts/loadtest.sh                                  closed model: STREAMS requests always in flight
#   RATE=4000 DURATION=30 scripts/loadtest.sh            open model: 4000/s on a fixed timeline
#   TARGET=ceiling PORT=8081 scripts/loadtest.sh         against a processor started with BENCH_CEILING=1
#
# Settings (environment, all passed through to the harness):
#   HOST (127.0.0.1), PORT (8080)   the processor, h2c with prior knowledge
#   PORT_SPREAD (1)     connections round robin over PORT .. PORT+PORT_SPREAD-1: the members of scripts/cluster.sh
#                       (CONNECTIONS at least PORT_SPREAD; SERVER_PID then measures one member)
#   DEMO_API_KEY (sk_demo_local_only), DEMO_MERCHANT_ID (m-1001)   terminal key and its merchant
#   RATE (max)          requests/s for the open model: request k is due at start + k/RATE and its latency is
#                       measured from that intended time (coordinated omission corrected); max = closed model
#   CONNECTIONS (4)     HTTP/2 connections; STREAMS (256) most requests in flight over all of them (the
#                       processor allows 256 per connection); in the open model due requests beyond it wait
#   WARMUP (10)         seconds of closed-loop load first, not recorded (the JIT needs 5-10 s on two cores);
#   WARMUP_MAX (3 x WARMUP)  the warm-up goes on while the rate still climbs or the JIT compilers (the harness's,
#                       and the server's with SERVER_PID) still use over 10 % of a core, up to this
#   SETTLE (0)          open model: seconds at RATE after the warm-up, not recorded, so the measured phase starts
#                       in the steady state of that rate (not in the recovery from the warm-up's maximum)
#   DURATION (20)       measured seconds (keep runs <= 60 s on a shared box)
#   CLIENT_THREADS      the harness's event loops (default min(CONNECTIONS, cores))
#   CARDS (1000000), CARD_SKEW (0.3)   card population and the exponent of its Zipf-like popularity (0 =
#                       uniform, 1 = classic Zipf); the risk rules decline a card's 6th attempt within 60 s and
#                       its 51st in 24 h, so a smaller or more skewed population shows up as VELOCITY_CARD and
#                       DAILY_COUNT_CARD declines in the reported mix
#   TERMINALS (20000)   uniform; a terminal's 121st attempt in 60 s is declined (VELOCITY_TERMINAL)
#   DECLINE_SHARE (0.03)    share above the 10,000.00 EUR limit (AMOUNT_LIMIT -> DECLINED)
#   CHALLENGE_SHARE (0.02)  share above 500.00 without cardholder verification (STEP_UP -> CHALLENGE)
#   OUT (target/loadtest.hgrm)   the latency histogram as a percentile distribution (milliseconds); beside it the
#                       run's report: loadtest.html (self-contained: figures, percentile distribution, throughput and
#                       p99 per second, outcome mix, errors by status), loadtest-percentiles.png, loadtest-timeline.png
#                       and loadtest.json (its data, which scripts/bench.sh combines)
#   SEARCH_P99_MS       when set: after the measured phase, a bisection over open-model rates in (0, measured
#                       throughput] for the highest whose p99 stays under it (no errors, no backlog), in the same
#                       warm JVM: SEARCH_STEPS (4) steps of SEARCH_DURATION (15) s; prints a SEARCH line
#   SERVER_PID          the processor's pid, to report its CPU beside the harness's (PostgreSQL's CPU, all
#                       databases, and other processes' share of the box are always reported)
#   TARGET (processor)  a label printed with the results ("ceiling" for a BENCH_CEILING=1 processor)
#   JAVA_OPTS           JVM options for the harness
# Exit status: 0 when at least one request got a 2xx answer.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/lib.sh
mkdir -p target
build_if_stale target/loadtest-build.log "$BENCH_JAR"
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
exec java ${JAVA_OPTS:-} -cp "$(bench_classpath)" dev.payproc.bench.LoadHarness
