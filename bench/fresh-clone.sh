#!/usr/bin/env bash
# Shows that the README's quick start works from a fresh clone with only a JDK: clones the
# repository into a temp directory, runs `./coffer server` (which builds the jar itself), signs up,
# uploads and downloads a file through the CLI, and stops the server. `./mvnw verify` from a fresh
# clone is what CI (.ci/run) runs. Usage: bench/fresh-clone.sh [REPO]
set -euo pipefail
repo="${1:-$(cd "$(dirname "$0")/.." && pwd)}"
work="$(mktemp -d "${TMPDIR:-/tmp}/coffer-fresh.XXXXXX")"
trap 'kill "${server_pid:-}" 2>/dev/null || true; wait "${server_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

git clone -q "$repo" "$work/coffer"
cd "$work/coffer"
port=18282
COFFER_PORT=$port ./coffer server >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 600); do
  grep -q "Coffer is running" "$work/server.log" && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; echo "FAIL: server exited"; exit 1; }
  sleep 0.5
done
grep "Coffer is running" "$work/server.log" || { cat "$work/server.log"; echo "FAIL: server did not start"; exit 1; }

export COFFER_HOME="$work/home"
echo "fresh-clone-1" | ./coffer signup --server "http://127.0.0.1:$port" --user first --password-stdin
echo "fresh-clone-1" | ./coffer login --server "http://127.0.0.1:$port" --user first --password-stdin
head -c 3000000 /dev/urandom >"$work/sample.bin"
./coffer put -q "$work/sample.bin" /sample.bin
./coffer get -q /sample.bin "$work/back.bin"
cmp "$work/sample.bin" "$work/back.bin"
test -f coffer-data/metadata.db
echo "OK: fresh clone -> ./coffer server -> signup, login, put, get round trip"
