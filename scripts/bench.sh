#!/usr/bin/env bash
# Measures the whole system on this machine in one run (about 11-12 minutes, at most 16) and prints a side-by-side
# table with ratios:
#   1. the HTTP/2 ceiling: the processor started with BENCH_CEILING=1 (POST /v1/authorizations reads the body and
#      answers a fixed 201: no auth, no pipeline, no database), driven by the project's harness (closed model) and
#      by h2load (nghttp2-client, installed if missing);
#   2. the full durable path (auth, validation, tokenization, risk, group commit to PostgreSQL, answer) at its
#      maximum (closed model), then the highest constant arrival rate whose p99 stays under P99_TARGET_MS (open
#      model, latency from the intended send time; a bisection in the same, warm harness JVM);
#   3. PostgreSQL's ceiling for the same rows: the settlement writers' own INSERT statement and parameter encoding
#      (dev.payproc.bench.InsertCeiling), on the same database, one connection per writer, at the batch size
#      the writers reached under load and at their cap (512); then today's layout against the one before V16, ABBA;
#   4. the tail: fixed open-model rates (TAIL_RATES) against the bare server (1c) and the full path (2b).
# The load generator, the processor and PostgreSQL share this machine's cores: every figure comes with the CPU
# each of them used, and with what other users' processes used meanwhile.
#
# Settings (environment):
#   PGHOST PGPORT PGUSER (127.0.0.1 5432 postgres); BENCH_DATABASE (payproc_bench: dropped and re-created)
#   PORT (8080)            where the processor under test listens; it must be free
#   CONNECTIONS (4), STREAMS (256)   HTTP/2 connections and requests in flight, for the harness and for h2load
#   WARMUP (15), WARMUP_MAX (90)   seconds of closed-loop warm-up at the start of each harness JVM (not recorded):
#                          at least WARMUP, longer while the rate still climbs or the JIT still compiles (under
#                          full load on two cores the server's C2 threads can stay busy for a minute)
#   DURATION (20)          measured seconds of each maximum-throughput run (harness and h2load)
#   P99_TARGET_MS (10), SEARCH_STEPS (4), SEARCH_DURATION (15)   the open-model search
#   DB_DURATION (15)       measured seconds of each InsertCeiling run
#   TAIL_RATES ("1000 2000"), TAIL_DURATION (15), TAIL_SETTLE (45)   fixed open-model rates run against the bare
#                          server and the full path, for the tail ratios (p99 and p99.9 of the full path over the bare
#                          server's); each measured after TAIL_SETTLE s at its rate (the harness's SETTLE), so in the
#                          steady state of that rate, not in the recovery from the closed-loop warm-up. After each full
#                          run the processor's own view of the tail: its stage quantiles (a 60-s window, so with
#                          TAIL_SETTLE + TAIL_DURATION >= 60 all at that rate) and its GC pauses meanwhile (GC log); and
#                          once, the floor the tail stands on: one payment per commit on one connection (InsertCeiling
#                          batch 1), the synchronous commit's own p99 on this disk
#   LAYOUT_BATCHES ("1,32,512"), LAYOUT_DURATION (8)   InsertCeiling COMPARE_LAYOUTS: today's layout against the one
#                          before V16 on two fresh databases, ABBA, at each batch size
# Output: the table on stdout, everything else (logs, each tool's full output, .hgrm histograms, the processor's
# /metrics after the maximum run, summary.txt) under target/bench/, with an HTML report and PNG charts per harness run
# (NAME.html, NAME-percentiles.png, NAME-timeline.png) and report.html: ceiling and full path side by side.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/lib.sh

PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
BENCH_DATABASE="${BENCH_DATABASE:-payproc_bench}" PORT="${PORT:-8080}"
CONNECTIONS="${CONNECTIONS:-4}" STREAMS="${STREAMS:-256}" WARMUP="${WARMUP:-15}" WARMUP_MAX="${WARMUP_MAX:-90}"
DURATION="${DURATION:-20}"
P99_TARGET_MS="${P99_TARGET_MS:-10}" SEARCH_STEPS="${SEARCH_STEPS:-4}" SEARCH_DURATION="${SEARCH_DURATION:-15}"
DB_DURATION="${DB_DURATION:-15}"
TAIL_RATES="${TAIL_RATES:-1000 2000}" TAIL_DURATION="${TAIL_DURATION:-15}" TAIL_SETTLE="${TAIL_SETTLE:-45}"
LAYOUT_BATCHES="${LAYOUT_BATCHES:-1,32,512}" LAYOUT_DURATION="${LAYOUT_DURATION:-8}"
export PGHOST PGPORT PGUSER
dev_keys_unless_given
MERCHANT=m-1001 API_KEY=sk_bench_local_only
OUT=target/bench
BASE="http://127.0.0.1:$PORT"
BUDGET=960 # seconds for the whole run
GC_LOG= # the full-path processor's GC log, once it runs

note() { printf '\n== %s (%ds)\n' "$*" "$SECONDS"; }
[[ "$BENCH_DATABASE" =~ ^[a-z_][a-z0-9_]*$ ]] || die "BENCH_DATABASE must be a plain lower-case identifier"
budget() { (( SECONDS + $1 <= BUDGET )) || die "only $((BUDGET - SECONDS)) s of the ${BUDGET}-s budget left, $2 needs about $1 s"; }
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; } # utime + stime of a pid, 1/100 s
field() { grep -o " $2=[^ ]*" <<<" $1" | head -1 | cut -d= -f2; }       # field LINE KEY of a RESULT line

trap stop_processor EXIT
trap 'exit 130' INT TERM

processor() { # processor LABEL [VAR=value...]: in the background, until /health/ready answers 200
  local label=$1; shift
  start_ready "$OUT/$label-processor" "$@" PORT="$PORT" PGDATABASE="$BENCH_DATABASE" DEMO_MERCHANT_ID="$MERCHANT" DEMO_API_KEY="$API_KEY"
}

harness() { # harness LABEL [VAR=value...]: the load harness in the foreground, its output kept in $OUT/LABEL.txt
  local label=$1; shift
  env "$@" PORT="$PORT" DEMO_MERCHANT_ID="$MERCHANT" DEMO_API_KEY="$API_KEY" CONNECTIONS="$CONNECTIONS" STREAMS="$STREAMS" \
    SERVER_PID="$PROC" OUT="$OUT/$label.hgrm" WARMUP="$WARMUP" WARMUP_MAX="$WARMUP_MAX" \
    timeout 300 java -cp "$(bench_classpath)" dev.payproc.bench.LoadHarness >"$OUT/$label.txt" 2>&1 || true
  grep -E '^(warm-up|RESULT|SEARCH|step )' "$OUT/$label.txt" || true
  grep -q '^RESULT' "$OUT/$label.txt" || { tail -n 30 "$OUT/$label.txt" >&2; die "the harness ($label) produced no result"; }
}

mkdir -p target && rm -rf "$OUT" && mkdir -p "$OUT"
note "machine"
echo "$(date -u +%FT%TZ); $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB; $(java -version 2>&1 | head -1)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

note "PostgreSQL on $PGHOST:$PGPORT, fresh database $BENCH_DATABASE"
scripts/db.sh
psql -d postgres -v ON_ERROR_STOP=1 -qAt -c "DROP DATABASE IF EXISTS $BENCH_DATABASE" -c "CREATE DATABASE $BENCH_DATABASE" -c 'SELECT version()'

note "build"
if stale "$PAYPROC_JAR" "$BENCH_JAR"; then budget 240 "the build"; fi
build_if_stale "$OUT/build.log" "$PAYPROC_JAR" "$BENCH_JAR"
if ! command -v h2load >/dev/null; then
  echo "h2load is missing: apt-get install -y nghttp2-client"
  apt-get install -y nghttp2-client >"$OUT/apt.log" 2>&1 || echo "bench: could not install h2load; its row will be empty" >&2
fi
port_free || die "something already answers on port $PORT; set PORT"

note "1. HTTP/2 ceiling (BENCH_CEILING=1): the harness, closed model, $STREAMS streams"
budget $((WARMUP_MAX + DURATION + DURATION + 50)) "the ceiling runs"
processor ceiling BENCH_CEILING=1
grep -q BENCH_CEILING "$OUT"/ceiling-processor-*.log || die "this payproc.jar ignores BENCH_CEILING=1 (no ceiling mode yet)"
harness ceiling TARGET=ceiling RATE=max DURATION="$DURATION" # its warm-up warms the fresh server too
CEIL=$(grep '^RESULT' "$OUT/ceiling.txt")

H2=""
if command -v h2load >/dev/null; then
  note "1b. HTTP/2 ceiling: h2load -c $CONNECTIONS -m $((STREAMS / CONNECTIONS)), ${DURATION} s after 3 s of warm-up"
  # One fixed body: the ceiling server neither parses nor deduplicates it.
  printf '%s' '{"merchantId":"'"$MERCHANT"'","terminalId":"t-1","amount":1250,"currency":"EUR","card":{"pan":"4111111111111111","expiry":"12/30"},"entryMode":"CHIP","mcc":"5411","merchantCountry":"DE","cardholderVerification":"PIN","capture":"AUTO"}' >"$OUT/body.json"
  s0=$(ticks "$PROC"); t0=$(date +%s.%N)
  TIMEFORMAT='%U %S'
  { time h2load -D "$DURATION" --warm-up-time=3 -c "$CONNECTIONS" -m $((STREAMS / CONNECTIONS)) \
      -H 'content-type: application/json' -d "$OUT/body.json" "$BASE/v1/authorizations" >"$OUT/h2load.txt" 2>&1 ; } \
      2>"$OUT/h2load.time" || true
  s1=$(ticks "$PROC"); t1=$(date +%s.%N)
  grep -E '^(finished|requests|status codes|time for request)' "$OUT/h2load.txt" || true
  H2_RATE=$(sed -n 's/^finished in [^,]*, \([0-9.]*\) req\/s.*/\1/p' "$OUT/h2load.txt")
  if [ -n "$H2_RATE" ]; then
    read -r H2_MEAN H2_MAX < <(awk '/^time for request:/ {print $6, $5}' "$OUT/h2load.txt") # min max mean sd
    read -r u s <"$OUT/h2load.time" # h2load's user and system CPU
    wall=$(echo "$t1 - $t0" | bc -l)
    H2="$H2_RATE $H2_MEAN $H2_MAX $(echo "100 * ($u + $s) / $wall" | bc -l) $(echo "($s1 - $s0) / $wall" | bc -l)"
  fi
fi
tail_rates() { # tail_rates LABEL TARGET: each of TAIL_RATES for TAIL_DURATION s against the warm processor
  local r
  for r in $TAIL_RATES; do
    local gc0; gc0=$(gc_lines)
    harness "$1-$r" TARGET="$2" RATE="$r" DURATION="$TAIL_DURATION" WARMUP=5 WARMUP_MAX=10 SETTLE="$TAIL_SETTLE"
    if [ "$2" = full ]; then
      curl -s --http2-prior-knowledge --max-time 5 "$BASE/metrics" >"$OUT/$1-$r-metrics.txt" || true
      tail -n +$((gc0 + 1)) "$GC_LOG" >"$OUT/$1-$r-gc.log" 2>/dev/null || true
      echo "$(tail_causes "$1-$r")" | tee "$OUT/$1-$r-causes.txt"
    fi
  done
}
gc_lines() { if [ -n "$GC_LOG" ] && [ -f "$GC_LOG" ]; then wc -l <"$GC_LOG"; else echo 0; fi; }
# tail_causes NAME: the processor's p99/p99.9 per stage (ms) over its last 60 s, and its GC pauses during the run.
tail_causes() {
  local m="$OUT/$1-metrics.txt" st q line=""
  for st in intake_queue settlement_queue commit end_to_end; do
    line+="$st"
    for q in 0.99 0.999; do
      line+=" $(sed -n "s/^payproc_stage_latency_seconds{stage=\"$st\",quantile=\"$q\"} \(.*\)/\1/p" "$m" | awk '{printf "%.2f", $1 * 1000}')"
    done
    line+="; "
  done
  line+="event_loop_lag $(sed -n 's/^payproc_event_loop_lag_seconds{quantile="0.99"} \(.*\)/\1/p' "$m" | awk '{printf "%.2f", $1 * 1000}'); "
  line+="GC $(grep -c 'Pause' "$OUT/$1-gc.log" || true) pauses, worst $(grep -o 'Pause.* [0-9.]*ms$' "$OUT/$1-gc.log" |
    awk '{v = $NF; sub(/ms/, "", v); if (v + 0 > m) m = v + 0} END {printf "%.1f", m}') ms"
  echo "processor at $(cut -d- -f2 <<<"$1")/s, p99 p99.9 ms: $line"
}
note "1c. the bare HTTP/2 server at fixed rates ($TAIL_RATES/s, open model): the floor of the tail"
budget $(( $(wc -w <<<"$TAIL_RATES") * (TAIL_DURATION + TAIL_SETTLE + 15) )) "the bare fixed-rate runs"
tail_rates bare ceiling
stop_processor

note "2. full durable path: closed model, $STREAMS streams, then the open-model search (p99 < $P99_TARGET_MS ms)"
budget $((WARMUP_MAX + DURATION + SEARCH_STEPS * (SEARCH_DURATION + 5) + 50)) "the full-path runs"
# MERCHANT_RATE_LIMIT=0: all the load is one merchant; its default 20,000/s limit would answer 429, not measure.
GC_LOG="$OUT/full-gc.log"
processor full RISK_RULES_FILE=scripts/load-rules.json MERCHANT_RATE_LIMIT=0 JAVA_TOOL_OPTIONS="-Xlog:gc:file=$GC_LOG:uptime"
# The processor's own view right after the maximum run: batch sizes and stage latencies (last 60 s).
harness full TARGET=full RATE=max DURATION="$DURATION" SEARCH_P99_MS="$P99_TARGET_MS" \
  SEARCH_STEPS="$SEARCH_STEPS" SEARCH_DURATION="$SEARCH_DURATION" &
HARNESS=$!
until grep -q '^RESULT' "$OUT/full.txt" 2>/dev/null || ! kill -0 "$HARNESS" 2>/dev/null; do sleep 0.2; done
curl -s --http2-prior-knowledge --max-time 5 "$BASE/metrics" >"$OUT/full-metrics.txt" || true
wait "$HARNESS"
FULL=$(grep '^RESULT' "$OUT/full.txt" | head -1)
SEARCH=$(grep '^SEARCH' "$OUT/full.txt" || true)
BEST_RATE=$(field "$SEARCH" best_rate)
OPEN=$(grep "^RESULT.* model=open rate=${BEST_RATE:-none} " "$OUT/full.txt" || true)
echo "processor metrics after the maximum run (last 60 s):"
grep -E '^payproc_(settlement_batch_size|stage_latency_seconds)\{.*quantile="0\.(5|99)"' "$OUT/full-metrics.txt" | sed 's/^/  /' || true
grep -E '^payproc_http_responses_total' "$OUT/full-metrics.txt" | sed 's/^/  /' || true
note "2b. the full path at fixed rates ($TAIL_RATES/s, open model), for the tail ratios"
budget $(( $(wc -w <<<"$TAIL_RATES") * (TAIL_DURATION + TAIL_SETTLE + 15) )) "the full fixed-rate runs"
tail_rates tail full
stop_processor

BATCH=$(sed -n 's/^payproc_settlement_batch_size{quantile="0.5"} \([0-9.]*\).*/\1/p' "$OUT/full-metrics.txt" | cut -d. -f1)
BATCH=$(( ${BATCH:-0} > 0 ? BATCH : 64 ))
note "3. PostgreSQL insert ceiling: the writers' statement, 2 connections, batches of $BATCH (the writers' median) and 512"
budget $((2 * (DB_DURATION + 8))) "the insert-ceiling runs"
db_ceiling() {
  PGDATABASE="$BENCH_DATABASE" DEMO_MERCHANT_ID="$MERCHANT" DB_BATCH="$1" DB_CONNECTIONS=2 WARMUP=3 DURATION="$DB_DURATION" \
    timeout 120 java -cp "$(bench_classpath)" dev.payproc.bench.InsertCeiling >"$OUT/postgres-$1.txt" 2>&1 || true
  grep -E '^(  |RESULT)' "$OUT/postgres-$1.txt" || { tail -n 20 "$OUT/postgres-$1.txt" >&2; die "InsertCeiling failed"; }
}
db_ceiling "$BATCH"
DB1=$(grep '^RESULT' "$OUT/postgres-$BATCH.txt")
db_ceiling 512
DB2=$(grep '^RESULT' "$OUT/postgres-512.txt")
note "3c. the floor of the tail: one payment per commit, one connection (InsertCeiling batch 1)"
budget $((DB_DURATION + 8)) "the commit floor"
PGDATABASE="$BENCH_DATABASE" DEMO_MERCHANT_ID="$MERCHANT" DB_BATCH=1 DB_CONNECTIONS=1 WARMUP=3 DURATION="$DB_DURATION" \
  timeout 120 java -cp "$(bench_classpath)" dev.payproc.bench.InsertCeiling >"$OUT/postgres-floor.txt" 2>&1 || true
grep -E '^(  |RESULT)' "$OUT/postgres-floor.txt" || { tail -n 20 "$OUT/postgres-floor.txt" >&2; die "InsertCeiling failed"; }
FLOOR=$(grep '^RESULT' "$OUT/postgres-floor.txt")
note "3b. today's layout against the one before V16 (InsertCeiling COMPARE_LAYOUTS, ABBA, batches $LAYOUT_BATCHES)"
budget $(( $(tr ',' ' ' <<<"$LAYOUT_BATCHES" | wc -w) * 4 * (LAYOUT_DURATION + 8) + 10 )) "the layout comparison"
COMPARE_LAYOUTS=1 DB_BATCHES="$LAYOUT_BATCHES" DEMO_MERCHANT_ID="$MERCHANT" DB_CONNECTIONS=2 WARMUP=3 \
  DURATION="$LAYOUT_DURATION" timeout 600 java -cp "$(bench_classpath)" dev.payproc.bench.InsertCeiling \
  >"$OUT/layouts.txt" 2>&1 || true
grep -E '^(  batch|postgres cpu|RESULT)' "$OUT/layouts.txt" || { tail -n 20 "$OUT/layouts.txt" >&2; die "the layout comparison failed"; }

note "summary"
{
  echo "payproc bench $(date -u +%FT%TZ) on $(nproc) cores; load average now $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "CPU columns: % of one core over the run (client = load generator); other = cores busy with other users' processes"
  printf '%-46s %10s %8s %8s %9s %8s %8s %8s %6s\n' "" "answers/s" "p50 ms" "p99 ms" "p99.9 ms" "client" "server" "postgres" "other"
  row() { # row LABEL RESULT-line
    printf '%-46s %10.0f %8.2f %8.2f %9.2f %7.0f%% %7.0f%% %7.0f%% %6.2f\n' "$1" "$(field "$2" throughput)" "$(field "$2" p50)" \
      "$(field "$2" p99)" "$(field "$2" p999)" "$(field "$2" client_cpu_pct)" "$(field "$2" server_cpu_pct)" \
      "$(field "$2" postgres_cpu_pct)" "$(field "$2" other_cores)"
  }
  row "HTTP/2 ceiling, harness (closed)" "$CEIL"
  if [ -n "$H2" ]; then
    read -r r mean max cpu srv <<<"$H2"
    printf '%-46s %10.0f %27s %7.0f%% %7.0f%% %8s %6s\n' "HTTP/2 ceiling, h2load (closed)" "$r" "mean $mean, max $max" "$cpu" "$srv" "-" "-"
  fi
  row "full path, harness (closed)" "$FULL"
  if [ -n "$OPEN" ]; then row "full path, open model at ${BEST_RATE}/s (p99 < ${P99_TARGET_MS} ms)" "$OPEN"
  else echo "full path, open model: no rate tried kept p99 under $P99_TARGET_MS ms ($SEARCH)"; fi
  for db in "$DB1" "$DB2"; do
    printf '%-46s %10.0f %8.2f %8.2f %9s %7.0f%% %8s %7.0f%% %6.2f\n' \
      "PostgreSQL insert ceiling, batch $(field "$db" batch) (stmt ms)" "$(field "$db" throughput)" \
      "$(field "$db" statement_p50)" "$(field "$db" statement_p99)" "-" "$(field "$db" client_cpu_pct)" "-" \
      "$(field "$db" postgres_cpu_pct)" "$(field "$db" other_cores)"
  done
  ratio() { echo "$1 / $2" | bc -l | xargs printf '%.2f'; }
  echo
  echo "ratio full/ceiling: $(ratio "$(field "$FULL" throughput)" "$(field "$CEIL" throughput)")"
  [ -n "$H2" ] && echo "ratio full/ceiling (h2load): $(ratio "$(field "$FULL" throughput)" "${H2%% *}")"
  [ -n "$H2" ] && echo "ratio harness/h2load on the ceiling: $(ratio "$(field "$CEIL" throughput)" "${H2%% *}")"
  echo "ratio full/postgres insert ceiling (batch $BATCH): $(ratio "$(field "$FULL" throughput)" "$(field "$DB1" throughput)")"
  [ -n "$OPEN" ] && echo "ratio open p99<${P99_TARGET_MS}ms/full maximum: $(ratio "$BEST_RATE" "$(field "$FULL" throughput)")"
  grep '^postgres cpu per payment' "$OUT/layouts.txt" || true
  echo "processor cpu per answer: $(field "$FULL" server_us) us (closed-loop maximum)"
  for r in $TAIL_RATES; do
    bare=$(grep '^RESULT' "$OUT/bare-$r.txt" | head -1) full=$(grep '^RESULT' "$OUT/tail-$r.txt" | head -1)
    echo "p99 ratio full/bare at $r/s: $(echo "$(field "$full" p99) / $(field "$bare" p99)" | bc -l | xargs printf '%.1f')" \
      "(full $(field "$full" p99) ms, bare $(field "$bare" p99) ms; p99.9 ratio" \
      "$(echo "$(field "$full" p999) / $(field "$bare" p999)" | bc -l | xargs printf '%.1f'):" \
      "$(field "$full" p999) against $(field "$bare" p999) ms)"
  done
  cat "$OUT"/tail-*-causes.txt 2>/dev/null || true
  echo "commit floor (one payment per commit, one connection): p50 $(field "$FLOOR" statement_p50) ms," \
    "p99 $(field "$FLOOR" statement_p99) ms, p99.9 $(field "$FLOOR" statement_p999) ms"
  echo "harness CPU per answer: ceiling $(field "$CEIL" client_us) µs, full $(field "$FULL" client_us) µs;" \
    "processor CPU per answer: ceiling $(field "$CEIL" server_us) µs, full $(field "$FULL" server_us) µs" \
    "(its JIT compiler threads: $(field "$FULL" server_jit_s) s of the full run);" \
    "PostgreSQL CPU per answer (full) $(field "$FULL" postgres_us) µs"
} | tee "$OUT/summary.txt"
java -cp "$(bench_classpath)" dev.payproc.bench.report.BenchReport "$OUT" "${BEST_RATE:-}" ||
  echo "bench: the combined report failed" >&2
ls "$OUT"/*.html "$OUT"/*.png 2>/dev/null | sed 's/^/  /'
echo "details: $OUT/ (each tool's output, histograms, logs); took ${SECONDS} s"
