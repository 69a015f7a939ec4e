#!/usr/bin/env bash
# bench/s3-large.sh: one large file through a relay whose sealed messages and uploads are in a
# folder, then in an S3-compatible bucket (s3proxy, filesystem backend, on loopback): the send's
# and the receive's wall time, and the relay's peak RSS (VmHWM), which must not grow with the file
# (uploads are spooled a part at a time, downloads stream ranged GETs).
#
# Usage:  bash bench/s3-large.sh [SIZE_MIB]     (default 1024)
# Needs: a JDK 25 (./sealpost finds it), the Maven wrapper (fetches s3proxy's jar once), cmp.
# Results go to standard output as Markdown; nothing in the repository is written but the build.
set -euo pipefail
SIZE_MIB=${1:-1024}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SP="$ROOT/sealpost"
T=$(mktemp -d "${TMPDIR:-/tmp}/sealpost-s3large.XXXXXX")
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$T"; }
trap cleanup EXIT

. "$ROOT/.mvn/jdk25.sh"
jdk=$(sealpost_find_jdk25)
version=$(sed -n 's:.*<s3proxy.version>\(.*\)</s3proxy.version>.*:\1:p' "$ROOT/pom.xml")
(cd "$ROOT" && JAVA_HOME=$jdk ./mvnw -q -B dependency:copy -Dartifact="org.gaul:s3proxy:$version:jar:jar-with-dependencies" \
    -DoutputDirectory="$T" -Dmdep.stripVersion=true -Dmdep.stripClassifier=true) >&2
"$SP" --version >/dev/null

export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench-secret
s3port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$T/s3/bench"
cat >"$T/s3proxy.properties" <<PROPS
s3proxy.endpoint=http://127.0.0.1:$s3port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$AWS_ACCESS_KEY_ID
s3proxy.credential=$AWS_SECRET_ACCESS_KEY
jclouds.provider=filesystem-nio2
jclouds.filesystem.basedir=$T/s3
PROPS
"$jdk/bin/java" -Xmx256m -jar "$T/s3proxy.jar" --properties "$T/s3proxy.properties" >"$T/s3proxy.log" 2>&1 &
s3pid=$!; pids+=("$s3pid")
for _ in $(seq 600); do grep -q "Started.*127.0.0.1:$s3port" "$T/s3proxy.log" && break; sleep 0.1; done

echo "making a ${SIZE_MIB} MiB file" >&2
head -c $((SIZE_MIB << 20)) /dev/urandom >"$T/big.bin"
export SEALPOST_PASSPHRASE=bench-passphrase SEALPOST_PASSWORD=bench-password-1

hwm() { awk '/VmHWM/ {printf "%d", $2/1024}' "/proc/$1/status"; }
now() { date +%s.%N; }

echo "| store | send s | receive s | relay peak RSS MiB | s3proxy peak RSS MiB | identical |"
echo "| --- | ---: | ---: | ---: | ---: | --- |"
for store in folder s3; do
  d="$T/$store"; mkdir -p "$d"
  extra=()
  [ "$store" = s3 ] && extra=(--s3-endpoint "http://127.0.0.1:$s3port" --s3-bucket bench)
  SEALPOST_HOME="$d/op" "$SP" relay --port 0 --data "$d/relay" "${extra[@]}" >"$d/relay.log" 2>&1 &
  rpid=$!; pids+=("$rpid")
  for _ in $(seq 1200); do grep -q "^TLS certificate" "$d/relay.log" && break; sleep 0.1; done
  url=$(sed -n 's/^relay listening on //p' "$d/relay.log"); fp=$(sed -n 's/^TLS certificate //p' "$d/relay.log")
  # the relay process is the JVM started by the launcher: the newest java child of $rpid
  jpid=$(pgrep -P "$rpid" java || echo "$rpid")
  for u in alice bob; do
    SEALPOST_HOME="$d/$u" "$SP" init --name "$u" --suite p256 >/dev/null
    SEALPOST_HOME="$d/$u" "$SP" register --relay "$url" --relay-fingerprint "$fp" >/dev/null
  done
  t0=$(now); SEALPOST_HOME="$d/alice" "$SP" send --to bob -m large --file "$T/big.bin" >/dev/null 2>&1; t1=$(now)
  SEALPOST_HOME="$d/bob" "$SP" receive --all --out "$d/in" >/dev/null 2>&1; t2=$(now)
  same=no; cmp -s "$T/big.bin" "$d/in/big.bin" && same=yes
  s3rss="-"; [ "$store" = s3 ] && s3rss=$(hwm "$s3pid")
  printf "| %s | %.1f | %.1f | %s | %s | %s |\n" "$store" "$(python3 -c "print($t1 - $t0)")" "$(python3 -c "print($t2 - $t1)")" "$(hwm "$jpid")" "$s3rss" "$same"
  kill "$rpid" 2>/dev/null || true; wait "$rpid" 2>/dev/null || true
  rm -rf "$d/in"
done
