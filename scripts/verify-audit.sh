#!/usr/bin/env bash
# Verifies both tamper-evident trails against a running processor: the admin audit hash chain and the seals
# over every payment state change (an edited or deleted event, seal or admin row is reported):
#   ADMIN_API_KEY=... scripts/verify-audit.sh                      (PORT defaults to 8080)
#   ADMIN_API_KEY=... scripts/verify-audit.sh CHAIN:SEQ:HASH ...   also checks anchors kept from an earlier
#                                                                  GET /admin/audit/anchors or the processor's
#                                                                  "audit anchors" log lines (finds the newest
#                                                                  seals deleted together with their events, and
#                                                                  the newest admin rows cut off: admin:SEQ:HASH)
# Prints the result; exits 0 when both are intact, 1 with the first problem of each trail shown.
query=
for a in "$@"; do query+="${query:+&}anchor=$a"; done
exec "$(dirname "${BASH_SOURCE[0]}")/admin-check.sh" "/admin/audit/verify${query:+?$query}" "audit trails" INTACT "TAMPERING FOUND (see problem above)"
