#!/usr/bin/env bash
# Runs every test: unit tests and the integration tests that speak HTTP/2 to a running gateway backed by
# real PostgreSQL (each test class creates and drops its own database on PGHOST:PGPORT).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scripts/db.sh
exec mvn -B verify "$@"
