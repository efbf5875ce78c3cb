#!/usr/bin/env bash
# Runs every test: unit tests and the integration tests that speak HTTP/2 to a running gateway backed by
# real PostgreSQL (each test class creates and drops its own database on PGHOST:PGPORT).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scripts/db.sh
# The SRE console's browser test drives Debian's headless Chromium; it fails without it, so install it here.
if { ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; } && [ "$(id -u)" = 0 ]; then
  apt-get update -qq && apt-get install -y -qq chromium chromium-driver
fi
exec mvn -B verify "$@"
