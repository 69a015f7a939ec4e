#!/usr/bin/env bash
# bench/fuzz.sh: runs every Jazzer fuzz target (issue 11) in fuzzing mode, one after the other,
# and prints per target: duration, executions, exec/s and findings, as a Markdown table.
#
# Usage:  bash bench/fuzz.sh [SECONDS_PER_TARGET]     (default 600: the issue's 10 minutes)
# Environment (all optional):
#   TARGETS="sealpost-crypto:SmimeFuzzTest#decrypt ..."   a subset, as MODULE:CLASS#METHOD
#   OFFLINE=1       0 lets Maven download (the first run after a dependency change)
#
# Each target is `JAZZER_FUZZ=1 ./mvnw surefire:test -Dtest=CLASS#METHOD` with
# -Djazzer.max_duration=${SECONDS}s (overrides @FuzzTest's 5 minute default) and Jazzer's
# sanitizer hooks on (the regression runs in `./mvnw verify` turn them off). Coverage guidance
# covers sealpost's classes in the target's package (jazzer-junit's default), not the libraries.
# The generated corpus grows in MODULE/.cifuzz-corpus/ (git-ignored) and is reused by the next
# run; a finding is written by Jazzer next to the seeds (src/test/resources/.../CLASSInputs/METHOD/
# crash-*) where `./mvnw verify` replays it until it is fixed or removed: look at `git status`.
# Logs go to ${TMPDIR:-/tmp}/sealpost-fuzz.XXXXXX/ (printed at the start), the table to standard output.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET=${1:-600}
OFFLINE=${OFFLINE:-1}
TARGETS=${TARGETS:-"
sealpost-crypto:SmimeFuzzTest#decrypt
sealpost-crypto:SmimeFuzzTest#verify
sealpost-crypto:PemFuzzTest#certificate
sealpost-crypto:PemFuzzTest#encryptedKey
sealpost-crypto:BlobCipherFuzzTest#decrypt
sealpost-client:LetterFuzzTest#parse
sealpost-client:BundleFuzzTest#openAndCheck
sealpost-client:SafeNamesFuzzTest#names
sealpost-media:ImagesFuzzTest#probe
sealpost-media:ImagesFuzzTest#prepare
sealpost-media:ImagesFuzzTest#pngChunks
sealpost-media:ImagesFuzzTest#jpegSegments
sealpost-media:ImagesFuzzTest#gifBlocks
sealpost-media:ImagesFuzzTest#webpChunks
sealpost-media:ImagesFuzzTest#tiffExif
sealpost-relay:HeadersFuzzTest#range
sealpost-relay:HeadersFuzzTest#uploadLength
sealpost-relay:JsonBodiesFuzzTest#bodies
"}
mvn_flags=(-B -ntp)
[ "$OFFLINE" = 1 ] && mvn_flags+=(-o)
logs=$(mktemp -d "${TMPDIR:-/tmp}/sealpost-fuzz.XXXXXX")
echo "logs in $logs" >&2

echo "compiling ..." >&2
./mvnw "${mvn_flags[@]}" -q -pl sealpost-crypto,sealpost-client,sealpost-media,sealpost-relay -am test-compile \
  > "$logs/compile.log" 2>&1 || { cat "$logs/compile.log" >&2; exit 1; }

echo "| target | fuzzed for | executions | exec/s | findings |"
echo "| --- | ---: | ---: | ---: | --- |"
total_findings=0
for t in $TARGETS; do
  module=${t%%:*}
  test=${t#*:}
  log="$logs/${test//#/.}.log"
  echo "fuzzing $test for ${SECONDS_PER_TARGET}s ..." >&2
  set +e
  JAZZER_FUZZ=1 ./mvnw "${mvn_flags[@]}" -pl "$module" -am process-test-resources surefire:test \
    -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false \
    -Djazzer.hooks=true -Djazzer.max_duration="${SECONDS_PER_TARGET}s" > "$log" 2>&1
  rc=$?
  set -e
  # libFuzzer's summary line: "Done 102696 runs in 21 second(s)"; a finding ends the run early without it.
  runs=$(sed -n 's/.*Done \([0-9]*\) runs in \([0-9]*\) second.*/\1/p' "$log" | tail -n 1)
  secs=$(sed -n 's/.*Done \([0-9]*\) runs in \([0-9]*\) second.*/\2/p' "$log" | tail -n 1)
  if [ -z "$runs" ]; then # stopped by a finding: the last status line has the count
    runs=$(grep -o '^#[0-9]*' "$log" | tail -n 1 | tr -d '#')
    secs="?"
  fi
  findings=$(grep -c '^== Java Exception\|^com.code_intelligence.jazzer.junit.FuzzTestFindingException' "$log" || true)
  if [ "$rc" != 0 ] && [ "$findings" = 0 ]; then
    findings="build failed (rc $rc, see $log)"
  elif [ "$findings" != 0 ]; then
    # JUnit mode reports "FuzzTestFindingException: CAUSE"; libFuzzer mode "== Java Exception: CAUSE"
    first=$(grep -m1 -o 'FuzzTestFindingException: .*\|== Java Exception: .*' "$log" | cut -c1-160 || true)
    findings="$findings: $first"
    total_findings=$((total_findings + 1))
  fi
  rate="?"
  if [ -n "$runs" ] && [ "$secs" != "?" ] && [ "${secs:-0}" -gt 0 ]; then
    rate=$((runs / secs))
  fi
  echo "| \`$test\` | ${secs} s | ${runs:-?} | $rate | $findings |"
done
echo "targets with findings: $total_findings" >&2
[ "$total_findings" = 0 ]
