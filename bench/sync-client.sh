#!/usr/bin/env bash
# The sync client's scenarios with real `coffer sync` processes and a real server:
#   latency  a 4 KiB file saved on A, complete on B (both daemons running): p50/p95 [N trials]
#   initial  initial sync of N x 10 KiB files from A through the server to B [N, default 10000]
#   insert   a 1-byte insertion in the middle of an N MiB file reaching B [N, default 256]
#   idle     CPU of an idle daemon watching N files over a minute [N, default 100000]
# Usage: bench/sync-client.sh [latency|initial|insert|idle|all] [N]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
scenario="${1:-all}"
n="${2:-}"
work="$(mktemp -d "${TMPDIR:-/tmp}/coffer-sync-client.XXXXXX")"
port=18183
server_flags="${server_flags:-}"
# shellcheck source=bench/lib/server.sh
. "$root/bench/lib/server.sh"

run() {
  echo "== $1"
  "$java" -cp "$bench" coffer.bench.SyncScenarios "$url" "$jar" "$work" "$1" ${n:+"$n"}
}
if [ "$scenario" = all ]; then
  for s in latency initial insert idle; do run "$s"; done
else
  run "$scenario"
fi
