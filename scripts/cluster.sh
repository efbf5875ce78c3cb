#!/usr/bin/env bash
# Starts N processors in cluster mode on one database on this machine (issue 19), waits until every one is ready
# and sees all N members, prints each one's membership and partitions, then runs until Ctrl-C (or SIGTERM), which
# drains and stops them all. With CLUSTER_CHECK=1 it instead sends one card's attempts through the members in turn,
# prints each answer (the card's velocity limit declines the 6th attempt, whichever member it reached) and each
# member's forwarding counts, and stops them.
#
# Settings (environment): NODES (3); PORT (8080: member i listens on PORT+i); CLUSTER_PORT (7800: its JGroups port
# is CLUSTER_PORT+i); PGHOST PGPORT PGDATABASE PGUSER (the one database they share: 127.0.0.1 5432 postgres
# postgres); DEMO_MERCHANT_ID (m-1001), DEMO_API_KEY (sk_cluster_local_only). Logs: target/cluster/member-i.log.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
NODES="${NODES:-3}" PORT="${PORT:-8080}" CLUSTER_PORT="${CLUSTER_PORT:-7800}"
MERCHANT="${DEMO_MERCHANT_ID:-m-1001}" API_KEY="${DEMO_API_KEY:-sk_cluster_local_only}"
[[ "$NODES" =~ ^[1-9][0-9]?$ ]] || die "NODES must be a number from 1 to 99"
dev_keys_unless_given
OUT="$PAYPROC_ROOT/target/cluster"
mkdir -p "$OUT"
build_if_stale "$OUT/build.log" "$PAYPROC_JAR"

hosts=""
for i in $(seq 0 $((NODES - 1))); do hosts+="${hosts:+,}127.0.0.1:$((CLUSTER_PORT + i))"; done
PIDS=()
stop_all() {
  local p
  for p in "${PIDS[@]}"; do PROC=$p stop_processor; done
  PIDS=()
}
trap stop_all EXIT
trap 'exit 130' INT TERM

port_of() { echo $((PORT + $1)); }
metric() { # metric MEMBER NAME: the value of an unlabelled (or first) sample of NAME in the member's /metrics
  curl -s --http2-prior-knowledge --max-time 2 "http://127.0.0.1:$(port_of "$1")/metrics" |
    awk -v n="$2" '$1 == n || index($1, n "{") == 1 {print $2; exit}'
}

# Started one after the other: members starting at the same instant can each form a cluster of their own (JGroups
# merges them within seconds, but a member alone first owns every partition).
for i in $(seq 0 $((NODES - 1))); do
  log "member $i: HTTP port $(port_of "$i"), JGroups 127.0.0.1:$((CLUSTER_PORT + i))"
  start_processor "$OUT/member-$i.log" PORT="$(port_of "$i")" CLUSTER_HOSTS="$hosts" CLUSTER_PORT="$((CLUSTER_PORT + i))" \
    DEMO_MERCHANT_ID="$MERCHANT" DEMO_API_KEY="$API_KEY"
  PIDS+=("$PROC")
  PORT=$(port_of "$i") await_ready "$OUT/member-$i.log" 120 || die "member $i did not become ready (log: $OUT/member-$i.log)"
done
deadline=$(($(now_ms) + 60000))
for i in $(seq 0 $((NODES - 1))); do
  until [ "$(metric "$i" payproc_cluster_members)" = "$NODES" ]; do
    [ "$(now_ms)" -lt "$deadline" ] || die "member $i sees $(metric "$i" payproc_cluster_members) members, not $NODES"
    sleep 0.2
  done
done
for i in $(seq 0 $((NODES - 1))); do
  log "member $i (port $(port_of "$i")): $(metric "$i" payproc_cluster_members) members, owns $(metric "$i" payproc_cluster_partitions_owned) of $(metric "$i" payproc_cluster_partitions) partitions"
done

if [ "${CLUSTER_CHECK:-}" = 1 ]; then
  # A fresh card (no history yet): 15 digits from the clock and its Luhn check digit.
  body=$(printf '4%014d' $(( $(date +%s%N) % 100000000000000 )))
  pan=$body$(awk -v p="$body" 'BEGIN { s = 0; for (i = length(p); i >= 1; i--) { d = substr(p, i, 1) + 0;
    if ((length(p) - i) % 2 == 0) { d *= 2; if (d > 9) d -= 9 } s += d } print (10 - s % 10) % 10 }')
  for attempt in 1 2 3 4 5 6; do
    i=$(( (attempt - 1) % NODES ))
    answer=$(curl -s --http2-prior-knowledge --max-time 10 "http://127.0.0.1:$(port_of "$i")/v1/authorizations" \
      -H "Authorization: Bearer $API_KEY" -H 'Content-Type: application/json' -H "Idempotency-Key: cluster-check-$$-$attempt" \
      -d "{\"merchantId\":\"$MERCHANT\",\"terminalId\":\"t-cluster-$attempt\",\"amount\":1250,\"currency\":\"EUR\",
           \"card\":{\"pan\":\"$pan\",\"expiry\":\"12/30\"},\"entryMode\":\"CONTACTLESS\",\"mcc\":\"5411\",
           \"merchantCountry\":\"DE\",\"cardholderVerification\":\"NONE\",\"capture\":\"AUTO\"}")
    status=$(sed -n 's/.*"status":"\([A-Z_]*\)".*/\1/p' <<<"$answer")
    log "attempt $attempt through member $i: $status $(grep -o '"code":"[A-Z_]*"' <<<"$answer" | tr '\n' ' ')"
    last=$status
  done
  for i in $(seq 0 $((NODES - 1))); do
    log "member $i: forwarded out $(curl -s --http2-prior-knowledge "http://127.0.0.1:$(port_of "$i")/metrics" |
      awk '/^payproc_cluster_forwarded_total\{direction="out"\}/ {o=$2} /^payproc_cluster_forwarded_total\{direction="in"\}/ {n=$2} END {print o ", in " n}')"
  done
  [ "$last" = DECLINED ] || die "the 6th attempt of one card was $last, not DECLINED"
  log "cluster check: OK"
  exit 0
fi

log "$NODES members running; Ctrl-C stops them"
while :; do
  for p in "${PIDS[@]}"; do kill -0 "$p" 2>/dev/null || die "a member exited (logs: $OUT/member-*.log)"; done
  sleep 1
done
