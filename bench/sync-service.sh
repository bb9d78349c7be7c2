#!/usr/bin/env bash
# The sync service's scenario benchmarks against a real server process (heap capped at 1 GiB):
# long-poll wake-up latency, commits per second batched and one by one, change-feed listing
# throughput, and idle long-polls held at once with the wake-up under that load.
# Usage: bench/sync-service.sh [wakeup|commits|listing|idle|all] [N]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
scenario="${1:-all}"
n="${2:-}"
work="$(mktemp -d "${TMPDIR:-/tmp}/coffer-sync-bench.XXXXXX")"
port=18182
server_flags="-Xmx1g"
server_args="--user-rate 0 --ip-rate 0" # the scenarios open thousands of requests at once
# shellcheck source=bench/lib/server.sh
. "$root/bench/lib/server.sh"

run() {
  echo "== $1"
  SERVER_PID=$server_pid PATH="$JAVA_HOME/bin:$PATH" \
    "$java" -Xmx2g -cp "$bench" coffer.bench.SyncServiceScenarios "$url" "$1" ${n:+"$n"}
}

if [ "$scenario" = all ]; then
  for s in wakeup commits idle listing; do run "$s"; done
else
  run "$scenario"
fi
