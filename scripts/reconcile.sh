#!/usr/bin/env bash
# Proves that postings, payment states and settlements agree, against a running processor:
#   ADMIN_API_KEY=... scripts/reconcile.sh        (PORT defaults to 8080)
# Prints the report; exits 0 when the ledger agrees with itself, 1 with every disagreement listed.
exec "$(dirname "${BASH_SOURCE[0]}")/admin-check.sh" /admin/reconciliation reconciliation OK "DISAGREEMENTS FOUND (listed above)"
