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
trap 'kill "${server_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

java="${JAVA_HOME:?set JAVA_HOME to a JDK 21+}/bin/java"
jar="$root/coffer-cli/target/coffer.jar"
bench="$root/coffer-bench/target/coffer-bench.jar"
if [ ! -f "$jar" ] || [ ! -f "$bench" ]; then
  (cd "$root" && ./mvnw -q -B -DskipTests package)
fi
port=18183
url="http://127.0.0.1:$port"
"$java" --enable-native-access=ALL-UNNAMED -jar "$jar" server --port $port --data "$work/data" \
  >"$work/server.log" 2>&1 &
server_pid=$!
until curl -fs "$url/api/v1/health" >/dev/null 2>&1; do sleep 0.05; done

run() {
  echo "== $1"
  "$java" -cp "$bench" coffer.bench.SyncScenarios "$url" "$jar" "$work" "$1" ${n:+"$n"}
}
if [ "$scenario" = all ]; then
  for s in latency initial insert idle; do run "$s"; done
else
  run "$scenario"
fi
