#!/usr/bin/env bash
# Builds the processor if needed and runs it in the foreground. SIGTERM drains in-flight work and exits 0.
# Settings come from the environment: PORT, TLS_PORT, PGHOST/PGPORT/PGDATABASE/PGUSER/PGPASSWORD,
# ADMIN_API_KEY, DEMO_MERCHANT_ID, DEMO_API_KEY (see README.md for the rest).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/app/target/payproc.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$root" -path '*/src/*' -newer "$jar" -print -quit)" ] \
   || [ -n "$(find "$root" -name pom.xml -newer "$jar" -print -quit)" ]; then
  echo "run: building the processor (mvn package)" >&2
  (cd "$root" && mvn -B -q -DskipTests package) >&2
fi
exec java ${JAVA_OPTS:-} -jar "$jar"
