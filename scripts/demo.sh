#!/usr/bin/env bash
# See the processor work, from nothing: database, build, start, one authorization by hand, a burst,
# metrics, clean shutdown.   bash scripts/demo.sh
# Settings (environment): PGHOST PGPORT PGUSER, DEMO_DATABASE (payproc_demo, dropped and re-created),
# PORT ADMIN_API_KEY DEMO_MERCHANT_ID DEMO_API_KEY, and BURST CONCURRENCY for the burst.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/lib.sh

PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
DEMO_DATABASE="${DEMO_DATABASE:-payproc_demo}"
PORT="${PORT:-8080}" ADMIN_API_KEY="${ADMIN_API_KEY:-demo-admin-key-local-only-0123456789}"
DEMO_MERCHANT_ID="${DEMO_MERCHANT_ID:-m-1001}" DEMO_API_KEY="${DEMO_API_KEY:-sk_demo_local_only}"
export PGHOST PGPORT PGUSER PORT ADMIN_API_KEY DEMO_MERCHANT_ID DEMO_API_KEY
dev_keys_unless_given

BASE="http://127.0.0.1:$PORT"
CURL=(curl -s --http2-prior-knowledge --max-time 10)

step() { printf '\n== %s\n' "$*"; }

[[ "$DEMO_DATABASE" =~ ^[a-z_][a-z0-9_]*$ ]] || die "DEMO_DATABASE must be a plain lower-case identifier, got '$DEMO_DATABASE'"

step "PostgreSQL on $PGHOST:$PGPORT"
scripts/db.sh
psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -v ON_ERROR_STOP=1 -q \
  -c "DROP DATABASE IF EXISTS $DEMO_DATABASE" -c "CREATE DATABASE $DEMO_DATABASE"
echo "fresh database $DEMO_DATABASE"

step "Build"
mkdir -p target
build_if_stale target/demo-build.log "$PAYPROC_JAR" "$BENCH_JAR"

step "Start the processor on port $PORT (log: target/demo-processor-N.log)"
port_free || die "something already answers on port $PORT; stop it or set PORT"
trap stop_processor EXIT
start_ready target/demo-processor PGDATABASE="$DEMO_DATABASE" RISK_RULES_FILE="${RISK_RULES_FILE:-scripts/load-rules.json}"
echo "processor ready (log: $PROC_LOG)"

step "One authorization by hand"
KEY="demo-curl-$(date +%s)"
BODY='{"merchantId":"'"$DEMO_MERCHANT_ID"'","terminalId":"t-1","amount":1250,"currency":"EUR",
 "card":{"pan":"4111111111111111","expiry":"12/30"},"entryMode":"CONTACTLESS","mcc":"5411",
 "merchantCountry":"DE","cardholderVerification":"NONE","capture":"AUTO"}'
printf '> POST %s/v1/authorizations  (HTTP/2 cleartext)\n> Authorization: Bearer %s\n> Idempotency-Key: %s\n> Content-Type: application/json\n>\n%s\n\n' \
  "$BASE" "$DEMO_API_KEY" "$KEY" "$BODY"
"${CURL[@]}" -i -X POST "$BASE/v1/authorizations" -H "Authorization: Bearer $DEMO_API_KEY" \
  -H "Idempotency-Key: $KEY" -H 'Content-Type: application/json' --data-binary "$BODY"
echo

step "Burst (benchmarks: dev.payproc.bench.DemoBurst)"
BURST_RC=0
java -cp "$(bench_classpath)" dev.payproc.bench.DemoBurst || BURST_RC=$?

step "The merchant's event feed: GET /v1/events?after=0&limit=5 (its first five events, in feed order)"
FEED=$("${CURL[@]}" -w '\n%{http_code}' "$BASE/v1/events?after=0&limit=5" -H "Authorization: Bearer $DEMO_API_KEY")
FEED_STATUS=${FEED##*$'\n'} FEED_BODY=${FEED%$'\n'*}
sed 's/},{"seq"/},\n  {"seq"/g; s/"events":\[{/"events":[\n  {/' <<<"$FEED_BODY"
[ "$FEED_STATUS" = 200 ] && grep -q '"seq":1,' <<<"$FEED_BODY" || die "the event feed answered $FEED_STATUS: $FEED_BODY"

step "Processor metrics ($BASE/metrics, excerpt)"
sleep 1.5 # latency metrics are published once a second
"${CURL[@]}" "$BASE/metrics" \
  | grep -E '^payproc_stage_latency_seconds(_count|_sum)?\{stage="(end_to_end|commit)"|^payproc_decisions_total' || true

step "Processor log (last lines)"
tail -n 8 "$PROC_LOG"

step "Stop the processor (SIGTERM)"
stop_processor
trap - EXIT
echo "processor exit code: $PROC_RC (expected 0)"

[ "$BURST_RC" -eq 0 ] || die "DemoBurst failed (exit $BURST_RC)"
[ "$PROC_RC" -eq 0 ] || die "the processor did not shut down cleanly (exit $PROC_RC)"
echo "demo: OK"
