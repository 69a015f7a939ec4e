#!/usr/bin/env bash
# bench/ui-speed.sh: issue 12's speed goal. In running UIs (two local servers, two headless
# Chromiums), alice sends a ~5 MB JPEG photo to bob through a relay on this machine: the time
# from pressing Send to "Sent", and from "Sent" to bob's open inbox showing the message opened,
# verified and its image drawn (UiSpeedBench, 6 rounds). Then the same photo with the CLI:
# `sealpost send --image` and `sealpost receive`, each a fresh JVM, for comparison.
#
# Usage:  bash bench/ui-speed.sh            (about 2 minutes; needs chromium and chromium-driver)
set -euo pipefail
cd "$(dirname "$0")/.."
. .mvn/jdk25.sh
JAVA_HOME=$(sealpost_find_jdk25)
export JAVA_HOME
T=$(mktemp -d "${TMPDIR:-/tmp}/sealpost-uispeed.XXXXXX")
relay_pid=""
cleanup() {
  [ -n "$relay_pid" ] && kill "$relay_pid" 2>/dev/null || true
  rm -rf "$T"
}
trap cleanup EXIT

echo "## in the UI"
./mvnw -B -ntp -o -q -pl sealpost-ui -am install -DskipTests >"$T/build.log" 2>&1 || { cat "$T/build.log"; exit 1; }
./mvnw -B -ntp -o -pl sealpost-ui surefire:test -Dtest=UiSpeedBench -Dsealpost.bench=true -Dsealpost.bench.rounds="${ROUNDS:-11}" \
  -Dsurefire.failIfNoSpecifiedTests=false >"$T/ui.log" 2>&1 || { cat "$T/ui.log"; exit 1; }
sed -n '/^photo: /,/^median/p' "$T/ui.log"

echo
echo "## with the CLI (a fresh JVM per command, start-up cache on)"
photo=sealpost-ui/target/bench-photo.jpg
export SEALPOST_PASSPHRASE="bench passphrase" SEALPOST_PASSWORD="bench password"
./sealpost relay --port 0 --data "$T/relay" >"$T/relay.out" 2>&1 &
relay_pid=$!
url=""
for _ in $(seq 1 300); do
  url=$(awk '/^relay listening on /{print $4}' "$T/relay.out")
  [ -n "$url" ] && break
  sleep 0.5
done
fp=$(awk '/^TLS certificate /{print $3}' "$T/relay.out")
for who in alice bob; do
  SEALPOST_HOME="$T/$who" ./sealpost init --name "$who" -q
  SEALPOST_HOME="$T/$who" ./sealpost register --relay "$url" --relay-fingerprint "$fp" -q >/dev/null
done
SEALPOST_HOME="$T/alice" ./sealpost contacts list >/dev/null
echo "| round | sealpost send --image (ms) | sealpost receive (ms) |"
echo "| ---: | ---: | ---: |"
for round in 1 2 3; do
  t0=$(date +%s%N)
  SEALPOST_HOME="$T/alice" ./sealpost send --to bob -q -s "photo $round" --image "$photo" >/dev/null
  t1=$(date +%s%N)
  SEALPOST_HOME="$T/bob" ./sealpost receive --all -q --out "$T/received-$round" >/dev/null
  t2=$(date +%s%N)
  echo "| $round | $(( (t1 - t0) / 1000000 )) | $(( (t2 - t1) / 1000000 )) |"
done
