#!/usr/bin/env bash
# bench/relay-load.sh: the relay's request path under load (issue 14), over loopback TLS.
#
# For each store it starts a fresh relay (the built CLI through ./sealpost, as an operator runs
# it), registers accounts, logs them in and fills their inboxes through the real API (curl,
# pinned to the relay's own certificate), then runs wrk (bench/relay-load.lua) against five
# routes at each connection count:
#   health  GET /v1/health                     no authentication, no database: the ceiling
#   list    GET /v1/messages                   an inbox of INBOX messages (token check + one query)
#   fetch   GET /v1/messages/{id}              one 4 KiB sealed message sent moments before (as a push
#                                              is followed by a fetch): INBOX new messages from each
#                                              sender to its sink are stored just before each fetch run
#   fetch-old GET /v1/messages/{id}            one 4 KiB sealed message stored long before: the inbox
#                                              messages, with EVICT=20000 sends after them (at setup),
#                                              more than the relay remembers of recent messages
#   send    POST /v1/messages?to=NAME          a 4 KiB message, each stored durably (file fsync,
#                                              directory fsync, database commit) before its 201
#   ack     DELETE /v1/messages/{id}           acknowledges the messages the send row just stored,
#                                              each once; the run ends early when none is left,
#                                              and req/s counts only 204s over the time it ran
# and prints a table: route, connections, successful req/s, p50, p99 and the ratio to health's
# req/s at the same connection count in the same run.
#
# Usage: bench/relay-load.sh [--store sqlite|postgres|postgres+s3|all] [--connections "50 200 1000"]
#                            [--duration 10s] [--routes "health list fetch fetch-old send ack"] [--no-build]
#   --store all (default) runs sqlite (SQLite + folder), postgres (PostgreSQL + folder) and
#   postgres+s3 (PostgreSQL + a bucket in s3proxy, on the filesystem): S3PROXY_JAR=/path/s3proxy.jar,
#   by default sealpost-relay/target/s3proxy/s3proxy.jar (the relay module's tests fetch it); without
#   it, all skips postgres+s3. The relay signs for s3proxy (authorization=none) with
#   AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, set to placeholders unless given.
# Environment: ACCOUNTS=50 (senders, each with its own token; as many sinks receive the sends),
#   INBOX=20 (messages waiting in each sender's inbox), WRK_THREADS=2, PG_URL=jdbc:postgresql://127.0.0.1:5432/test,
#   SEALPOST_DB_USER=postgres, RELAY_HEAP (SEALPOST_RELAY_HEAP, default the launcher's 256m), RELAY_JAVA_OPTS
#   (SEALPOST_JAVA_OPTS for the relay, e.g. JFR), WARMUP=10s (per route at 50 connections before the
#   first measured run, not reported), KEEP=1 keeps the temporary folder, TIMEOUT=10s (wrk's --timeout:
#   a request slower than this is counted in the notes as a timeout and is missing from p50/p99, so it
#   is well above any p99 of interest; wrk's own default of 2 s hid queued requests at 1,000 connections).
#   ASYNC_PROFILER=/path/libasyncProfiler.so (from the tools.profiler:async-profiler jar on Maven
#   Central, linux-x64/): each measured run is profiled alone (CPU, attached with jcmd) and written
#   to profile-STORE-ROUTE-CONNECTIONS.collapsed beside the results (the folder is kept);
#   PROFILE_EVENT=event=alloc profiles allocations instead (bytes sampled, async-profiler's default interval).
# Needs: wrk (apt-get install -y wrk), curl, jq, a JDK 25; psql for postgres (a schema of its own, dropped after).
#
# wrk runs on the same 2 cores as the relay (as in the earlier measurements): absolute numbers are
# this machine's; the ratio to health in the same run is what compares across runs and machines.
# At 1,000 connections wrk opens every connection at the start, and the first request on each waits
# behind the relay's other 999 TLS handshakes: in a 10 s run those are about 1% of a fetch run's
# requests, so its p99 is partly the handshakes'. --duration 30s makes them 0.3% (BENCHMARKS, ninth round).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STORES=all
CONNECTIONS="50 200 1000"
DURATION=10s
ROUTES="health list fetch fetch-old send ack"
WARMUP=${WARMUP:-10s}
TIMEOUT=${TIMEOUT:-10s}
BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --store) STORES=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --routes) ROUTES=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "relay-load.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ "$STORES" = all ] && STORES="sqlite postgres postgres+s3"
S3PROXY_JAR=${S3PROXY_JAR:-$ROOT/sealpost-relay/target/s3proxy/s3proxy.jar}
ACCOUNTS=${ACCOUNTS:-50}
INBOX=${INBOX:-20}
WRK_THREADS=${WRK_THREADS:-2}
PG_URL=${PG_URL:-jdbc:postgresql://127.0.0.1:5432/test}
export SEALPOST_DB_USER=${SEALPOST_DB_USER:-postgres}
PASSWORD="bench-password-not-secret"
# The rate limits that would refuse a load test (defaults: README), raised for this run only.
LIMITS=(--limit send=100000000/1s --limit registration=100000/1s --limit login=100000/1s
        --limit login-address=100000/1s --limit login-global=100000/1s)
# 1,000 connections from one address: the default limits are 1,000 in total and 32 per address.
CONN_LIMITS=(--max-connections 4000 --max-connections-per-address 4000)

for tool in wrk curl jq; do
  command -v "$tool" >/dev/null || { echo "relay-load.sh: needs $tool (apt-get install -y $tool)" >&2; exit 1; }
done
ulimit -n 65536 2>/dev/null || true

T=$(mktemp -d "${TMPDIR:-/tmp}/sealpost-load.XXXXXX")
relay_pid=""
s3_pid=""
schema=""
stop_relay() {
  if [ -n "$relay_pid" ] && kill -0 "$relay_pid" 2>/dev/null; then
    kill "$relay_pid" 2>/dev/null || true
    wait "$relay_pid" 2>/dev/null || true
  fi
  relay_pid=""
  if [ -n "$s3_pid" ] && kill -0 "$s3_pid" 2>/dev/null; then
    kill "$s3_pid" 2>/dev/null || true
    wait "$s3_pid" 2>/dev/null || true
  fi
  s3_pid=""
  if [ -n "$schema" ]; then
    psql -q -h 127.0.0.1 -U "$SEALPOST_DB_USER" -d "${PG_URL##*/}" -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true
    schema=""
  fi
}
cleanup() {
  stop_relay
  if [ "${KEEP:-0}" = 1 ] || [ -n "${ASYNC_PROFILER:-}" ]; then echo "kept $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT

. "$ROOT/.mvn/jdk25.sh"
JAVA_HOME=$(sealpost_find_jdk25)
export JAVA_HOME
if [ "$BUILD" = 1 ]; then
  echo "building the CLI (./mvnw -o -q -pl sealpost-cli -am package -DskipTests)..." >&2
  (cd "$ROOT" && ./mvnw -o -q -B -pl sealpost-cli -am package -DskipTests >"$T/build.log" 2>&1) \
    || { cat "$T/build.log" >&2; exit 1; }
  touch "$ROOT/sealpost-cli/target/launcher-build.stamp" # ./sealpost: the jar is current
fi

head -c 4096 /dev/urandom >"$T/msg4k"

# start_relay STORE: a fresh relay on a free port; sets url, cert, relay_pid
start_relay() {
  local store=$1 data="$T/$1/relay" extra=()
  if [ "$store" = postgres+s3 ] && [ ! -f "$S3PROXY_JAR" ]; then
    echo "relay-load.sh: postgres+s3 needs S3PROXY_JAR=/path/to/s3proxy.jar ($S3PROXY_JAR is missing); skipping it" >&2
    return 1
  fi
  mkdir -p "$T/$store"
  case "$store" in
    sqlite) ;;
    postgres|postgres+s3)
      command -v psql >/dev/null || { echo "relay-load.sh: --store $store needs psql" >&2; exit 1; }
      schema="bench_load_$$"
      psql -q -h 127.0.0.1 -U "$SEALPOST_DB_USER" -d "${PG_URL##*/}" -c "CREATE SCHEMA $schema" >/dev/null
      extra+=(--database "$PG_URL?currentSchema=$schema")
      ;;
    *) echo "relay-load.sh: unknown store $store (sqlite, postgres, postgres+s3)" >&2; exit 2 ;;
  esac
  if [ "$store" = postgres+s3 ]; then
    if ! SEALPOST_AOT=0 "$ROOT/sealpost" relay --help 2>&1 | grep -q -- --s3-endpoint; then
      echo "relay-load.sh: this relay has no --s3-endpoint yet; skipping postgres+s3" >&2
      return 1
    fi
    local s3port
    s3port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    mkdir -p "$T/$store/s3"
    cat >"$T/$store/s3proxy.conf" <<EOF
s3proxy.endpoint=http://127.0.0.1:$s3port
s3proxy.authorization=none
jclouds.provider=filesystem
jclouds.filesystem.basedir=$T/$store/s3
EOF
    "$JAVA_HOME/bin/java" -jar "$S3PROXY_JAR" --properties "$T/$store/s3proxy.conf" >"$T/$store/s3proxy.log" 2>&1 &
    s3_pid=$!
    for _ in $(seq 1 60); do curl -s -o /dev/null "http://127.0.0.1:$s3port/" && break; sleep 1; done
    curl -s -X PUT "http://127.0.0.1:$s3port/sealpost-bench" >/dev/null
    extra+=(--s3-endpoint "http://127.0.0.1:$s3port" --s3-bucket sealpost-bench)
  fi
  # The AWS SDK signs every request (s3proxy ignores the signature): any key will do, none is a secret.
  AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID:-sealpost-bench} AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY:-sealpost-bench} \
  SEALPOST_AOT=0 SEALPOST_RELAY_HEAP="${RELAY_HEAP:-256m}" SEALPOST_JAVA_OPTS="${RELAY_JAVA_OPTS:-}" \
    "$ROOT/sealpost" relay --port 0 --data "$data" "${LIMITS[@]}" "${CONN_LIMITS[@]}" "${extra[@]}" \
    >"$T/$store/relay.out" 2>"$T/$store/relay.err" &
  relay_pid=$!
  url=""
  for _ in $(seq 1 120); do
    url=$(awk '/^relay listening on /{print $4}' "$T/$store/relay.out")
    [ -n "$url" ] && break
    kill -0 "$relay_pid" 2>/dev/null || { cat "$T/$store/relay.err" >&2; exit 1; }
    sleep 1
  done
  [ -n "$url" ] || { echo "relay-load.sh: the relay did not start" >&2; exit 1; }
  cert="$data/tls/cert.pem"
}

# api METHOD PATH [TOKEN] [curl args...]: one call, pinned to the relay's certificate
api() {
  local method=$1 path=$2 token=${3:-}
  shift 3 || shift $#
  local auth=()
  [ -n "$token" ] && auth=(-H "Authorization: Bearer $token")
  curl -sS --fail-with-body --cacert "$cert" -X "$method" "${auth[@]}" "$@" "$url$path"
}

# accounts STORE: registers and logs in u001.. (senders) and s001.. (sinks); fills each sender's
# inbox with INBOX messages from the next sender. Writes tokens.u / tokens.s ("name token").
accounts() {
  local dir="$T/$1" i name token
  : >"$dir/tokens.u"; : >"$dir/tokens.s"
  for kind in u s; do
    for i in $(seq 1 "$ACCOUNTS"); do
      name=$(printf '%s%03d' "$kind" "$i")
      api POST /v1/accounts "" -H 'Content-Type: application/json' \
        -d "{\"name\":\"$name\",\"password\":\"$PASSWORD\"}" >/dev/null
      token=$(api POST /v1/sessions "" -H 'Content-Type: application/json' \
        -d "{\"name\":\"$name\",\"password\":\"$PASSWORD\"}" | jq -r .token)
      echo "$name $token" >>"$dir/tokens.$kind"
    done
  done
  # INBOX messages into each sender's inbox, one curl (one TLS connection) per sender
  local n=0
  while read -r name token; do
    n=$((n + 1))
    local to
    to=$(printf 'u%03d' $(( n % ACCOUNTS + 1 )))
    {
      for j in $(seq 1 "$INBOX"); do
        [ "$j" -gt 1 ] && echo next # --next resets every option but the global ones
        printf 'url = "%s/v1/messages?to=%s"\nrequest = "POST"\ndata-binary = "@%s"\ncacert = "%s"\nfail\n' \
          "$url" "$to" "$T/msg4k" "$cert"
        printf 'header = "Authorization: Bearer %s"\nheader = "Content-Type: application/octet-stream"\noutput = "/dev/null"\n' "$token"
      done
    } >"$dir/fill.curl"
    curl -sS -K "$dir/fill.curl"
  done <"$dir/tokens.u"
  # data files for wrk: "TOKEN ARG"
  : >"$dir/list.data"; : >"$dir/fetch-old.data"; : >"$dir/send.data"
  n=0
  while read -r name token; do
    n=$((n + 1))
    echo "$token" >>"$dir/list.data"
    api GET /v1/messages "$token" | jq -r --arg t "$token" '.messages[] | "\($t) \(.id)"' >>"$dir/fetch-old.data"
    printf '%s s%03d\n' "$token" "$n" >>"$dir/send.data"
  done <"$dir/tokens.u"
  echo "x" >"$dir/health.data"
  # EVICT sends after the inbox messages (to the sinks, acknowledged later by the ack row): the
  # relay then no longer has them in memory (16,384 recent messages' deliveries, 32 MiB of bytes)
  local stored=0 line
  while [ "$stored" -lt "${EVICT:-20000}" ]; do
    wrk -t"$WRK_THREADS" -c50 -d5s -s "$ROOT/bench/relay-load.lua" "$url" \
      -- send "$dir/send.data" "$WRK_THREADS" "$T/msg4k" >"$dir/evict.txt" 2>&1 || { cat "$dir/evict.txt" >&2; exit 1; }
    line=$(grep '^RESULT ' "$dir/evict.txt") || { cat "$dir/evict.txt" >&2; exit 1; }
    stored=$(( stored + $(echo "$line" | sed 's/.* ok=\([0-9]*\).*/\1/') ))
  done
}

# fresh STORE: INBOX new messages from each sender to its sink, stored now; fetch.data = "SINK_TOKEN ID"
fresh() {
  local dir="$T/$1" uname utoken sname stoken
  : >"$dir/fetch.data"
  while read -r uname utoken sname stoken; do
    {
      for j in $(seq 1 "$INBOX"); do
        [ "$j" -gt 1 ] && echo next
        printf 'url = "%s/v1/messages?to=%s"\nrequest = "POST"\ndata-binary = "@%s"\ncacert = "%s"\nfail\n' \
          "$url" "$sname" "$T/msg4k" "$cert"
        printf 'header = "Authorization: Bearer %s"\nheader = "Content-Type: application/octet-stream"\n' "$utoken"
      done
    } >"$dir/fresh.curl"
    curl -sS -K "$dir/fresh.curl" | jq -r --arg t "$stoken" '"\($t) \(.id)"' >>"$dir/fetch.data"
  done < <(paste -d' ' "$dir/tokens.u" "$dir/tokens.s")
}

# ack_data STORE: every message waiting for the sinks now, "TOKEN ID", shuffled
ack_data() {
  local dir="$T/$1" name token
  : >"$dir/ack.data"
  while read -r name token; do
    api GET /v1/messages "$token" | jq -r --arg t "$token" '.messages[] | "\($t) \(.id)"' >>"$dir/ack.data"
  done <"$dir/tokens.s"
  shuf -o "$dir/ack.data" "$dir/ack.data"
  wc -l <"$dir/ack.data"
}

# profile ARGS: async-profiler's command (start, stop,file=F) in the relay, when ASYNC_PROFILER is set
profile() {
  [ -n "${ASYNC_PROFILER:-}" ] || return 0
  local args=$1
  [ "$args" = start ] && args="start,${PROFILE_EVENT:-event=cpu,interval=1ms}"
  # quoted, or jcmd reads "start,event=cpu" as an option named "start,event"
  local out
  out=$("$JAVA_HOME/bin/jcmd" "$relay_pid" JVMTI.agent_load "$ASYNC_PROFILER" "\"$args\"")
  case "$out" in *"return code: 0"*) ;; *) echo "relay-load.sh: async-profiler $args: $out" >&2 ;; esac
}

# run STORE ROUTE CONNECTIONS: one wrk run; appends a row to results.tsv
run() {
  local store=$1 route=$2 c=$3 dir="$T/$1"
  local out="$dir/wrk-$route-$c.txt"
  if [ -n "$schema" ]; then
    # Planner statistics as autovacuum keeps them on a database in use: a fresh schema filled
    # seconds ago has none, and PostgreSQL then plans the inbox listing as a scan of every message
    # (4.5 ms instead of 0.16 ms for 20 of 20,000; EXPLAIN ANALYZE), which measures the bench, not the relay.
    psql -q -h 127.0.0.1 -U "$SEALPOST_DB_USER" -d "${PG_URL##*/}" \
      -c "ANALYZE $schema.messages, $schema.deliveries, $schema.tokens, $schema.accounts, $schema.uploads" >/dev/null
  fi
  profile start
  wrk -t"$WRK_THREADS" -c"$c" -d"$DURATION" --timeout "$TIMEOUT" --latency -s "$ROOT/bench/relay-load.lua" "$url" \
    -- "$route" "$dir/$route.data" "$WRK_THREADS" "$T/msg4k" >"$out" 2>&1 || { cat "$out" >&2; exit 1; }
  profile "stop,collapsed,file=$T/profile-$store-$route-$c.collapsed"
  local line
  line=$(grep '^RESULT ' "$out") || { cat "$out" >&2; exit 1; }
  # shellcheck disable=SC2086
  local $(echo "${line#RESULT }")
  local rps
  rps=$(awk -v ok="$ok" -v d="$duration_us" 'BEGIN{printf "%.0f", ok / (d / 1e6)}')
  [ "$route" = health ] && echo "$rps" >"$dir/health-$c"
  local health
  health=$(cat "$dir/health-$c" 2>/dev/null || echo "")
  local ratio="-"
  [ -n "$health" ] && ratio=$(awk -v r="$rps" -v h="$health" 'BEGIN{printf "%.2f", r / h}')
  local note=""
  [ "$other_status" -gt 0 ] && note+="$other_status other statuses; "
  [ "$socket_errors" -gt 0 ] && note+="$socket_errors socket errors; "
  [ "$timeouts" -gt 0 ] && note+="$timeouts over $TIMEOUT (not in p99); "
  [ "$route" = ack ] && note+="$ok acks in $(awk -v d="$duration_us" 'BEGIN{printf "%.1f", d/1e6}') s; "
  [ "$route" = send ] && note+="$ok messages stored; "
  printf '%s\t%s\t%s\t%s\t%.1f\t%.1f\t%s\t%s\n' "$store" "$route" "$c" "$rps" \
    "$(awk -v v="$p50_us" 'BEGIN{print v/1000}')" "$(awk -v v="$p99_us" 'BEGIN{print v/1000}')" "$ratio" "${note%; }" \
    | tee -a "$T/results.tsv" >&2
}

echo "relay-load: $(nproc) cores ($(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo)), wrk $(wrk -v 2>&1 | awk 'NR==1{print $2}') -t$WRK_THREADS -d$DURATION on the same cores"
echo "relay: ./sealpost relay, heap ${RELAY_HEAP:-256m}; rate limits raised for the bench: ${LIMITS[*]}; ${CONN_LIMITS[*]}"
echo "data: $ACCOUNTS senders with a token each, $INBOX messages of 4096 bytes in each inbox; sends go to $ACCOUNTS other accounts"
: >"$T/results.tsv"
for store in $STORES; do
  start_relay "$store" || continue
  echo "[$store] relay $url; preparing accounts and messages..." >&2
  accounts "$store"
  # Warm-up, not reported: the JIT compiles the request path (a cold relay serves ~1/10 of its rate)
  fresh "$store"
  for route in $ROUTES; do
    [ "$route" = ack ] && continue
    wrk -t"$WRK_THREADS" -c50 -d"$WARMUP" -s "$ROOT/bench/relay-load.lua" "$url" \
      -- "$route" "$T/$store/$route.data" "$WRK_THREADS" "$T/msg4k" >"$T/$store/warmup-$route.txt" 2>&1
  done
  for c in $CONNECTIONS; do
    for route in $ROUTES; do
      if [ "$route" = ack ]; then
        n=$(ack_data "$store")
        [ "$n" -gt 0 ] || { echo "[$store] ack: no message waiting (run send first)" >&2; continue; }
      fi
      [ "$route" = fetch ] && fresh "$store"
      run "$store" "$route" "$c"
    done
  done
  stop_relay
done

echo
echo "| store | route | connections | req/s | p50 ms | p99 ms | / health | notes |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |"
awk -F'\t' '{printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8}' "$T/results.tsv"
