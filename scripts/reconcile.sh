#!/usr/bin/env bash
# Proves that postings, payment states and settlements agree, against a running processor:
#   ADMIN_API_KEY=... scripts/reconcile.sh        (PORT defaults to 8080)
# Prints the report; exits 0 when the ledger agrees with itself, 1 with every disagreement listed.
set -euo pipefail
: "${ADMIN_API_KEY:?set ADMIN_API_KEY to the processor's admin key}"
out=$(curl -s --http2-prior-knowledge -w '\n%{http_code}' -H "Authorization: Bearer $ADMIN_API_KEY" \
  "http://${HOST:-127.0.0.1}:${PORT:-8080}/admin/reconciliation")
code=${out##*$'\n'}
echo "${out%$'\n'*}"
case "$code" in
  200) echo "reconciliation: OK" ;;
  409) echo "reconciliation: DISAGREEMENTS FOUND (listed above)" >&2; exit 1 ;;
  *) echo "reconciliation: could not run (HTTP $code)" >&2; exit 2 ;;
esac
