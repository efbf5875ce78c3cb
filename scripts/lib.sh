# Shared by the scripts (source it: . "$(dirname "${BASH_SOURCE[0]}")/lib.sh"): where the jars are, building them
# when stale, and starting, awaiting and stopping a processor in the background. Defines functions and variables
# only; a processor is addressed on 127.0.0.1:$PORT.

PAYPROC_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# The processor's runnable jar: the only place that names it.
PAYPROC_JAR=$PAYPROC_ROOT/app/target/payproc.jar
BENCH_JAR=$PAYPROC_ROOT/benchmarks/target/benchmarks-0.1.0-SNAPSHOT.jar
BENCH_CLASSPATH=$PAYPROC_ROOT/benchmarks/target/classpath.txt # written by the benchmarks build
SCRIPT_NAME=$(basename "$0" .sh)
PROC= PROC_RC= PROC_LOG= STARTS=0 START_FAILURES=0

log() { printf '%s %s\n' "$(date +%T)" "$*" >&2; }
# die MESSAGE: exits DIE_STATUS (1 unless the script sets another).
die() { log "$SCRIPT_NAME: $*"; exit "${DIE_STATUS:-1}"; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# Test data only: the built-in development keys (card and audit), unless real ones are given (without them the
# processor refuses to start).
dev_keys_unless_given() { [ -n "${CARD_HMAC_KEY:-}" ] && [ -n "${AUDIT_HMAC_KEY:-}" ] || export DEV_KEYS=1; }

# The benchmarks' runtime classpath (its jar first), for java -cp.
bench_classpath() { echo "$BENCH_JAR:$(cat "$BENCH_CLASSPATH")"; }

# stale JAR...: true when a JAR or the benchmarks' classpath file is missing, or a main source or pom.xml of the
# repository is newer than a JAR.
stale() {
  local f
  for f in "$@" "$BENCH_CLASSPATH"; do [ -f "$f" ] || return 0; done
  for f in "$@"; do
    [ -z "$(find "$PAYPROC_ROOT" \( -path "$PAYPROC_ROOT/target" -o -path "$PAYPROC_ROOT/.git" \) -prune -o -type f \
              \( -path '*/src/main/*' -o -name pom.xml \) -newer "$f" -print -quit)" ] || return 0
  done
  return 1
}

# build_if_stale LOG JAR...: mvn package (no tests) when stale JAR..., its output in LOG; a failure shows its end and dies.
build_if_stale() {
  local build_log=$1; shift
  if ! stale "$@"; then echo "jars are up to date" >&2; return 0; fi
  mkdir -p "$(dirname "$build_log")"
  echo "building: mvn -B -q -DskipTests package (log: $build_log)" >&2
  (cd "$PAYPROC_ROOT" && mvn -B -q -DskipTests package) >"$build_log" 2>&1 || { tail -n 40 "$build_log" >&2; die "build failed"; }
}

# port_free: nothing answers HTTP/2 on $PORT.
port_free() { ! curl -s -o /dev/null --http2-prior-knowledge --max-time 2 "http://127.0.0.1:$PORT/health/live"; }

# start_processor LOG [VAR=value...]: the processor ($PROCESSOR_JAR, default the built jar) in the background with
# that environment, its output in LOG; PROC is its pid.
start_processor() {
  local out=$1; shift
  env "$@" java -jar "${PROCESSOR_JAR:-$PAYPROC_JAR}" >"$out" 2>&1 &
  PROC=$!
}

# await_ready LOG SECONDS: 0 once GET /health/ready answers 200 (READY_AT_MS: when), 1 when the processor exits or
# LOG reports a failed start-up (after which it may hang instead of exiting), or after SECONDS.
await_ready() {
  local deadline=$(($(now_ms) + $2 * 1000))
  while kill -0 "$PROC" 2>/dev/null && ! grep -q 'start-up failed' "$1"; do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' --http2-prior-knowledge --max-time 1 "http://127.0.0.1:$PORT/health/ready")" = 200 ]; then
      READY_AT_MS=$(now_ms)
      return 0
    fi
    [ "$(now_ms)" -lt "$deadline" ] || return 1
    sleep 0.1
  done
  return 1
}

# start_ready NAME [VAR=value...]: starts the processor, log NAME-N.log (N counts every start: STARTS; PROC_LOG), and
# waits until it is ready (60 s). A start-up that fails is reported, counted (START_FAILURES) and tried once more: on
# a busy box a start-up query can time out. Dies after two.
start_ready() {
  local name=$1 attempt; shift
  for attempt in 1 2; do
    STARTS=$((STARTS + 1)) PROC_LOG=$name-$STARTS.log
    start_processor "$PROC_LOG" "$@"
    if await_ready "$PROC_LOG" 60; then return 0; fi
    START_FAILURES=$((START_FAILURES + 1))
    log "processor start-up $STARTS failed (log: $PROC_LOG): $(grep -m1 -E 'SEVERE|could not start' "$PROC_LOG" || echo 'not ready within 60 s')"
    stop_processor KILL
  done
  die "the processor failed to start twice (logs: $name-*.log)"
}

# stop_processor [TERM|KILL]: sets PROC_RC, the processor's exit status. SIGTERM (the default) drains for at most
# 10 s, so after 30 s it is SIGKILL. The wait follows the kill directly, with stderr discarded, so that bash prints
# no "Killed" job notice.
stop_processor() {
  PROC_RC=
  [ -n "$PROC" ] || return 0
  if [ "${1:-TERM}" = TERM ]; then
    kill -TERM "$PROC" 2>/dev/null || true
    for _ in $(seq 300); do kill -0 "$PROC" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$PROC" 2>/dev/null && log "processor $PROC ignored SIGTERM for 30 s: SIGKILL"
  fi
  { kill -KILL "$PROC"; wait "$PROC"; } 2>/dev/null && PROC_RC=0 || PROC_RC=$?
  PROC=
}
