#!/usr/bin/env bash
# The production-mode load test: one server on PostgreSQL (heap capped at 1 GiB) holds N idle
# notification long-polls (default 10,000, on 100 accounts) while 50 writers, each on an account
# of its own, commit one small file per request for 60 s. Prints commits/s, commit latency p50/p99
# and the server's memory. Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth); a fresh
# database is created for the run and dropped after it.
# Usage: bench/load.sh [N]     (WRITERS=50 DURATION=60 to change the write load)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-10000}"
work="$(mktemp -d "${TMPDIR:-/tmp}/coffer-load.XXXXXX")"
port=18183
database="coffer_load_$$"
psql -h 127.0.0.1 -U postgres -d postgres -qc "CREATE DATABASE $database" >/dev/null
cleanup() {
  sleep 1 # the killed server's connections close
  psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $database WITH (FORCE)"
}
server_flags="-Xmx1g"
server_args="--db jdbc:postgresql://127.0.0.1:5432/$database?user=postgres --user-rate 0 --ip-rate 0"
# shellcheck source=bench/lib/server.sh
. "$root/bench/lib/server.sh"
echo "== server on PostgreSQL ($database): $n idle long-polls, ${WRITERS:-50} writers, ${DURATION:-60} s"
SERVER_PID=$server_pid PATH="$JAVA_HOME/bin:$PATH" \
  "$java" -Xmx2g -cp "$bench" coffer.bench.SyncServiceScenarios "$url" load "$n"
