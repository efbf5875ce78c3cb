#!/usr/bin/env bash
# Fault injection: a crash, a database outage, overload, a slow database and a graceful shutdown, each under load,
# must lose nothing that was acknowledged and commit nothing twice.   bash scripts/faults.sh
#
# Everything runs on 127.0.0.1 against a PRIVATE PostgreSQL cluster (port 54329, target/faults-pgdata, created
# fresh each run so the audit sees only this run; stopping it never touches the system cluster) and a processor
# on port FAULTS_PORT started from a copy of app/target/payproc.jar (others may rebuild the jar meanwhile).
# Load comes from dev.payproc.bench.faults.FaultDriver (HTTP/2 h2c: the Vert.x client, and for overload a cheaper
# sender on Netty's HTTP/2 codec directly), which writes every request's outcome to target/faults/*.tsv; the audit
# loads those files into psql and compares them with the ledger.
# Prints one verdict line per scenario and exits 1 if any fails (2 if it could not run). Takes 5-7 minutes.
# Settings (environment): FAULTS_PORT (18090) for the processor; FAULTS_RATE, requests/s of the background load
# (default half the calibrated maximum); HEAP_BOUND_MB (512), the heap the processor may hold (in use after a
# collection) while degraded;
# SLOW_DB_MS (200), how late each answer from PostgreSQL comes in the slow-database scenario (relay on SLOW_PORT, 54330);
# FAULTS_ONLY, the scenarios to run, in order (default: crash db_outage overload slow_db shutdown).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
export PGHOST=127.0.0.1 PGPORT=54329 PGUSER=postgres PGDATABASE=postgres PRIVATE_PG_DIR=$ROOT/target/faults-pgdata
# Test card data only: the built-in development card keys, unless real ones are given.
[ -n "${CARD_HMAC_KEY:-}" ] || export DEV_CARD_KEYS=1
PORT=${FAULTS_PORT:-18090}
BASE=http://127.0.0.1:$PORT
MERCHANT=m-1001 API_KEY=sk_faults ADMIN_KEY=faults-admin
WORK=$ROOT/target/faults
FLAG=$WORK/degraded          # exists while a fault is on: the driver measures "while degraded" by it
HEAP_BOUND_MB=${HEAP_BOUND_MB:-512}
SLOW_DB_MS=${SLOW_DB_MS:-200} SLOW_PORT=${SLOW_PORT:-54330}
PROC= DRIVER= SLOWLINK= STARTS=0 START_FAILURES=0 FAILED=0

now_ms() { echo $(($(date +%s%N) / 1000000)); }
log() { printf '%s %s\n' "$(date +%T)" "$*" >&2; }
die() { log "faults: $*"; exit 2; }
val() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<" $2"; } # val NAME "k=v k=v ..."
http() { curl -s -o /dev/null -w '%{http_code}' --http2-prior-knowledge --max-time "${2:-2}" -H "Authorization: Bearer $ADMIN_KEY" "$BASE$1" || true; }

cleanup() {
  set +e
  [ -n "$DRIVER" ] && kill "$DRIVER" 2>/dev/null
  [ -n "$SLOWLINK" ] && kill "$SLOWLINK" 2>/dev/null
  stop_processor TERM >/dev/null
  rm -f "$FLAG"
  scripts/db.sh stop >/dev/null
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the processor ------------------------------------------------------------------------------------------
start_processor() {
  STARTS=$((STARTS + 1))
  PGDATABASE=postgres PGPORT=${PROC_PGPORT:-$PGPORT} PORT=$PORT DEMO_MERCHANT_ID=$MERCHANT DEMO_API_KEY=$API_KEY RISK_RULES_FILE=scripts/load-rules.json \
    ADMIN_API_KEY=$ADMIN_KEY TERMINAL_RATE_LIMIT=0 MERCHANT_RATE_LIMIT=0 \
    java -jar "$WORK/payproc.jar" >"$WORK/processor-$STARTS.log" 2>&1 &
  PROC=$!
}

# Starts the processor and waits until /health/ready is 200; READY_MS = milliseconds since $1. A start-up that
# fails is counted (START_FAILURES) and retried once; one that reports failure may hang instead of exiting.
start_ready() {
  local since=$1 attempt
  for attempt in 1 2; do
    start_processor
    if await_ready "$since"; then return 0; fi
    START_FAILURES=$((START_FAILURES + 1))
    log "processor start-up $STARTS failed: $(grep -m1 -E 'SEVERE|could not start' "$WORK/processor-$STARTS.log" || echo 'not ready within 60 s')"
    stop_processor KILL
  done
  die "the processor failed to start twice (logs: $WORK/processor-*.log)"
}

await_ready() {
  for _ in $(seq 600); do
    kill -0 "$PROC" 2>/dev/null && ! grep -q 'start-up failed' "$WORK/processor-$STARTS.log" || return 1
    if [ "$(http /health/ready 1)" = 200 ]; then READY_MS=$(($(now_ms) - $1)); return 0; fi
    sleep 0.1
  done
  return 1
}

# stop_processor TERM|KILL: sets PROC_RC. SIGTERM drains for at most 10 s, so after 30 s it is SIGKILL. The wait
# follows the kill directly, with stderr discarded, so that bash prints no "Killed" job notice.
stop_processor() {
  PROC_RC=
  [ -n "$PROC" ] || return 0
  if [ "$1" = TERM ]; then
    kill -TERM "$PROC" 2>/dev/null || true
    for _ in $(seq 300); do kill -0 "$PROC" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$PROC" 2>/dev/null && log "processor $PROC ignored SIGTERM for 30 s: SIGKILL"
  fi
  { kill -KILL "$PROC"; wait "$PROC"; } 2>/dev/null && PROC_RC=0 || PROC_RC=$?
  PROC=
}

# --- load and audit -----------------------------------------------------------------------------------------
# driver load|retry phase=N ... : runs FaultDriver (bounded), prints its RESULT line.
driver() {
  local out="$WORK/driver-$1-$(val phase " $*")-$(date +%s%N).log"
  # C1 only and the serial collector: on two busy cores C2's compiler threads starve the driver for seconds, and its
  # own delays would read as the processor's latency.
  timeout 150 java ${DRIVER_OPTS:--Xmx1g -XX:TieredStopAtLevel=1 -XX:+UseSerialGC} -cp "$DRIVER_CP" dev.payproc.bench.faults.FaultDriver "$@" port=$PORT key=$API_KEY merchant=$MERCHANT >"$out" 2>&1 \
    || { cat "$out" >&2; die "FaultDriver $1 failed"; }
  grep '^first ' "$out" | sed 's/^/    /' >&2 || true
  sed -n 's/^RESULT //p' "$out"
}

# Starts a load run in the background; load_wait waits for it and sets $load to its RESULT (wait must run in
# this shell, not in a command substitution).
load_bg() {
  LOAD_OUT="$WORK/load-$(date +%s%N).out"
  driver load "$@" >"$LOAD_OUT" &
  DRIVER=$!
}
load_wait() { wait "$DRIVER" || die "the load driver failed"; DRIVER=; load=$(cat "$LOAD_OUT"); }

# audit PHASE FILE...: every key answered 2xx is in idempotency_keys once, with the answered payment id, and
# its payment has the answered status; nothing committed twice (every request has its own card, so two payments
# with one card fingerprint are a double commit) or without its key; every committed key of the phase was finally
# answered 2xx; the ledger balances per currency; GET /admin/reconciliation is 200.
audit() {
  local phase=$1 copies="" f
  shift
  for f in "$@"; do copies+="\\copy o FROM '$f'"$'\n'; done
  local sql
  sql=$(psql -X -q -t -A -v ON_ERROR_STOP=1 <<SQL
CREATE TEMP TABLE o (key text, status int, payment_id text, decision text, error text, latency_us bigint, attempt int);
$copies
CREATE TEMP TABLE f AS SELECT DISTINCT ON (key) * FROM o ORDER BY key, attempt DESC; -- each key's final outcome
CREATE TEMP TABLE k AS SELECT * FROM idempotency_keys WHERE merchant_id = '$MERCHANT' AND idempotency_key LIKE 'f$phase-%';
SELECT format('acknowledged=%s found=%s duplicated=%s orphans=%s unacked_commits=%s in_doubt=%s unbalanced=%s',
  (SELECT count(*) FROM f WHERE status IN (200, 201)),
  (SELECT count(*) FROM f JOIN k ON k.idempotency_key = f.key AND k.payment_id = f.payment_id
                          JOIN payments p ON p.id = f.payment_id AND p.status = f.decision
    WHERE f.status IN (200, 201)),
  (SELECT count(*) FROM (SELECT 1 FROM idempotency_keys GROUP BY merchant_id, idempotency_key HAVING count(*) > 1) d)
    + (SELECT count(*) FROM (SELECT 1 FROM payments GROUP BY card_fingerprint HAVING count(*) > 1) d)
    + (SELECT count(*) FROM (SELECT 1 FROM o WHERE status IN (200, 201) GROUP BY key HAVING count(DISTINCT payment_id) > 1) d),
  (SELECT count(*) FROM payments p WHERE NOT EXISTS (SELECT 1 FROM idempotency_keys i WHERE i.payment_id = p.id)),
  (SELECT count(*) FROM k WHERE NOT EXISTS (SELECT 1 FROM f WHERE f.key = k.idempotency_key AND f.status IN (200, 201))),
  (SELECT count(*) FROM f WHERE attempt > 0 AND status = 200), -- a retry replayed it: it had committed unanswered
  (SELECT count(*) FROM (SELECT currency FROM postings GROUP BY currency
    HAVING coalesce(sum(amount) FILTER (WHERE direction = 'D'), 0) <> coalesce(sum(amount) FILTER (WHERE direction = 'C'), 0)) u));
SQL
)
  echo "$sql reconciliation=$(http /admin/reconciliation 30)"
}

# audit_ok "audit figures": found everything acknowledged, nothing twice, nothing committed unanswered, ledger ok.
audit_ok() {
  [ "$(val found "$1")" = "$(val acknowledged "$1")" ] && [ "$(val duplicated "$1")" = 0 ] && [ "$(val orphans "$1")" = 0 ] \
    && [ "$(val unacked_commits "$1")" = 0 ] && [ "$(val unbalanced "$1")" = 0 ] && [ "$(val reconciliation "$1")" = 200 ]
}

# verdict NAME PASSED FIGURES [WHY]
verdict() {
  if [ "$2" = 1 ]; then echo "$1: PASS $3"; else echo "$1: FAIL $3${4:+ -- $4}"; FAILED=$((FAILED + 1)); fi
}

# The heap in use after a collection, not the used heap: that also counts garbage, as much as the collector lets
# pile up before it collects (G1 sizes its young generation to its pause goal, not to what the process holds).
heap_ok() { [ "$(val heap_live_peak_mb "$1")" -le "$HEAP_BOUND_MB" ]; }
heap_figures() { echo "heap peak $(val heap_live_peak_mb "$1") MB held after GC (bound $HEAP_BOUND_MB MB), $(val heap_peak_mb "$1") MB used, of $(val heap_max_mb "$1") MB"; }

admin_config() {
  [ "$(curl -s -o /dev/null -w '%{http_code}' --http2-prior-knowledge -X PUT -H "Authorization: Bearer $ADMIN_KEY" \
    -H 'X-Admin-Actor: faults.sh' -H 'Content-Type: application/json' -d "$1" "$BASE/admin/config")" = 200 ] \
    || die "PUT /admin/config $1 failed"
}

# --- setup ----------------------------------------------------------------------------------------------------
mkdir -p "$WORK"
rm -f "$WORK"/*.tsv "$WORK"/*.out "$WORK"/*.log "$FLAG"
[ "$(http /health/live 1)" = 000 ] || die "something already answers on port $PORT"
scripts/db.sh stop >/dev/null # a cluster left over from an interrupted run
if pg_isready -q -h "$PGHOST" -p "$PGPORT"; then die "a PostgreSQL that is not ours answers on port $PGPORT"; fi
rm -rf "$PRIVATE_PG_DIR"
scripts/db.sh >/dev/null

[ -f app/target/payproc.jar ] || mvn -B -q -o -pl app -am package -DskipTests
[ -f benchmarks/target/classpath.txt ] || mvn -B -q -o -pl benchmarks package -DskipTests
cp app/target/payproc.jar "$WORK/payproc.jar"
# The driver needs only Vert.x (and the Netty under it) and HdrHistogram: compiled here, it does not depend on the
# state of the modules others may be rebuilding.
rm -rf "$WORK/driver"
javac -d "$WORK/driver" -cp "$(cat benchmarks/target/classpath.txt)" benchmarks/src/main/java/dev/payproc/bench/faults/*.java
DRIVER_CP="$WORK/driver:$(cat benchmarks/target/classpath.txt)"

start_ready "$(now_ms)"
log "calibrating: closed loop, 128 streams, 8 s (after 4 s warm-up)"
cal=$(driver load phase=0 out="$WORK/calibrate.tsv" warmup=4 duration=8 streams=128)
RATE=${FAULTS_RATE:-$(($(val tput_201 "$cal") / 2 > 50 ? $(val tput_201 "$cal") / 2 : 50))}
log "calibration: $cal"
log "background load for the fault scenarios: $RATE requests/s"

# --- 1. crash: kill -9 under load, restart, retry what got no answer or a 5xx with the same key ------------------
scenario_crash() {
  for i in 1 2 3; do
    log "crash #$i: load at $RATE/s for 10 s (after 2 s warm-up), kill -9 after 3 s, restart at once"
    load_bg load phase=$i out="$WORK/crash-$i.tsv" warmup=2 duration=10 rate="$RATE" flag="$FLAG"
    sleep 5 # warm-up + 3 s
    touch "$FLAG"
    stop_processor KILL
    restarted=$(now_ms) failures=$START_FAILURES
    start_ready "$restarted"
    failures=$((START_FAILURES - failures))
    rm -f "$FLAG"
    load_wait
    retry=$(driver retry phase=$i out="$WORK/crash-$i-retry.tsv" in="$WORK/crash-$i.tsv")
    figures=$(audit "$i" "$WORK/crash-$i.tsv" "$WORK/crash-$i-retry.tsv")
    log "  load: $load"
    log "  retry: $retry"
    ok=0
    audit_ok "$figures" && [ "$(val still_failed "$retry")" = 0 ] && [ "$(val other "$load")" = 0 ] && [ "$(val unfinished "$load")" = 0 ] \
      && [ "$failures" = 0 ] && ok=1
    verdict "crash #$i" $ok "$(val acknowledged "$figures") acknowledged, $(val found "$figures") found, $(val duplicated "$figures") duplicated, $(val orphans "$figures") orphans; recovery ${READY_MS} ms (restart to ready, $failures failed start-ups); $(val in_doubt "$figures") committed but unanswered at the crash (answered on retry), $(val retried "$retry") retried, $(val still_failed "$retry") still failing; p99 while degraded $(val p99_degraded_ms "$load") ms; reconciliation $(val reconciliation "$figures")" \
      "load: $load; retry: $retry; audit: $figures"
  done
}

# --- 2. database outage: stop PostgreSQL for 15 s under load; fail fast, not ready, recover without restart ------
scenario_db_outage() {
  log "database outage: load at $RATE/s for 32 s, PostgreSQL stopped from 5 s to 20 s"
  pid_before=$PROC
  load_bg load phase=4 out="$WORK/db.tsv" warmup=2 duration=32 rate="$RATE" flag="$FLAG"
  sleep 7
  touch "$FLAG"
  down_at=$(now_ms)
  scripts/db.sh stop >/dev/null
  sleep 15
  # "Back" is when PostgreSQL accepts connections, not when db.sh (which polls once a second) returns.
  scripts/db.sh >/dev/null &
  for _ in $(seq 600); do pg_isready -q -t 1 && break; sleep 0.05; done
  rm -f "$FLAG"
  log "  PostgreSQL was down for $(($(now_ms) - down_at)) ms"
  wait $! || die "PostgreSQL did not come back"
  load_wait
  retry=$(driver retry phase=4 out="$WORK/db-retry.tsv" in="$WORK/db.tsv")
  figures=$(audit 4 "$WORK/db.tsv" "$WORK/db-retry.tsv")
  log "  load: $load"
  log "  retry: $retry"
  ready_down=$(val ready_down "$load")
  why=
  [ "$(val unavailable "$load")" -gt 0 ] || why+="no 503 unavailable while the database was down; "
  [ "$(val other "$load")" = 0 ] && [ "$(val stream_err "$load")" = 0 ] && [ "$(val refused_err "$load")" = 0 ] || why+="answers other than 201/503 or transport errors; "
  [ "$(val no_retry_after "$load")" = 0 ] || why+="503 without Retry-After; "
  [ "$(val slow "$load")" = 0 ] && [ "$(val unfinished "$load")" = 0 ] || why+="requests slower than 6 s; "
  [ "${ready_down%/*}" = "${ready_down#*/}" ] && [ "${ready_down#*/}" -gt 0 ] || why+="/health/ready not 503 throughout the outage; "
  heap_ok "$load" || why+="heap held above $HEAP_BOUND_MB MB; "
  [ "$(val first201_after_ms "$load")" -ge 0 ] || why+="no 201 after the database returned; "
  [ "$PROC" = "$pid_before" ] && kill -0 "$PROC" 2>/dev/null || why+="the processor did not survive; "
  [ "$(val still_failed "$retry")" = 0 ] || why+="retries still failing; "
  audit_ok "$figures" || why+="audit; "
  verdict "database outage" "$([ -z "$why" ] && echo 1 || echo 0)" "$(val acknowledged "$figures") acknowledged, $(val found "$figures") found, $(val duplicated "$figures") duplicated; $(val unavailable "$load") answered 503 unavailable (p99 while degraded $(val p99_degraded_ms "$load") ms, max $(val max_degraded_ms "$load") ms, $(val slow "$load") over 6 s, $(val no_retry_after "$load") without Retry-After); ready 503 in $ready_down samples; recovery without restart: first 201 $(val first201_after_ms "$load") ms and ready $(val ready_back_ms "$load") ms after PostgreSQL was back; $(heap_figures "$load"); $(val in_doubt "$figures") committed although answered 503 (replayed on retry); $(val retried "$retry") retried, $(val still_failed "$retry") still failing; reconciliation $(val reconciliation "$figures")" \
    "${why}load: $load; audit: $figures"
}

# --- 3. overload: twice the closed-loop maximum, open model ----------------------------------------------------
# The admission limit is lowered at run time (PUT /admin/config) so that the client's 8 HTTP/2 connections
# (2048 streams) can exceed it at this box's throughput; with the default 8192 a few hundred requests/s would
# need half a minute of excess to reach it.
scenario_overload() {
  LIMIT=256
  admin_config "{\"maxInFlight\":$LIMIT}"
  # One driver JVM (C2) warms up for 20 s, probes the closed-loop maximum for 10 s and then offers twice that,
  # all through sender=flood (FaultDriver's Flood: Netty's HTTP/2 codec without an HTTP client,
  # 8 connections, every outcome to the same file for the audit). The Vert.x client costs 60-90 us of CPU a
  # request: at twice the maximum it took a whole core of the two the processor and PostgreSQL need, and it, not
  # the processor, saturated first (its own event loops 0.4-0.5 s late at p99, client-side p99 2-4 s against the
  # processor's 150 ms). The warm-up runs through the flood too, so that most of its JIT is done before
  # the measurement (not all: perf put about half the driver's CPU in the offered phase in C2's compiler thread;
  # C1 alone cost less CPU but its slower code let the event loops run ~50 ms late).
  # Requests due while all of the server's concurrent streams are busy wait in the driver, their latency counted
  # from when they were due; unsent= counts any never sent by the end.
  log "overload: admission limit $LIMIT; driver warm-up 20 s, closed-loop maximum over 10 s, then twice that for 15 s"
  touch "$FLAG"
  load=$(DRIVER_OPTS="-Xmx1g -XX:+UseSerialGC" driver load phase=6 out="$WORK/overload.tsv" warmup=20 probe=10 factor=2 duration=15 flag="$FLAG" sender=flood)
  rm -f "$FLAG"
  admin_config '{"maxInFlight":8192}'
  max=$(val probed_max "$load")
  [ "${max:-0}" -ge 10 ] || die "the probe found no throughput to double: $load"
  figures=$(audit 6 "$WORK/overload.tsv")
  log "  load: $load"
  # Judged after the onset (the first third: queues fill, the overload path gets compiled). Admitted requests wait
  # behind at most LIMIT others: Little's law gives LIMIT/throughput; allowed twice that plus a second, since at twice
  # the maximum both cores are saturated before admission (HTTP/2, decoding). Refusals skip the queue: same bound.
  # Goodput must not collapse below half the maximum.
  bound=$((2000 * LIMIT / max + 1000))
  p99_201=$(val p99_201_steady_ms "$load")
  p99_503=$(val p99_503_steady_ms "$load")
  why=
  [ "$(val overloaded "$load")" -gt 0 ] || why+="no 503 overloaded; "
  [ "$(val other "$load")" = 0 ] && [ "$(val unavailable "$load")" = 0 ] && [ "$(val stream_err "$load")" = 0 ] && [ "$(val refused_err "$load")" = 0 ] || why+="answers other than 201/503 overloaded; "
  [ "$(val in_flight_peak "$load")" -le "$LIMIT" ] || why+="more than $LIMIT requests admitted; "
  [ "$(val unfinished "$load")" = 0 ] || why+="requests never answered; "
  [ "$(val unsent "$load")" = 0 ] || why+="requests the driver never sent; "
  [ "$(val no_retry_after "$load")" = 0 ] || why+="503 without Retry-After; "
  [ "${p99_201%.*}" -le "$bound" ] || why+="p99 of admitted requests above ${bound} ms; "
  [ "${p99_503%.*}" -le "$bound" ] || why+="p99 of 503 overloaded above ${bound} ms; "
  [ "$(val tput_201 "$load")" -ge $((max / 2)) ] || why+="goodput below half the maximum; "
  heap_ok "$load" || why+="heap held above $HEAP_BOUND_MB MB; "
  audit_ok "$figures" || why+="audit; "
  verdict "overload" "$([ -z "$why" ] && echo 1 || echo 0)" "max $max/s closed loop, offered $(val offered "$load")/s: goodput $(val tput_201 "$load")/s, $(val s201 "$load") x 201 (p99 $p99_201 ms after the onset, bound $bound ms; $(val p99_201_ms "$load") ms overall), $(val overloaded "$load") x 503 overloaded (p99 $p99_503 ms after the onset, $(val p99_503_ms "$load") ms overall; $(val no_retry_after "$load") without Retry-After), $(val unavailable "$load") x 503 unavailable, $(val other "$load") other; in flight at most $(val in_flight_peak "$load"), processor-side p99 $(val server_p99_ms "$load") ms; $(val unsent "$load") never sent (at most $(val stream_wait_peak "$load") waiting for a stream on a connection); the driver used $(val driver_cores "$load") cores ($(val driver_cpu_us_per_request "$load") us of CPU a request) and its own event loops ran $(val driver_lag_p99_ms "$load") ms late at p99 (a late client delays sending and reading: that counts in the client-side p99 too); $(heap_figures "$load"); $(val acknowledged "$figures") acknowledged, $(val found "$figures") found, $(val duplicated "$figures") duplicated; reconciliation $(val reconciliation "$figures")" \
    "${why}load: $load; audit: $figures"
}

# --- 4. slow database: every answer from PostgreSQL SLOW_DB_MS late for 15 s under load ---------------------------
# The processor is restarted behind dev.payproc.bench.faults.SlowLink, a relay that holds each chunk PostgreSQL
# sends for the milliseconds in $DELAY_FILE. Slow is not down: answers stay 201 (slower, in bigger batches), nothing
# fails, readiness stays 200, and when the delay ends the processor is back to normal without a restart.
scenario_slow_db() {
  log "slow database: load at $RATE/s for 30 s, every answer from PostgreSQL ${SLOW_DB_MS} ms late from 5 s to 20 s"
  stop_processor TERM
  DELAY_FILE=$WORK/db-delay-ms
  echo 0 >"$DELAY_FILE"
  java -cp "$DRIVER_CP" dev.payproc.bench.faults.SlowLink "$SLOW_PORT" 127.0.0.1 "$PGPORT" "$DELAY_FILE" >"$WORK/slowlink.log" 2>&1 &
  SLOWLINK=$!
  for _ in $(seq 100); do grep -q '^SlowLink:' "$WORK/slowlink.log" && break; sleep 0.1; done
  # A relay that could not listen (the port taken) would leave the processor talking to whatever holds it.
  grep -q '^SlowLink: 127.0.0.1:' "$WORK/slowlink.log" || die "the slow-database relay did not start: $(cat "$WORK/slowlink.log")"
  PROC_PGPORT=$SLOW_PORT start_ready "$(now_ms)"
  pid_before=$PROC
  # A long warm-up (closed loop, 16 streams): the processor was just restarted, and a cold JIT at this rate is
  # overload (the admission limit sheds it), which this scenario is not about.
  load_bg load phase=8 out="$WORK/slow-db.tsv" warmup=15 duration=30 rate="$RATE" flag="$FLAG"
  sleep 20
  touch "$FLAG"
  echo "$SLOW_DB_MS" >"$DELAY_FILE"
  sleep 15
  echo 0 >"$DELAY_FILE"
  sleep 0.1 # SlowLink reads the file every 50 ms
  rm -f "$FLAG"
  load_wait
  figures=$(audit 8 "$WORK/slow-db.tsv")
  log "  load: $load"
  # Each statement waits SLOW_DB_MS for its answer, and the batches queued behind it up to one more.
  slow_bound=$((3 * SLOW_DB_MS + 1000))
  p99_slow=$(val p99_degraded_ms "$load")
  ready_down=$(val ready_down "$load")
  why=
  [ "$(val s201 "$load")" -gt 0 ] && [ "$(val overloaded "$load")" = 0 ] && [ "$(val unavailable "$load")" = 0 ] \
    && [ "$(val other "$load")" = 0 ] && [ "$(val stream_err "$load")" = 0 ] && [ "$(val refused_err "$load")" = 0 ] \
    || why+="answers other than 201 or transport errors; "
  [ "$(val slow "$load")" = 0 ] && [ "$(val unfinished "$load")" = 0 ] || why+="requests slower than 6 s; "
  [ "${p99_slow%.*}" -le "$slow_bound" ] || why+="p99 while slow above $slow_bound ms; "
  [ "${ready_down%/*}" = 0 ] || why+="/health/ready not 200 while the database was slow; "
  [ "$(val first201_after_ms "$load")" -ge 0 ] || why+="no 201 after the delay ended; "
  [ "$PROC" = "$pid_before" ] && kill -0 "$PROC" 2>/dev/null || why+="the processor did not survive; "
  heap_ok "$load" || why+="heap held above $HEAP_BOUND_MB MB; "
  audit_ok "$figures" || why+="audit; "
  verdict "slow database" "$([ -z "$why" ] && echo 1 || echo 0)" "$(val acknowledged "$figures") acknowledged, $(val found "$figures") found, $(val duplicated "$figures") duplicated; $(val s201 "$load") x 201 and nothing else; p99 while slow $p99_slow ms (bound $slow_bound ms), max $(val max_degraded_ms "$load") ms, p99 over the whole run $(val p99_ms "$load") ms; ready 503 in $ready_down samples; first 201 $(val first201_after_ms "$load") ms after the delay ended; $(heap_figures "$load"); reconciliation $(val reconciliation "$figures")" \
    "${why}load: $load; audit: $figures"
  stop_processor TERM
  kill "$SLOWLINK" 2>/dev/null; wait "$SLOWLINK" 2>/dev/null || true
  SLOWLINK=
  start_ready "$(now_ms)"
}

# --- 5. graceful shutdown: SIGTERM under load ------------------------------------------------------------------
scenario_shutdown() {
  log "graceful shutdown: load at $RATE/s for 8 s (after 2 s warm-up), SIGTERM after 3 s"
  load_bg load phase=7 out="$WORK/shutdown.tsv" warmup=2 duration=8 rate="$RATE" flag="$FLAG"
  sleep 5
  touch "$FLAG"
  term_at=$(now_ms)
  stop_processor TERM
  exit_ms=$(($(now_ms) - term_at))
  rm -f "$FLAG"
  load_wait
  start_ready "$(now_ms)" # for the reconciliation endpoint
  figures=$(audit 7 "$WORK/shutdown.tsv")
  log "  load: $load"
  why=
  [ "$PROC_RC" = 0 ] || why+="exit status $PROC_RC; "
  [ "$(val stream_err "$load")" = 0 ] && [ "$(val unfinished "$load")" = 0 ] || why+="requests sent but never answered; "
  [ "$(val other "$load")" = 0 ] && [ "$(val no_retry_after "$load")" = 0 ] || why+="answers other than 201/503 with Retry-After; "
  audit_ok "$figures" || why+="audit; "
  verdict "graceful shutdown" "$([ -z "$why" ] && echo 1 || echo 0)" "exit $PROC_RC after $exit_ms ms; $(val s201 "$load") x 201, $(val overloaded "$load")+$(val unavailable "$load") x 503, $(val stream_err "$load") unanswered, $(val refused_err "$load") refused unprocessed (GOAWAY or after exit); $(val acknowledged "$figures") acknowledged, $(val found "$figures") found, $(val duplicated "$figures") duplicated, $(val unacked_commits "$figures") committed without a 201; p99 while degraded $(val p99_degraded_ms "$load") ms; reconciliation $(val reconciliation "$figures")" \
    "${why}load: $load; audit: $figures"
}

for scenario in ${FAULTS_ONLY:-crash db_outage overload slow_db shutdown}; do
  declare -F "scenario_$scenario" >/dev/null || die "no scenario $scenario (crash db_outage overload slow_db shutdown)"
  "scenario_$scenario"
done

verdict "start-ups" "$([ "$START_FAILURES" = 0 ] && echo 1 || echo 0)" "$START_FAILURES of $STARTS processor start-ups failed"
log "outcome files, driver output and processor logs: $WORK"
[ "$FAILED" = 0 ] || { echo "faults: $FAILED scenario(s) FAILED"; exit 1; }
echo "faults: all scenarios PASS"
