#!/usr/bin/env bash
# bench/ui-large.sh: issue 12's large-file goal. "A 4 GiB file attached in the UI streams through
# (browser -> local server -> relay, and back on receipt) within the CLI's memory bound, under
# 512 MiB per process, with progress." Separate processes, as a user runs them, so each has its
# own peak RSS: a relay (`./sealpost relay`), alice's and bob's UIs (`./sealpost ui --no-browser`,
# unlocked by SEALPOST_PASSPHRASE, registered on the relay with the CLI first), and two headless
# Chromiums driven by UiLargeFileBench (through surefire, -Dsealpost.bench=true): alice attaches
# a file of random bytes on Compose and sends it to bob (the <progress> bars sampled on the way),
# bob opens it in his Inbox and presses "Save all"; the saved file is compared with the input.
# Peak RSS: VmHWM from /proc/PID/status of each JVM just before it is stopped, and the largest
# VmHWM among each Chromium's processes just before it quits.
#
# Usage:  bash bench/ui-large.sh [SIZE_MIB]     (default 4096; needs chromium and chromium-driver,
#                                                and about 4 x SIZE_MIB free under ${TMPDIR:-/tmp})
# Environment (optional): KEEP_TMP=1 keeps the temp folder (logs, RSS samples) at the end;
#                         MINUTES=30 longest wait for each direction;
#                         UI_JAVA_OPTS="..." JVM options for the two UIs only (as SEALPOST_JAVA_OPTS),
#                         e.g. -Xms1g to see what a larger machine's default initial heap does.
# Results go to standard output as Markdown; progress to standard error.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SIZE_MIB=${1:-4096}
case "$SIZE_MIB" in ''|*[!0-9]*) echo "bench/ui-large.sh: SIZE_MIB must be a number of MiB" >&2; exit 2 ;; esac
[ "$SIZE_MIB" -ge 1 ] || { echo "bench/ui-large.sh: SIZE_MIB must be at least 1" >&2; exit 2; }
BYTES=$((SIZE_MIB * 1048576))
RSS_TARGET_MIB=512
. .mvn/jdk25.sh
JAVA_HOME=$(sealpost_find_jdk25)
export JAVA_HOME
SP="$ROOT/sealpost"

T=$(mktemp -d "${TMPDIR:-/tmp}/sealpost-uilarge.XXXXXX")
relay_pid="" alice_pid="" bob_pid="" sampler_pid=""
stop() { # stop PID: ends one process this script started, and waits for it
  if [ -n "$1" ] && kill -0 "$1" 2>/dev/null; then
    kill "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
  fi
}
cleanup() {
  local rc=$?
  for p in "$sampler_pid" "$alice_pid" "$bob_pid" "$relay_pid"; do stop "$p"; done
  if [ "${KEEP_TMP:-0}" = 1 ]; then echo "bench/ui-large.sh: kept $T (KEEP_TMP=1)" >&2; else rm -rf "$T"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

script_start=$(date +%s.%N)
say() { printf '[%6.1fs] %s\n' "$(awk -v a="$script_start" -v b="$(date +%s.%N)" 'BEGIN{print b-a}')" "$*" >&2; }
die() { echo "bench/ui-large.sh: $*" >&2; exit 1; }
kib() { awk -v f="$2" '$1==f{print $2}' "/proc/$1/status" 2>/dev/null || true; }   # kib PID VmHWM:
mib() { awk -v k="${1:-0}" 'BEGIN{printf "%.0f", k/1024}'; }
under() { [ "$(mib "$1")" -lt "$RSS_TARGET_MIB" ] && echo yes || echo "**no**"; }
mbps() { awk -v b="$BYTES" -v s="$1" 'BEGIN{ if (s>0) printf "%.1f", b/1e6/s; else print "-" }'; }

[ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] || die "needs /usr/bin/chromium and /usr/bin/chromedriver (apt-get install chromium chromium-driver)"
FREE_KIB=$(df -Pk "$T" | awk 'NR==2{print $4}')
NEED_KIB=$((SIZE_MIB * 1024 * 4 + 1048576)) # input, alice's draft, the relay's copy, bob's saved file; + 1 GiB
[ "$FREE_KIB" -ge "$NEED_KIB" ] || die "$T has $((FREE_KIB / 1024)) MiB free, needs about $((NEED_KIB / 1024)) MiB"
mkdir -p "$T/in" "$T/logs" "$T/bob-saved"

say "building (sealpost-ui and what it needs, tests compiled not run) and ./sealpost's jar"
./mvnw -B -ntp -o -q -pl sealpost-ui -am install -DskipTests >"$T/logs/build.log" 2>&1 || { cat "$T/logs/build.log" >&2; die "build failed"; }
"$SP" --version >"$T/logs/version.log" 2>&1 || { cat "$T/logs/version.log" >&2; die "./sealpost does not run"; }

BIG="$T/in/big.bin"
say "writing $SIZE_MIB MiB of /dev/urandom to $BIG"
head -c "$BYTES" /dev/urandom >"$BIG"
[ "$(stat -c %s "$BIG")" = "$BYTES" ] || die "could not write $BIG"
IN_SHA=$(sha256sum "$BIG" | cut -d' ' -f1)

export SEALPOST_PASSPHRASE="bench-passphrase-$RANDOM-correct-horse" SEALPOST_PASSWORD="bench-password-$RANDOM-staple"
unset SEALPOST_JAVA_OPTS SEALPOST_DEBUG

# ---------------------------------------------------------------- relay, identities, UIs
say "starting the relay"
SEALPOST_HOME="$T/relay-home" "$SP" relay --port 0 --data "$T/relay" >"$T/logs/relay.out" 2>"$T/logs/relay.err" &
relay_pid=$! # ./sealpost execs java: this is the relay's JVM
for _ in $(seq 1 300); do
  grep -q '^TLS certificate ' "$T/logs/relay.out" 2>/dev/null && break
  kill -0 "$relay_pid" 2>/dev/null || { cat "$T/logs/relay.out" "$T/logs/relay.err" >&2; die "the relay exited"; }
  sleep 0.2
done
URL=$(sed -n 's/^relay listening on //p' "$T/logs/relay.out" | head -n 1)
FP=$(sed -n 's/^TLS certificate //p' "$T/logs/relay.out" | head -n 1)
[ -n "$URL" ] && [ -n "$FP" ] || { cat "$T/logs/relay.out" "$T/logs/relay.err" >&2; die "the relay did not print its URL and fingerprint"; }

say "alice and bob: sealpost init and register"
for who in alice bob; do
  SEALPOST_HOME="$T/$who" "$SP" init --name "$who" -q >"$T/logs/init-$who.log" 2>&1 || { cat "$T/logs/init-$who.log" >&2; die "init $who failed"; }
  SEALPOST_HOME="$T/$who" "$SP" register --relay "$URL" --relay-fingerprint "$FP" -q >"$T/logs/register-$who.log" 2>&1 \
    || { cat "$T/logs/register-$who.log" >&2; die "register $who failed"; }
done

start_ui() { # start_ui WHO OUT: sets ui_pid and ui_url
  SEALPOST_HOME="$T/$1" SEALPOST_JAVA_OPTS="${UI_JAVA_OPTS:-}" "$SP" ui --no-browser --port 0 --idle-lock 60 --out "$2" >"$T/logs/ui-$1.out" 2>"$T/logs/ui-$1.err" &
  ui_pid=$!
  ui_url=""
  for _ in $(seq 1 300); do
    ui_url=$(sed -n 's/^sealpost ui: //p' "$T/logs/ui-$1.out" | head -n 1)
    [ -n "$ui_url" ] && break
    kill -0 "$ui_pid" 2>/dev/null || { cat "$T/logs/ui-$1.out" "$T/logs/ui-$1.err" >&2; die "$1's UI exited"; }
    sleep 0.2
  done
  [ -n "$ui_url" ] || die "$1's UI printed no link"
}
say "starting alice's and bob's UIs"
start_ui alice "$T/alice-saved"; alice_pid=$ui_pid; ALICE_URL=$ui_url
start_ui bob "$T/bob-saved"; bob_pid=$ui_pid; BOB_URL=$ui_url
for p in "$relay_pid" "$alice_pid" "$bob_pid"; do
  [ "$(readlink "/proc/$p/exe")" = "$(readlink -f "$JAVA_HOME/bin/java")" ] || die "pid $p is not the JVM ($(readlink "/proc/$p/exe"))"
done
say "relay pid $relay_pid, alice's UI pid $alice_pid, bob's UI pid $bob_pid"

# VmRSS of the three JVMs every 2 s (KEEP_TMP=1 keeps it): shows when memory grows, not just how far
( while :; do
    printf '%s %s %s %s\n' "$(date +%s)" "$(kib "$relay_pid" VmRSS:)" "$(kib "$alice_pid" VmRSS:)" "$(kib "$bob_pid" VmRSS:)"
    sleep 2
  done ) >"$T/logs/rss.log" 2>/dev/null &
sampler_pid=$!

# ---------------------------------------------------------------- the browsers
say "UiLargeFileBench: alice sends $SIZE_MIB MiB in her browser, bob saves it in his (up to ${MINUTES:-30} min each way)"
OTHER_JVMS_BEFORE=$(pgrep -x java | grep -vxF -e "$relay_pid" -e "$alice_pid" -e "$bob_pid" | wc -l || true)
RESULTS="$T/driver.properties"
set +e
./mvnw -B -ntp -o -pl sealpost-ui surefire:test -Dtest=UiLargeFileBench -Dsealpost.bench=true \
  -Dsurefire.failIfNoSpecifiedTests=false -Dsealpost.bench.aliceUrl="$ALICE_URL" -Dsealpost.bench.bobUrl="$BOB_URL" \
  -Dsealpost.bench.file="$BIG" -Dsealpost.bench.results="$RESULTS" -Dsealpost.bench.minutes="${MINUTES:-30}" \
  >"$T/logs/driver.log" 2>&1
driver_rc=$?
set -e
grep -E '^(large|alice|bob|progress|send|save|chromium)[: ]' "$T/logs/driver.log" >&2 || true
prop() { sed -n "s/^$1=//p" "$RESULTS" 2>/dev/null | head -n 1 | sed 's/\\:/:/g; s/\\=/=/g'; }

# ---------------------------------------------------------------- peaks, then stop
heap() { # heap PID: the JVM's heap flags and use, one line (jcmd)
  local flags info
  flags=$("$JAVA_HOME/bin/jcmd" "$1" VM.flags 2>/dev/null | tr ' ' '\n' | grep -E '^-XX:(MaxHeapSize|InitialHeapSize)=' \
    | awk -F= '{printf "%s%s %.0f MiB", sep, substr($1,5), $2/1048576; sep=", "}' || true)
  info=$("$JAVA_HOME/bin/jcmd" "$1" GC.heap_info 2>/dev/null | awk '/total [0-9]+K, used [0-9]+K/{
      for (i=1;i<=NF;i++) { if ($i=="total") t+=$(i+1); if ($i=="used") u+=$(i+1) } } END{ if (t) printf "committed %.0f MiB, used %.0f MiB", t/1024, u/1024 }' || true)
  echo "${flags:-flags unknown}; ${info:-heap unknown}"
}
RELAY_HWM=$(kib "$relay_pid" VmHWM:) ALICE_HWM=$(kib "$alice_pid" VmHWM:) BOB_HWM=$(kib "$bob_pid" VmHWM:)
RELAY_HEAP=$(heap "$relay_pid") ALICE_HEAP=$(heap "$alice_pid") BOB_HEAP=$(heap "$bob_pid")
for p in "$relay_pid" "$alice_pid" "$bob_pid"; do
  kill -0 "$p" 2>/dev/null || say "WARNING: pid $p exited before the end: see $T/logs (KEEP_TMP=1 keeps it)"
done
stop "$sampler_pid"; sampler_pid=""
stop "$alice_pid"; alice_pid=""
stop "$bob_pid"; bob_pid=""
stop "$relay_pid"; relay_pid=""
OTHER_JVMS_AFTER=$(pgrep -x java | wc -l || true)

if [ "$driver_rc" != 0 ] || [ ! -s "$RESULTS" ]; then
  tail -n 60 "$T/logs/driver.log" >&2
  for f in ui-alice.err ui-bob.err relay.err; do echo "--- $f" >&2; tail -n 20 "$T/logs/$f" >&2; done
  echo "bench/ui-large.sh: UiLargeFileBench failed (exit $driver_rc); peaks so far: relay $(mib "$RELAY_HWM") MiB," \
    "alice's UI $(mib "$ALICE_HWM") MiB, bob's UI $(mib "$BOB_HWM") MiB" >&2
  exit 1
fi

# ---------------------------------------------------------------- the saved file
SAVED=$(find "$T/bob-saved" -type f -size "${BYTES}c" | head -n 1)
[ -n "$SAVED" ] || { find "$T/bob-saved" -type f -printf '%s %p\n' >&2; die "bob's UI saved no file of $BYTES bytes"; }
OUT_SHA=$(sha256sum "$SAVED" | cut -d' ' -f1)
[ "$OUT_SHA" = "$IN_SHA" ] || die "the saved file $SAVED differs from the input (SHA-256 $OUT_SHA, input $IN_SHA)"
RSS_PEAKS=$(awk '{ if ($2>r) r=$2; if ($3>a) a=$3; if ($4>b) b=$4 } END{printf "relay %.0f, alice %.0f, bob %.0f", r/1024, a/1024, b/1024}' "$T/logs/rss.log")
ELAPSED=$(awk -v a="$script_start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.0f", b-a}')

SEND_S=$(prop send.seconds) SAVE_S=$(prop save.seconds)
CA=$(prop chromium.alice.hwm.kib) CB=$(prop chromium.bob.hwm.kib)
echo
echo "### UI: one $SIZE_MIB MiB file ($BYTES bytes), browser → UI → relay → UI"
echo
echo "Each a separate process: the relay and both UIs are \`./sealpost\` JVMs (peak RSS: VmHWM from"
echo "/proc/PID/status just before each was stopped, its whole life), each Chromium headless from"
echo "chromium-driver (the largest VmHWM among its processes, just before it quit). Send: from attaching"
echo "the file on Compose until \"Sent …\" shows; save: from pressing \"Save all\" in bob's Inbox until"
echo "\"Saved …\" shows. MB/s = 10^6 bytes per second. Target: below $RSS_TARGET_MIB MiB each."
echo
echo "| process | step | seconds | MB/s | peak RSS MiB | < $RSS_TARGET_MIB MiB |"
echo "| --- | --- | ---: | ---: | ---: | --- |"
echo "| alice's UI (\`sealpost ui\`) | attach → \"Sent\" (browser → UI → relay) | $SEND_S | $(mbps "$SEND_S") | $(mib "$ALICE_HWM") | $(under "$ALICE_HWM") |"
echo "| bob's UI (\`sealpost ui\`) | \"Save all\" → \"Saved\" (relay → UI → disk) | $SAVE_S | $(mbps "$SAVE_S") | $(mib "$BOB_HWM") | $(under "$BOB_HWM") |"
echo "| relay (\`sealpost relay\`) | both | – | – | $(mib "$RELAY_HWM") | $(under "$RELAY_HWM") |"
echo "| alice's Chromium, largest process ($(prop chromium.alice.hwm.process)) | upload | – | – | $(mib "$CA") | $(under "$CA") |"
echo "| bob's Chromium, largest process ($(prop chromium.bob.hwm.process)) | Inbox, Save all | – | – | $(mib "$CB") | $(under "$CB") |"
echo
echo "Send: attach → Send clickable $(prop send.attachToClick.seconds) s, Send → \"Sent\" $(prop send.fromClick.seconds) s;"
echo "bob's Inbox listed the message $(prop list.seconds) s after \"Sent\". Progress on Compose:"
echo "$(grep -E '^send: ' "$T/logs/driver.log" | head -n 1 | sed 's/^send: //')."
echo "Inbox while saving: $(grep -E '^save: ' "$T/logs/driver.log" | head -n 1 | sed 's/^save: //')."
echo "Chromium, all processes' VmRSS at the end: alice $(mib "$(prop chromium.alice.rssSum.kib)") MiB ($(prop chromium.alice.processes) processes),"
echo "bob $(mib "$(prop chromium.bob.rssSum.kib)") MiB ($(prop chromium.bob.processes) processes)."
[ -n "${UI_JAVA_OPTS:-}" ] && echo "**The UIs ran with UI_JAVA_OPTS=\"$UI_JAVA_OPTS\"** (not the launcher's defaults)."
echo "JVM heaps at the end (jcmd): alice's UI: $ALICE_HEAP; bob's UI: $BOB_HEAP; relay: $RELAY_HEAP."
echo "Highest VmRSS sampled every 2 s (MiB): $RSS_PEAKS."
echo "\"$(prop send.result)\"; \"$(prop save.result | cut -c1-160)\"."
echo "The saved file is the input, byte for byte (SHA-256 ${IN_SHA:0:16}…)."
echo "Whole script: $ELAPSED s; JVMs not this benchmark's running on the machine (they share its cores):"
echo "$OTHER_JVMS_BEFORE at the start, $OTHER_JVMS_AFTER at the end. Machine: $(nproc) cores, $(awk '/^MemTotal/{printf "%.1f GiB RAM", $2/1048576}' /proc/meminfo);"
echo "$("$JAVA_HOME/bin/java" -version 2>&1 | sed -n 2p); sealpost $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- . 2>/dev/null || echo ' + uncommitted changes')."
say "done in $ELAPSED s"
