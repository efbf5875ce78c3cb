#!/usr/bin/env bash
# Shared by reconcile.sh and verify-audit.sh: GETs an admin self-check of a running processor and turns its
# answer into an exit status.   scripts/admin-check.sh PATH NAME "OK TEXT" "FOUND TEXT"
# Prints the answer and "NAME: ..."; exits 0 on 200, 1 on 409 (the check found something), 2 otherwise.
set -euo pipefail
path=$1 name=$2 ok=$3 found=$4
: "${ADMIN_API_KEY:?set ADMIN_API_KEY to the admin key of the processor}"
out=$(curl -s --http2-prior-knowledge -w '\n%{http_code}' -H "Authorization: Bearer $ADMIN_API_KEY" \
  "http://${HOST:-127.0.0.1}:${PORT:-8080}$path")
code=${out##*$'\n'}
echo "${out%$'\n'*}"
case "$code" in
  200) echo "$name: $ok" ;;
  409) echo "$name: $found" >&2; exit 1 ;;
  *) echo "$name: could not run (HTTP $code)" >&2; exit 2 ;;
esac
