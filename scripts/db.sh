#!/usr/bin/env bash
# Make sure a PostgreSQL server answers for the demo and tests.
#   scripts/db.sh        -> reuse a running server, else start the system cluster (root),
#                           else start a private throwaway cluster on $PGHOST:$PGPORT
#   scripts/db.sh stop   -> stop the private cluster (if this script started one)
set -euo pipefail

PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}"
PGUSER="${PGUSER:-postgres}" PGDATABASE="${PGDATABASE:-postgres}"
export PGHOST PGPORT PGUSER PGDATABASE

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="${PRIVATE_PG_DIR:-$ROOT/target/pgdata}"
FALLBACK="/tmp/payproc-pgdata-$PGPORT"
IS_ROOT=0; [ "$(id -u)" -eq 0 ] && IS_ROOT=1
# initdb/postgres refuse to run as root, so as root we act as an unprivileged user.
RUN_AS=postgres; getent passwd postgres >/dev/null || RUN_AS=nobody

as_user() { if [ "$IS_ROOT" -eq 1 ]; then runuser -u "$RUN_AS" -- "$@"; else "$@"; fi; }
answers() { pg_isready -h "$PGHOST" -p "$PGPORT" -t 2 >/dev/null 2>&1; }
wait_ready() { for _ in $(seq "$1"); do answers && return 0; sleep 1; done; answers; }
is_local() { [ "$PGHOST" = 127.0.0.1 ] || [ "$PGHOST" = localhost ]; }

# Newest installed server binaries (initdb/pg_ctl are not on PATH on Debian).
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"

if [ "${1:-}" = stop ]; then
  # Only touch a cluster this script could have created (primary or /tmp fallback dir).
  for d in "$DATA" "$FALLBACK"; do
    [ -f "$d/PG_VERSION" ] && [ -n "$BIN" ] || continue
    [ "$IS_ROOT" -eq 1 ] && RUN_AS="$(stat -c %U "$d")"
    if as_user "$BIN/pg_ctl" status -D "$d" >/dev/null 2>&1; then
      as_user "$BIN/pg_ctl" stop -D "$d" -m fast && echo "db: stopped private PostgreSQL in $d"
    fi
  done
  exit 0
fi

# 1. Something already answers (system service, CI service container, earlier run...).
if answers; then echo "db: PostgreSQL answers on $PGHOST:$PGPORT"; exit 0; fi

# 2. Default endpoint + installed system cluster + root: just start the system cluster.
if is_local && [ "$PGPORT" = 5432 ] && [ "$IS_ROOT" -eq 1 ] \
   && [ -n "$(ls /etc/postgresql 2>/dev/null)" ] && command -v pg_ctlcluster >/dev/null; then
  ver="$(ls /etc/postgresql | sort -V | tail -1)"
  # --skip-systemctl-redirect: containers/CI usually have no running systemd.
  pg_ctlcluster --skip-systemctl-redirect "$ver" main start || true
  if wait_ready 20; then echo "db: started system cluster $ver/main on $PGHOST:$PGPORT"; exit 0; fi
  echo "db: system cluster $ver/main did not come up, trying a private cluster" >&2
fi

# 3. Private throwaway cluster; trust auth is only acceptable on loopback.
if ! is_local; then
  echo "db: nothing answers on $PGHOST:$PGPORT and a private cluster may only listen on 127.0.0.1/localhost" >&2
  exit 1
fi
[ -n "$BIN" ] && [ -x "$BIN/initdb" ] || { echo "db: no PostgreSQL server binaries under /usr/lib/postgresql" >&2; exit 1; }

mkdir -p "$(dirname "$DATA")"
# As root the run-as user must be able to traverse to the data dir (fails e.g. under /root).
if [ "$IS_ROOT" -eq 1 ] && ! runuser -u "$RUN_AS" -- test -x "$(dirname "$DATA")"; then
  echo "db: $RUN_AS cannot reach $DATA, using $FALLBACK instead"
  DATA="$FALLBACK"
fi
LOG="$(dirname "$DATA")/$(basename "$DATA").log"

if [ "$IS_ROOT" -eq 1 ]; then
  mkdir -p "$DATA"; chown "$RUN_AS:" "$DATA"; chmod 700 "$DATA"
  touch "$LOG"; chown "$RUN_AS:" "$LOG"   # pg_ctl opens the log as $RUN_AS
fi
if [ ! -f "$DATA/PG_VERSION" ]; then
  as_user "$BIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --no-locale >"$LOG.initdb" 2>&1 \
    || { echo "db: initdb failed:" >&2; tail -n 30 "$LOG.initdb" >&2; exit 1; }
fi
# Own socket dir: /var/run/postgresql may be missing or not writable for us.
as_user mkdir -p "$DATA/sock"
as_user "$BIN/pg_ctl" start -W -D "$DATA" -l "$LOG" \
  -o "-k $DATA/sock -c listen_addresses=$PGHOST -p $PGPORT" >/dev/null || true

if ! wait_ready 30; then
  echo "db: private PostgreSQL in $DATA did not come up on $PGHOST:$PGPORT; log tail:" >&2
  tail -n 30 "$LOG" >&2 || true
  exit 1
fi
out="$(psql -h "$PGHOST" -p "$PGPORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qc 'CREATE DATABASE test' 2>&1)" \
  || grep -q 'already exists' <<<"$out" || { echo "db: could not create database test: $out" >&2; exit 1; }
echo "db: started private PostgreSQL in $DATA on $PGHOST:$PGPORT"
