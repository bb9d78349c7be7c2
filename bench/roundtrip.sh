#!/usr/bin/env bash
# Measures a 1 GiB (or SIZE_MIB) upload and download through the real CLI against a server whose
# heap is capped at 256 MiB, beside `cp` + `sync` of the same file on the same disk, and the
# server's warm start time. Usage: bench/roundtrip.sh [SIZE_MIB] [RUNS]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
size_mib="${1:-1024}"
runs="${2:-3}"
work="$(mktemp -d "${TMPDIR:-/tmp}/coffer-bench.XXXXXX")"
trap 'kill "${server_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

"$root/coffer" --version >/dev/null   # builds the jar if needed
java="${JAVA_HOME:?set JAVA_HOME to a JDK 21+}/bin/java"
jar="$root/coffer-cli/target/coffer.jar"
port=18181

start_server() {
  local t0 t1
  t0=$(date +%s%N)
  "$java" -Xmx256m --enable-native-access=ALL-UNNAMED -jar "$jar" server --port $port --data "$work/data" >"$work/server.log" 2>&1 &
  server_pid=$!
  until curl -fs "http://127.0.0.1:$port/api/v1/health" >/dev/null 2>&1; do sleep 0.02; done
  t1=$(date +%s%N)
  started_ms=$(( (t1 - t0) / 1000000 ))
}

echo "warm start (process launch to first healthy response), ms:"
for i in $(seq 1 "$runs"); do
  start_server; echo "  $started_ms  ($(grep -o 'ready in [0-9]* ms' "$work/server.log"))"
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
done
start_server

export COFFER_HOME="$work/home"
echo "benchpass1" | "$root/coffer" signup --server "http://127.0.0.1:$port" --user bench --password-stdin >/dev/null
echo "benchpass1" | "$root/coffer" login --server "http://127.0.0.1:$port" --user bench --password-stdin >/dev/null

head -c $((size_mib << 20)) /dev/urandom >"$work/file.bin"
sync

secs() { python3 -c "import sys; print(f'{(int(sys.argv[2])-int(sys.argv[1]))/1e9:.2f}')" "$1" "$2"; }
rate() { python3 -c "import sys; print(f'{int(sys.argv[1])/float(sys.argv[2]):.0f}')" "$size_mib" "$1"; }

printf "%-28s %8s %10s\n" "operation ($size_mib MiB)" "seconds" "MiB/s"
for i in $(seq 1 "$runs"); do
  t0=$(date +%s%N); cp "$work/file.bin" "$work/copy.bin"; sync; t1=$(date +%s%N)
  s=$(secs "$t0" "$t1"); printf "%-28s %8s %10s\n" "cp + sync" "$s" "$(rate "$s")"
  rm -f "$work/copy.bin"

  t0=$(date +%s%N); "$root/coffer" put -q "$work/file.bin" "/bench-$i.bin"; t1=$(date +%s%N)
  s=$(secs "$t0" "$t1"); printf "%-28s %8s %10s\n" "coffer put (new content)" "$s" "$(rate "$s")"

  t0=$(date +%s%N); "$root/coffer" get -q "/bench-$i.bin" "$work/got.bin"; t1=$(date +%s%N)
  s=$(secs "$t0" "$t1"); printf "%-28s %8s %10s\n" "coffer get (verified)" "$s" "$(rate "$s")"
  cmp "$work/file.bin" "$work/got.bin"
  rm -f "$work/got.bin"
  # Fresh random content for the next run, so chunk dedup does not flatter the upload.
  head -c $((size_mib << 20)) /dev/urandom >"$work/file.bin"; sync
done
echo "server RSS after the runs: $(ps -o rss= -p "$server_pid" | awk '{printf "%.0f MiB", $1/1024}') (heap capped at 256 MiB)"
