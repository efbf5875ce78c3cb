#!/usr/bin/env bash
# Builds the processor if needed and runs it in the foreground. SIGTERM drains in-flight work and exits 0.
# Settings come from the environment: PORT, TLS_PORT, PGHOST/PGPORT/PGDATABASE/PGUSER/PGPASSWORD,
# ADMIN_API_KEY, DEMO_MERCHANT_ID, DEMO_API_KEY (see README.md for the rest).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
build_if_stale "$PAYPROC_ROOT/target/run-build.log" "$PAYPROC_JAR"
exec java ${JAVA_OPTS:-} -jar "$PAYPROC_JAR"
