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
trap 'kill "${server_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

java="${JAVA_HOME:?set JAVA_HOME to a JDK 21+}/bin/java"
jar="$root/coffer-cli/target/coffer.jar"
bench="$root/coffer-bench/target/coffer-bench.jar"
if [ ! -f "$jar" ] || [ ! -f "$bench" ]; then
  (cd "$root" && ./mvnw -q -B -DskipTests package)
fi
port=18182
url="http://127.0.0.1:$port"

"$java" -Xmx1g --enable-native-access=ALL-UNNAMED -jar "$jar" server --port $port --data "$work/data" \
  >"$work/server.log" 2>&1 &
server_pid=$!
until curl -fs "$url/api/v1/health" >/dev/null 2>&1; do sleep 0.05; done

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
