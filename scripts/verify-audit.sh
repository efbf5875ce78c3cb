#!/usr/bin/env bash
# Verifies both tamper-evident trails against a running processor: the admin audit hash chain and the seals
# over every payment state change (an edited or deleted event, seal or admin row is reported):
#   ADMIN_API_KEY=... scripts/verify-audit.sh        (PORT defaults to 8080)
# Prints the result; exits 0 when both are intact, 1 with the first problem of each trail shown.
set -euo pipefail
: "${ADMIN_API_KEY:?set ADMIN_API_KEY to the processor's admin key}"
out=$(curl -s --http2-prior-knowledge -w '\n%{http_code}' -H "Authorization: Bearer $ADMIN_API_KEY" \
  "http://${HOST:-127.0.0.1}:${PORT:-8080}/admin/audit/verify")
code=${out##*$'\n'}
echo "${out%$'\n'*}"
case "$code" in
  200) echo "audit trails: INTACT" ;;
  409) echo "audit trails: TAMPERING FOUND (see problem above)" >&2; exit 1 ;;
  *) echo "audit trails: could not verify (HTTP $code)" >&2; exit 2 ;;
esac
