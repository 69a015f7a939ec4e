#!/usr/bin/env bash
# bench/metrics-overhead.sh: what --metrics costs per request (issue 14, item 6).
#
# Starts `./sealpost relay --port 0` (the launcher's 256 MiB heap, the access log to a file, as
# an operator would keep it) ROUNDS times without and ROUNDS times with `--metrics 127.0.0.1:0`,
# alternating, each on a fresh data folder. Each round registers one account and runs wrk with
# CONNECTIONS connections for SECONDS against GET /v1/health and against the authenticated
# GET /v1/messages (an empty inbox: token check, one SQL query, JSON). With metrics on, it
# scrapes /metrics once during each run (as Prometheus would) and checks the request counter moved.
# Prints one Markdown row per run: req/s, p50, p99.
#
# Usage:  bench/metrics-overhead.sh      (about 2 minutes, plus a build if ./sealpost needs one)
# Environment (all optional): ROUNDS=3  SECONDS=10  CONNECTIONS=50
# Needs: bash, curl, wrk, a JDK 25 (./sealpost finds it).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROUNDS=${ROUNDS:-3}
SECONDS_PER_RUN=${SECONDS:-10}
CONNECTIONS=${CONNECTIONS:-50}
T=$(mktemp -d "${TMPDIR:-/tmp}/sealpost-metrics.XXXXXX")
relay_pid=""
stop_relay() {
  if [ -n "$relay_pid" ] && kill -0 "$relay_pid" 2>/dev/null; then
    kill "$relay_pid" 2>/dev/null || true
    wait "$relay_pid" 2>/dev/null || true
  fi
  relay_pid=""
}
trap 'stop_relay; rm -rf "$T"' EXIT

"$ROOT/sealpost" --version >/dev/null 2>&1 || true # builds once if needed (do not edit sources while this runs: the launcher would build again)

# wrk's latency distribution, "50%" and "99%" lines, in ms
ms() { awk -v q="$1" '$1 == q { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 } printf "%.2f", v }'; }

run() { # $1 label, $2 url, $3 extra wrk args...
  local label=$1 url=$2; shift 2
  local out
  out=$(wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency "$@" "$url")
  local rps p50 p99
  rps=$(awk '/^Requests\/sec/ { printf "%d", $2 }' <<<"$out")
  p50=$(ms 50% <<<"$out")
  p99=$(ms 99% <<<"$out")
  echo "| $label | $rps | $p50 | $p99 |"
}

echo "| run | req/s | p50 ms | p99 ms |"
echo "| --- | ---: | ---: | ---: |"
for round in $(seq 1 "$ROUNDS"); do
  for mode in off on; do
    data="$T/relay-$round-$mode"
    args=(relay --port 0 --data "$data" --limit registration=100000/1s --limit login=100000/1s
          --limit login-address=100000/1s --max-connections-per-address 4000)
    [ "$mode" = on ] && args+=(--metrics 127.0.0.1:0)
    "$ROOT/sealpost" "${args[@]}" >"$T/out" 2>"$T/access-$round-$mode.log" &
    relay_pid=$!
    for _ in $(seq 1 1200); do grep -q '^TLS certificate' "$T/out" 2>/dev/null && break; sleep 0.25; done
    url=$(awk '/^relay listening on/ { print $4 }' "$T/out")
    [ -n "$url" ] || { echo "the relay did not start:" >&2; cat "$T/out" "$T/access-$round-$mode.log" >&2; exit 1; }
    metrics=$(awk '/^metrics on/ { print $3 }' "$T/out")
    curl -sk -o /dev/null -X POST "$url/v1/accounts" -H 'Content-Type: application/json' \
      -d '{"name":"bench","password":"a bench password 1"}'
    token=$(curl -sk -X POST "$url/v1/sessions" -H 'Content-Type: application/json' \
      -d '{"name":"bench","password":"a bench password 1"}' | sed 's/.*"token":"\([^"]*\)".*/\1/')
    scraper=""
    if [ -n "$metrics" ]; then (sleep "$((SECONDS_PER_RUN / 2))"; curl -s "$metrics" >"$T/scrape") & scraper=$!; fi
    run "health, metrics $mode, round $round" "$url/v1/health"
    if [ -n "$scraper" ]; then
      wait "$scraper"
      grep -q 'sealpost_http_requests_seconds_count{method="GET",route="/v1/health",status="200"}' "$T/scrape" \
        || { echo "no health counter in the scrape" >&2; exit 1; }
    fi
    run "inbox (authenticated), metrics $mode, round $round" "$url/v1/messages" -H "Authorization: Bearer $token"
    stop_relay
  done
done
