#!/usr/bin/env bash
# Issue 19's cluster-manager choice, measured (benchmarks/cluster-eval, a standalone project): for Hazelcast and for
# Infinispan under the Vert.x clustered event bus, ROUNDS (2) times each, alternating: a server process and a client
# process on loopback; the client's request-reply figures (REQUESTS, IN_FLIGHT), the join time, and the time from
# kill -9 of the server to the client noticing it left. Needs Maven Central once (the two managers' jars).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../benchmarks/cluster-eval"
ROUNDS="${ROUNDS:-2}" REQUESTS="${REQUESTS:-200000}" IN_FLIGHT="${IN_FLIGHT:-64}"
mvn -B -q compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
CP="target/classes:$(cat target/classpath.txt)"
JAVA=(java -Xmx512m -Djava.net.preferIPv4Stack=true -cp "$CP" dev.payproc.clustereval.EvalNode)
for round in $(seq "$ROUNDS"); do
  for kind in hz ispn; do
    log=target/$kind-$round
    "${JAVA[@]}" "$kind" server >"$log-server.log" 2>&1 &
    server=$!
    sleep 2
    "${JAVA[@]}" "$kind" client "$REQUESTS" "$IN_FLIGHT" >"$log-client.log" 2>&1 &
    client=$!
    for _ in $(seq 240); do grep -q '^READY' "$log-client.log" && break; sleep 0.5; done
    killed=$(date +%s%3N)
    { kill -9 "$server"; wait "$server"; } 2>/dev/null || true
    wait "$client" || true
    left=$(sed -n 's/^LEFT //p' "$log-client.log")
    echo "$(grep '^RESULT' "$log-client.log") $(grep -o 'joined in [0-9.]* s' "$log-client.log" | tr ' ' _)" \
      "noticed_kill_ms=$(( ${left:-0} - killed ))"
  done
done
