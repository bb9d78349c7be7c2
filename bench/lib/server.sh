# Sourced by the bench scripts: builds the jars if needed and starts a server on $port with its
# data in $work/data (extra JVM flags in $server_flags, extra server options in $server_args),
# killed with $work on exit.
java="${JAVA_HOME:?set JAVA_HOME to a JDK 21+}/bin/java"
jar="$root/coffer-cli/target/coffer.jar"
bench="$root/coffer-bench/target/coffer-bench.jar"
if [ ! -f "$jar" ] || [ ! -f "$bench" ]; then
  (cd "$root" && ./mvnw -q -B -DskipTests package)
fi
url="http://127.0.0.1:$port"
trap 'kill "${server_pid:-}" 2>/dev/null || true; rm -rf "$work"; if declare -F cleanup >/dev/null; then cleanup; fi' EXIT
# shellcheck disable=SC2086
"$java" ${server_flags:-} --enable-native-access=ALL-UNNAMED -jar "$jar" server --port "$port" \
  --data "$work/data" ${server_args:-} >"$work/server.log" 2>&1 &
server_pid=$!
until curl -fs "$url/api/v1/health" >/dev/null 2>&1; do sleep 0.05; done
