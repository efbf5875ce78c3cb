#!/usr/bin/env bash
# Fault injection: a crash, a database outage, overload, a slow database and a graceful shutdown, each under load,
# must lose nothing that was acknowledged and commit nothing twice.   bash scripts/faults.sh
#
# Everything runs on 127.0.0.1 against a PRIVATE PostgreSQL cluster (port 54329, target/faults-pgdata, created
# fresh each run so the audit sees only this run; stopping it never touches the system cluster) and a processor
# on port FAULTS_PORT started from a copy of the processor's jar (a build may replace the jar meanwhile).
# Load comes from dev.payproc.bench.faults.FaultDriver (HTTP/2 h2c: the Vert.x client, and for overload a cheaper
# sender on Netty's HTTP/2 codec directly), which writes every request's outcome to target/faults/*.tsv; the audit
# loads those files into psql and compares them with the ledger. This script controls the processes and takes the
# timings only it can; dev.payproc.bench.faults.verdict.Judge decides each scenario from the driver's, the audit's
# and these figures, and prints its verdict line.
# Exits 1 if any scenario fails (2 if it could not run). Takes 5-7 minutes.
# Settings (environment): FAULTS_PORT (18090) for the processor; FAULTS_RATE, requests/s of the background load
# (default half the calibrated maximum); HEAP_BOUND_MB (512), the heap the processor may hold (in use after a
# collection) while degraded;
# SLOW_DB_MS (200), how late each answer from PostgreSQL comes in the slow-database scenario (relay on SLOW_PORT, 54330);
# SLOW_DB_FRACTION (0.6), the part of the slow-database ceiling (writers x batch cap / SLOW_DB_MS) that scenario offers
# when it is less than the background load;
# FAULTS_ONLY, the scenarios to run, in order (default: crash db_outage overload slow_db shutdown).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/lib.sh
ROOT=$PWD
export PGHOST=127.0.0.1 PGPORT=54329 PGUSER=postgres PGDATABASE=postgres PRIVATE_PG_DIR=$ROOT/target/faults-pgdata
dev_keys_unless_given
DIE_STATUS=2
PORT=${FAULTS_PORT:-18090}
BASE=http://127.0.0.1:$PORT
MERCHANT=m-1001 API_KEY=sk_faults ADMIN_KEY=faults-admin-key-local-only-0123456789
WORK=$ROOT/target/faults
FLAG=$WORK/degraded          # exists while a fault is on: the driver measures "while degraded" by it
HEAP_BOUND_MB=${HEAP_BOUND_MB:-512}
SLOW_DB_MS=${SLOW_DB_MS:-200} SLOW_PORT=${SLOW_PORT:-54330} SLOW_DB_FRACTION=${SLOW_DB_FRACTION:-0.6}
PROCESSOR_JAR=$WORK/payproc.jar
DRIVER= SLOWLINK= FAILED=0

http() { curl -s -o /dev/null -w '%{http_code}' --http2-prior-knowledge --max-time "${2:-2}" -H "Authorization: Bearer $ADMIN_KEY" "$BASE$1" || true; }
# admin_number PATH NAME: the first number named NAME in the JSON answer of the admin endpoint PATH; dies without one.
admin_number() {
  local n
  n=$(curl -s --http2-prior-knowledge --max-time 5 -H "Authorization: Bearer $ADMIN_KEY" "$BASE$1" \
    | grep -o "\"$2\" *: *[0-9][0-9]*" | head -n 1 | grep -o '[0-9]*$' || true)
  [ -n "$n" ] || die "no $2 in GET $1"
  echo "$n"
}

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
# start_ready_since T0: starts the processor and waits until it is ready; READY_MS = milliseconds since T0.
start_ready_since() {
  start_ready "$WORK/processor" PGDATABASE=postgres PGPORT="${PROC_PGPORT:-$PGPORT}" PORT="$PORT" DEMO_MERCHANT_ID=$MERCHANT \
    DEMO_API_KEY=$API_KEY RISK_RULES_FILE=scripts/load-rules.json ADMIN_API_KEY=$ADMIN_KEY TERMINAL_RATE_LIMIT=0 MERCHANT_RATE_LIMIT=0
  READY_MS=$((READY_AT_MS - $1))
}

# --- load and audit -----------------------------------------------------------------------------------------
# driver OUT load|retry phase=N ...: runs FaultDriver (bounded), its output in OUT (figures on the RESULT line).
driver() {
  local out=$1
  shift
  # C1 only and the serial collector: on two busy cores C2's compiler threads starve the driver for seconds, and its
  # own delays would read as the processor's latency.
  timeout 150 java ${DRIVER_OPTS:--Xmx1g -XX:TieredStopAtLevel=1 -XX:+UseSerialGC} -cp "$DRIVER_CP" dev.payproc.bench.faults.FaultDriver "$@" port=$PORT key=$API_KEY merchant=$MERCHANT >"$out" 2>&1 \
    || { cat "$out" >&2; die "FaultDriver $1 failed"; }
  grep '^first ' "$out" | sed 's/^/    /' >&2 || true
  log "  $1: $(sed -n 's/^RESULT //p' "$out")"
}

# Starts a load run in the background; load_wait waits for it (wait must run in this shell).
load_bg() {
  driver "$@" &
  DRIVER=$!
}
load_wait() { wait "$DRIVER" || die "the load driver failed"; DRIVER=; }

# audit OUT PHASE FILE...: every key answered 2xx is in idempotency_keys once, with the answered payment id, and
# its payment has the answered status; nothing committed twice (every request has its own card, so two payments
# with one card fingerprint are a double commit) or without its key; every committed key of the phase was finally
# answered 2xx; the ledger balances per currency; GET /admin/reconciliation is 200. OUT gets the RESULT line.
audit() {
  local out=$1 phase=$2 copies="" f
  shift 2
  for f in "$@"; do copies+="\\copy o FROM '$f'"$'\n'; done
  local sql
  sql=$(psql -X -q -t -A -v ON_ERROR_STOP=1 <<SQL
CREATE TEMP TABLE o (key text, status int, payment_id text, decision text, error text, latency_us bigint, attempt int);
$copies
CREATE TEMP TABLE f AS SELECT DISTINCT ON (key) * FROM o ORDER BY key, attempt DESC; -- each key's final outcome
CREATE TEMP TABLE k AS SELECT * FROM idempotency_keys WHERE merchant_id = '$MERCHANT' AND idempotency_key LIKE 'f$phase-%';
SELECT format('RESULT acknowledged=%s found=%s duplicated=%s orphans=%s unacked_commits=%s in_doubt=%s unbalanced=%s',
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
  echo "$sql reconciliation=$(http /admin/reconciliation 30)" >"$out"
}

# judge SCENARIO k=v...: prints the scenario's verdict line (see Judge) and counts a FAIL.
judge() {
  local rc=0
  java -XX:TieredStopAtLevel=1 -cp "$DRIVER_CP" dev.payproc.bench.faults.verdict.Judge "$@" || rc=$?
  case $rc in 0) ;; 1) FAILED=$((FAILED + 1)) ;; *) die "could not judge $1 (figures: $WORK)" ;; esac
}

admin_config() {
  [ "$(curl -s -o /dev/null -w '%{http_code}' --http2-prior-knowledge -X PUT -H "Authorization: Bearer $ADMIN_KEY" \
    -H 'Content-Type: application/json' -d "$1" "$BASE/admin/config")" = 200 ] \
    || die "PUT /admin/config $1 failed"
}

# --- setup ----------------------------------------------------------------------------------------------------
mkdir -p "$WORK"
rm -f "$WORK"/*.tsv "$WORK"/*.out "$WORK"/*.log "$FLAG"
port_free || die "something already answers on port $PORT"
scripts/db.sh stop >/dev/null # a cluster left over from an interrupted run
if pg_isready -q -h "$PGHOST" -p "$PGPORT"; then die "a PostgreSQL that is not ours answers on port $PGPORT"; fi
rm -rf "$PRIVATE_PG_DIR"
scripts/db.sh >/dev/null

build_if_stale "$WORK/build.log" "$PAYPROC_JAR"
cp "$PAYPROC_JAR" "$PROCESSOR_JAR"
# The driver needs only Vert.x (and the Netty under it) and HdrHistogram: compiled here, it does not depend on the
# state of the modules others may be rebuilding.
rm -rf "$WORK/driver"
javac -d "$WORK/driver" -cp "$(cat "$BENCH_CLASSPATH")" benchmarks/src/main/java/dev/payproc/bench/faults/*.java \
  benchmarks/src/main/java/dev/payproc/bench/faults/verdict/*.java
DRIVER_CP="$WORK/driver:$(cat "$BENCH_CLASSPATH")"

start_ready_since "$(now_ms)"
log "calibrating: closed loop, 128 streams, 8 s (after 4 s warm-up)"
driver "$WORK/calibrate.out" load phase=0 out="$WORK/calibrate.tsv" warmup=4 duration=8 streams=128
RATE=${FAULTS_RATE:-$(java -XX:TieredStopAtLevel=1 -cp "$DRIVER_CP" dev.payproc.bench.faults.verdict.Judge background_rate load="$WORK/calibrate.out")} \
  || die "no background rate from the calibration"
log "background load for the fault scenarios: $RATE requests/s"

# --- 1. crash: kill -9 under load, restart, retry what got no answer or a 5xx with the same key ------------------
scenario_crash() {
  local i failures
  for i in 1 2 3; do
    log "crash #$i: load at $RATE/s for 10 s (after 2 s warm-up), kill -9 after 3 s, restart at once"
    load_bg "$WORK/crash-$i.out" load phase=$i out="$WORK/crash-$i.tsv" warmup=2 duration=10 rate="$RATE" flag="$FLAG"
    sleep 5 # warm-up + 3 s
    touch "$FLAG"
    stop_processor KILL
    failures=$START_FAILURES
    start_ready_since "$(now_ms)"
    rm -f "$FLAG"
    load_wait
    driver "$WORK/crash-$i-retry.out" retry phase=$i out="$WORK/crash-$i-retry.tsv" in="$WORK/crash-$i.tsv"
    audit "$WORK/crash-$i-audit.out" "$i" "$WORK/crash-$i.tsv" "$WORK/crash-$i-retry.tsv"
    judge crash number=$i load="$WORK/crash-$i.out" retry="$WORK/crash-$i-retry.out" audit="$WORK/crash-$i-audit.out" \
      recovery_ms="$READY_MS" failed_starts=$((START_FAILURES - failures))
  done
}

# --- 2. database outage: stop PostgreSQL for 15 s under load; fail fast, not ready, recover without restart ------
scenario_db_outage() {
  log "database outage: load at $RATE/s for 32 s, PostgreSQL stopped from 5 s to 20 s"
  local pid_before=$PROC down_at
  load_bg "$WORK/db.out" load phase=4 out="$WORK/db.tsv" warmup=2 duration=32 rate="$RATE" flag="$FLAG"
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
  driver "$WORK/db-retry.out" retry phase=4 out="$WORK/db-retry.tsv" in="$WORK/db.tsv"
  audit "$WORK/db-audit.out" 4 "$WORK/db.tsv" "$WORK/db-retry.tsv"
  judge db_outage load="$WORK/db.out" retry="$WORK/db-retry.out" audit="$WORK/db-audit.out" \
    survived="$(survived "$pid_before")" heap_bound_mb="$HEAP_BOUND_MB"
}

# survived PID: 1 if the processor running now is PID, still alive (never restarted), else 0.
survived() { [ "$PROC" = "$1" ] && kill -0 "$PROC" 2>/dev/null && echo 1 || echo 0; }

# --- 3. overload: twice the closed-loop maximum, open model ----------------------------------------------------
# The admission limit is lowered at run time (PUT /admin/config) so that the client's 8 HTTP/2 connections
# (2048 streams) can exceed it at this box's throughput; with the default 8192 a few hundred requests/s would
# need half a minute of excess to reach it.
scenario_overload() {
  local limit=256
  admin_config "{\"maxInFlight\":$limit}"
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
  # The probe's closed loop keeps as many streams busy as the one merchant may hold (MERCHANT_ADMISSION_SHARE,
  # 0.5 of the limit): with more, the excess is refused 503 at once and sent again in a tight loop, and the probe
  # measured its own refusals (193,061 of them in 10 s at 256 streams, a maximum read at 3,532/s below the 4,176/s
  # the overload phase then admitted).
  local probe_streams=$((limit / 2))
  log "overload: admission limit $limit; driver warm-up 20 s, closed-loop maximum over 10 s ($probe_streams streams), then twice that for 15 s"
  touch "$FLAG"
  DRIVER_OPTS="-Xmx1g -XX:+UseSerialGC" driver "$WORK/overload.out" load phase=6 out="$WORK/overload.tsv" warmup=20 probe=10 factor=2 \
    streams=$probe_streams duration=15 flag="$FLAG" sender=flood
  rm -f "$FLAG"
  admin_config '{"maxInFlight":8192}'
  audit "$WORK/overload-audit.out" 6 "$WORK/overload.tsv"
  # Judged after the onset (the first third: queues fill, the overload path gets compiled); see OverloadVerdict.
  judge overload load="$WORK/overload.out" audit="$WORK/overload-audit.out" limit=$limit heap_bound_mb="$HEAP_BOUND_MB"
}

# --- 4. slow database: every answer from PostgreSQL SLOW_DB_MS late for 15 s under load ---------------------------
# The processor is restarted behind dev.payproc.bench.faults.SlowLink, a relay that holds each chunk PostgreSQL
# sends for the milliseconds in $DELAY_FILE. Slow is not down (see SlowDatabaseVerdict). The load is not the
# background rate but at most SLOW_DB_FRACTION of what the writers can commit while slow (SlowDatabaseLoad:
# min(RATE, fraction x writers x batch cap / SLOW_DB_MS), writers and batch cap as this processor reports them), so
# that the scenario tests slowness, not saturation.
scenario_slow_db() {
  stop_processor TERM
  local delay_file=$WORK/db-delay-ms pid_before slow_rate
  echo 0 >"$delay_file"
  java -cp "$DRIVER_CP" dev.payproc.bench.faults.SlowLink "$SLOW_PORT" 127.0.0.1 "$PGPORT" "$delay_file" >"$WORK/slowlink.log" 2>&1 &
  SLOWLINK=$!
  for _ in $(seq 100); do grep -q '^SlowLink:' "$WORK/slowlink.log" && break; sleep 0.1; done
  # A relay that could not listen (the port taken) would leave the processor talking to whatever holds it.
  grep -q '^SlowLink: 127.0.0.1:' "$WORK/slowlink.log" || die "the slow-database relay did not start: $(cat "$WORK/slowlink.log")"
  PROC_PGPORT=$SLOW_PORT start_ready_since "$(now_ms)"
  pid_before=$PROC
  java -XX:TieredStopAtLevel=1 -cp "$DRIVER_CP" dev.payproc.bench.faults.verdict.Judge slow_db_rate fast_rate="$RATE" \
    writers="$(admin_number /admin/console/feed writers)" batch_cap="$(admin_number /admin/config settlementBatchCap)" \
    slow_db_ms="$SLOW_DB_MS" fraction="$SLOW_DB_FRACTION" >"$WORK/slow-db-rate.out" || die "no load for the slow database"
  slow_rate=$(sed -n 's/^RESULT .* slow_db_rate=\([0-9][0-9]*\).*/\1/p' "$WORK/slow-db-rate.out")
  [ -n "$slow_rate" ] || die "no slow_db_rate in $WORK/slow-db-rate.out"
  log "slow database: $(sed -n '/^RESULT /!p' "$WORK/slow-db-rate.out")"
  log "slow database: load at $slow_rate/s for 30 s, every answer from PostgreSQL ${SLOW_DB_MS} ms late from 5 s to 20 s"
  # A long warm-up (closed loop, 16 streams): the processor was just restarted, and a cold JIT at this rate is
  # overload (the admission limit sheds it), which this scenario is not about.
  load_bg "$WORK/slow-db.out" load phase=8 out="$WORK/slow-db.tsv" warmup=15 duration=30 rate="$slow_rate" flag="$FLAG"
  sleep 20
  touch "$FLAG"
  echo "$SLOW_DB_MS" >"$delay_file"
  sleep 15
  echo 0 >"$delay_file"
  sleep 0.1 # SlowLink reads the file every 50 ms
  rm -f "$FLAG"
  load_wait
  audit "$WORK/slow-db-audit.out" 8 "$WORK/slow-db.tsv"
  judge slow_db load="$WORK/slow-db.out" offered="$WORK/slow-db-rate.out" audit="$WORK/slow-db-audit.out" survived="$(survived "$pid_before")" \
    slow_db_ms="$SLOW_DB_MS" heap_bound_mb="$HEAP_BOUND_MB"
  stop_processor TERM
  kill "$SLOWLINK" 2>/dev/null; wait "$SLOWLINK" 2>/dev/null || true
  SLOWLINK=
  start_ready_since "$(now_ms)"
}

# --- 5. graceful shutdown: SIGTERM under load ------------------------------------------------------------------
scenario_shutdown() {
  log "graceful shutdown: load at $RATE/s for 8 s (after 2 s warm-up), SIGTERM after 3 s"
  local term_at exit_ms exit_status
  load_bg "$WORK/shutdown.out" load phase=7 out="$WORK/shutdown.tsv" warmup=2 duration=8 rate="$RATE" flag="$FLAG"
  sleep 5
  touch "$FLAG"
  term_at=$(now_ms)
  stop_processor TERM
  exit_ms=$(($(now_ms) - term_at)) exit_status=$PROC_RC
  rm -f "$FLAG"
  load_wait
  start_ready_since "$(now_ms)" # for the reconciliation endpoint
  audit "$WORK/shutdown-audit.out" 7 "$WORK/shutdown.tsv"
  judge shutdown load="$WORK/shutdown.out" audit="$WORK/shutdown-audit.out" exit_status="$exit_status" exit_ms=$exit_ms
}

for scenario in ${FAULTS_ONLY:-crash db_outage overload slow_db shutdown}; do
  declare -F "scenario_$scenario" >/dev/null || die "no scenario $scenario (crash db_outage overload slow_db shutdown)"
  "scenario_$scenario"
done

judge start_ups failed=$START_FAILURES starts=$STARTS
log "outcome files, driver output and processor logs: $WORK"
[ "$FAILED" = 0 ] || { echo "faults: $FAILED scenario(s) FAILED"; exit 1; }
echo "faults: all scenarios PASS"
