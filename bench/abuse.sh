#!/usr/bin/env bash
# bench/abuse.sh: the relay under a login flood (issue 11), over loopback TLS.
#
# Starts `./sealpost relay --port 0` as the launcher starts it (256 MiB heap), registers six real users, then
# (bench/AbuseFlood.java) floods it with logins of random names from FLOOD connections,
# first all from one address, then from FLOOD addresses, SECONDS each, while a real user
# logs in once a second and a prober asks /v1/health every 50 ms. Prints a Markdown table
# (one row per 10 s) and the relay's peak resident memory.
#
# With PIN=1 (default, on 2+ cores with taskset) the relay and the measuring side (real users,
# health prober) run on core 0 and the flood on core 1, in two JVMs: the attacker's CPU is not
# the relay's, as on the internet. PIN=0 runs everything in one JVM on all cores.
#
# Usage:  bench/abuse.sh            (about 2.5 minutes, plus a build if ./sealpost needs one)
# Environment (all optional):
#   SECONDS_PER_PHASE=60  FLOOD=64  RELAY_HEAP=256m (passed as SEALPOST_RELAY_HEAP)  PIN=1
# Needs: bash, a JDK 25 (./sealpost finds it), Linux (/proc for the relay's memory).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SECONDS_PER_PHASE=${SECONDS_PER_PHASE:-60}
FLOOD=${FLOOD:-64}
RELAY_HEAP=${RELAY_HEAP:-256m}
PIN=${PIN:-1}
relay_pin=()
measure_pin=()
flood_pin=()
if [ "$PIN" = 1 ] && command -v taskset >/dev/null 2>&1 && [ "$(nproc)" -ge 2 ]; then
  relay_pin=(taskset -c 0)
  measure_pin=(taskset -c 0)
  flood_pin=(taskset -c 1)
else
  PIN=0
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/sealpost-abuse.XXXXXX")
relay_pid=""
cleanup() {
  if [ -n "$relay_pid" ] && kill -0 "$relay_pid" 2>/dev/null; then
    kill "$relay_pid" 2>/dev/null || true
    wait "$relay_pid" 2>/dev/null || true
  fi
  rm -rf "$T"
}
trap cleanup EXIT

. "$ROOT/.mvn/jdk25.sh"
JAVA_HOME=$(sealpost_find_jdk25)
export JAVA_HOME

SEALPOST_AOT=0 SEALPOST_RELAY_HEAP="$RELAY_HEAP" \
  "${relay_pin[@]}" "$ROOT/sealpost" relay --port 0 --data "$T/relay" -q >"$T/relay.out" 2>"$T/relay.err" &
relay_pid=$!
url=""
for _ in $(seq 1 600); do # the first run of ./sealpost may build it: up to 10 minutes
  url=$(awk '/^relay listening on /{print $4}' "$T/relay.out")
  [ -n "$url" ] && break
  kill -0 "$relay_pid" 2>/dev/null || { cat "$T/relay.err" >&2; exit 1; }
  sleep 1
done
[ -n "$url" ] || { echo "abuse.sh: the relay did not start" >&2; exit 1; }
fingerprint=$(awk '/^TLS certificate /{print $3}' "$T/relay.out")
where="all $(nproc) cores shared"
[ "$PIN" = 1 ] && where="relay and measuring side on core 0, flood on core 1"
echo "relay $url ($fingerprint), heap -Xmx$RELAY_HEAP, $where; flood: $FLOOD connections, $SECONDS_PER_PHASE s per phase"
echo

if [ "$PIN" = 1 ]; then
  mkdir -p "$T/sync"
  "${flood_pin[@]}" "$JAVA_HOME/bin/java" -Xmx512m "$ROOT/bench/AbuseFlood.java" "$url" "$T/relay/tls/cert.pem" \
    "$SECONDS_PER_PHASE" "$FLOOD" flood "$T/sync" >"$T/flood.out" 2>&1 &
  flood_pid=$!
  "${measure_pin[@]}" "$JAVA_HOME/bin/java" -Xmx512m "$ROOT/bench/AbuseFlood.java" "$url" "$T/relay/tls/cert.pem" \
    "$SECONDS_PER_PHASE" "$FLOOD" measure "$T/sync"
  wait "$flood_pid" || { cat "$T/flood.out" >&2; exit 1; }
else
  "$JAVA_HOME/bin/java" -Xmx512m "$ROOT/bench/AbuseFlood.java" "$url" "$T/relay/tls/cert.pem" "$SECONDS_PER_PHASE" "$FLOOD"
fi

echo
awk '/^VmHWM/{printf "relay peak resident memory (VmHWM): %.0f MiB\n", $2/1024} /^VmRSS/{printf "relay resident memory now (VmRSS): %.0f MiB\n", $2/1024}' "/proc/$relay_pid/status"
