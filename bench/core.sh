#!/usr/bin/env bash
# bench/core.sh: sealpost's core paths, timed as a user runs them (a fresh ./sealpost
# process per command, JVM start included), next to openssl cms doing the same crypto
# on the same file, in one run on this machine.
#
#   A. fixed cost of every command: wrapper script, JVM start, reading certificates,
#      unlocking the two private keys (PBKDF2-HMAC-SHA256, 600,000 iterations each)
#   B. offline: sealpost seal / open of a ~16 MiB incompressible 24-bit BMP (--compress none),
#      and openssl cms sign+encrypt / decrypt+verify of the same file
#   C. relay: sealpost send -> receive of a ~5 MB JPEG through a real relay over loopback
#      TLS, and openssl cms sign+encrypt / decrypt+verify of the same file
#
# Usage:  bench/core.sh                       (from anywhere; about 3.5 minutes on 2 cores)
# Environment (all optional):
#   RUNS=5                 timed runs per figure (the median is reported); one extra
#                          untimed warm-up run comes first (page cache, relay JIT, contact pins)
#   BIG_SIDE=2368          the BMP is BIG_SIDE x BIG_SIDE x 24 bit (2368 -> 16.04 MiB)
#   PHOTO_W=3072 PHOTO_H=2160 PHOTO_Q=85   the JPEG (random pixels -> ~5.0 MB)
#   WRITE_DOC=1            replace the results block of docs/BENCHMARKS.md (0: only print)
# Needs: bash, python3, openssl 3, awk, a JDK 25 (./sealpost finds it), cjpeg (installed
# with apt-get as libjpeg-turbo-progs when missing and running as root).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SP="$ROOT/sealpost"
RUNS=${RUNS:-5}
BIG_SIDE=${BIG_SIDE:-2368}
PHOTO_W=${PHOTO_W:-3072}
PHOTO_H=${PHOTO_H:-2160}
PHOTO_Q=${PHOTO_Q:-85}
WRITE_DOC=${WRITE_DOC:-1}
DOC="$ROOT/docs/BENCHMARKS.md"

T=$(mktemp -d "${TMPDIR:-/tmp}/sealpost-bench.XXXXXX")
relay_pid=""
cleanup() {
  local rc=$?
  if [ -n "$relay_pid" ] && kill -0 "$relay_pid" 2>/dev/null; then
    kill "$relay_pid" 2>/dev/null || true
    wait "$relay_pid" 2>/dev/null || true
  fi
  rm -rf "$T"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

script_start=$(date +%s.%N)
say() { printf '[%6.1fs] %s\n' "$(awk -v a="$script_start" -v b="$(date +%s.%N)" 'BEGIN{print b-a}')" "$*" >&2; }
die() { echo "bench/core.sh: $*" >&2; exit 1; }

# ---------------------------------------------------------------- prerequisites
for tool in python3 openssl awk; do command -v "$tool" >/dev/null || die "$tool is required"; done
if ! command -v cjpeg >/dev/null; then
  [ "$(id -u)" = 0 ] || die "cjpeg missing: apt-get install libjpeg-turbo-progs"
  say "installing libjpeg-turbo-progs (cjpeg)"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libjpeg-turbo-progs; } >"$T/apt.log" 2>&1 \
    || { cat "$T/apt.log" >&2; die "could not install libjpeg-turbo-progs"; }
fi

export SEALPOST_PASSPHRASE="bench-passphrase-$RANDOM-correct-horse-battery"
export SEALPOST_PASSWORD="bench-password-$RANDOM-staple-relay-account"
unset SEALPOST_JAVA_OPTS SEALPOST_DEBUG
mkdir -p "$T/home" "$T/certs" "$T/logs" "$T/times" "$T/work"
: >"$T/busy.log"
cd "$T/work"

sp() { # sp WHO ARGS... : ./sealpost as user WHO (their own SEALPOST_HOME)
  local who=$1; shift
  SEALPOST_HOME="$T/home/$who" "$SP" "$@"
}

# timeit LABEL CMD... : runs CMD once, output to logs/LABEL.log, appends wall seconds to times/LABEL
# (a label ending in ".warm" is the discarded warm-up run)
# If ./sealpost rebuilt itself during the run (sources changed under us), the run is repeated.
timeit() {
  local label=$1; shift
  local s e attempt
  for attempt in 1 2 3; do
    s=$(date +%s.%N)
    if ! "$@" >"$T/logs/last.log" 2>&1; then
      cat "$T/logs/last.log" >>"$T/logs/$label.log"
      echo "bench/core.sh: FAILED ($label): $*" >&2; tail -n 20 "$T/logs/last.log" >&2; exit 1
    fi
    e=$(date +%s.%N)
    cat "$T/logs/last.log" >>"$T/logs/$label.log"
    if grep -q '^sealpost: building' "$T/logs/last.log"; then
      say "WARNING: ./sealpost rebuilt itself during '$label' (sources changed); repeating that run"
      echo "rebuild during $label" >>"$T/busy.log"; continue
    fi
    awk -v a="$s" -v b="$e" 'BEGIN{printf "%.4f\n", b-a}' >>"$T/times/$label"
    return 0
  done
  die "./sealpost keeps rebuilding itself; is someone editing the sources?"
}
is_ours() { # is_ours PID: true if this script is an ancestor of PID
  local p=$1
  while [ -n "$p" ] && [ "$p" -gt 1 ] 2>/dev/null; do
    [ "$p" = "$$" ] && return 0
    p=$(awk '{print $4}' "/proc/$p/stat" 2>/dev/null || true)
  done
  return 1
}
# CPU time used by processes that are not ours (the script's children and the relay), from
# /proc/stat: on 2 cores any other work shows up directly in the wall times.
TCK=$(getconf CLK_TCK)
jiffies_busy() { awk '/^cpu /{print $2+$3+$4+$7+$8; exit}' /proc/stat; }
jiffies_ours() {
  local t; t=$(awk '{print $14+$15+$16+$17}' "/proc/$$/stat")
  if [ -n "$relay_pid" ] && [ -r "/proc/$relay_pid/stat" ]; then
    t=$((t + $(awk '{print $14+$15+$16+$17}' "/proc/$relay_pid/stat")))
  fi
  echo "$t"
}
cpu_mark() { M_BUSY=$(jiffies_busy); M_OURS=$(jiffies_ours); M_WALL=$(date +%s.%N); }
cpu_foreign() { # seconds of CPU others used since cpu_mark, and the wall seconds: "F W"
  local b o; b=$(jiffies_busy); o=$(jiffies_ours)
  awk -v b=$((b - M_BUSY)) -v o=$((o - M_OURS)) -v t="$TCK" -v w0="$M_WALL" -v w1="$(date +%s.%N)" \
    'BEGIN{f=(b-o)/t; if (f<0) f=0; printf "%.1f %.0f\n", f, w1-w0}'
}
busy_check() { # records JVMs that are not ours (maven, surefire, another sealpost...): they share our cores
  local p n=0 what=""
  for p in $(pgrep -x java 2>/dev/null || true); do
    is_ours "$p" && continue
    n=$((n + 1))
    # a JVM that exits meanwhile has no cmdline: with set -e and pipefail that must not end the script
    what="$what $({ tr '\0' ' ' <"/proc/$p/cmdline"; } 2>/dev/null | grep -oE 'plexus-classworlds|surefirebooter|sealpost\.jar|[^ /]+\.jar' | head -n 1 || true)"
  done
  if [ "$n" -gt 0 ]; then
    say "WARNING: $n other JVM(s) running ($1):$what; figures will be noisy"
    printf '%s: %d other JVM(s)%s\n' "$1" "$n" "$what" >>"$T/busy.log"
  fi
}
stat_of() { # stat_of LABEL -> "median min max n"
  sort -g "$T/times/$1" | awk '{v[NR]=$1} END{ if (NR==0) {print "nan nan nan 0"; exit}
    m = (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2; printf "%.3f %.3f %.3f %d\n", m, v[1], v[NR], NR }'
}
med() { stat_of "$1" | awk '{print $1}'; }
sum_series() { # sum_series OUT A B : per-run sums of two series
  paste "$T/times/$2" "$T/times/$3" | awk '{printf "%.4f\n", $1+$2}' >"$T/times/$1"
}
mib() { awk -v b="$(stat -c %s "$1")" 'BEGIN{printf "%.2f", b/1048576}'; }
rate() { awk -v m="$1" -v s="$2" 'BEGIN{ if (s>0) printf "%.1f", m/s; else print "-" }'; }
only_file() { # the single file saved under DIR
  local f; f=$(find "$1" -type f) ; [ "$(printf '%s\n' "$f" | grep -c .)" = 1 ] || die "expected one file in $1, found: ${f:-none}"
  printf '%s\n' "$f"
}

# ---------------------------------------------------------------- inputs
say "writing inputs: ${BIG_SIDE}x${BIG_SIDE} random BMP, ${PHOTO_W}x${PHOTO_H} random-pixel JPEG q$PHOTO_Q"
python3 - "$T/work/big.bmp" "$BIG_SIDE" "$T/work/noise.ppm" "$PHOTO_W" "$PHOTO_H" <<'PY'
import random, struct, sys
bmp, side, ppm, pw, ph = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
rnd = random.Random(20261122)                       # reproducible content
row = side * 3; pad = (-row) % 4; size = (row + pad) * side
with open(bmp, "wb") as f:                          # BITMAPFILEHEADER + BITMAPINFOHEADER, 24 bpp, bottom-up
    f.write(b"BM" + struct.pack("<IHHI", 54 + size, 0, 0, 54))
    f.write(struct.pack("<IiiHHIIiiII", 40, side, side, 1, 24, 0, size, 2835, 2835, 0, 0))
    for _ in range(side):
        f.write(rnd.randbytes(row) + b"\0" * pad)
with open(ppm, "wb") as f:
    f.write(b"P6 %d %d 255\n" % (pw, ph))
    f.write(rnd.randbytes(pw * ph * 3))
PY
cjpeg -quality "$PHOTO_Q" -outfile "$T/work/photo.jpg" "$T/work/noise.ppm"
rm -f "$T/work/noise.ppm"
python3 - "$T/work/tiny.bmp" <<'PY'
import struct, sys
w = h = 16; row = w * 3; size = row * h
with open(sys.argv[1], "wb") as f:
    f.write(b"BM" + struct.pack("<IHHI", 54 + size, 0, 0, 54))
    f.write(struct.pack("<IiiHHIIiiII", 40, w, h, 1, 24, 0, size, 2835, 2835, 0, 0))
    f.write(bytes(range(256)) * (size // 256) + bytes(size % 256))
PY
BIG="$T/work/big.bmp"; PHOTO="$T/work/photo.jpg"
BIG_MIB=$(mib "$BIG"); PHOTO_MIB=$(mib "$PHOTO")
BIG_BYTES=$(stat -c %s "$BIG"); PHOTO_BYTES=$(stat -c %s "$PHOTO")
say "big.bmp $BIG_BYTES bytes ($BIG_MIB MiB), photo.jpg $PHOTO_BYTES bytes ($PHOTO_MIB MiB)"

# ---------------------------------------------------------------- build (untimed) and identities
say "./sealpost --version (builds the jar first if the sources changed; not timed)"
for attempt in 1 2 3 4 5 6; do
  if "$SP" --version >"$T/logs/version.log" 2>&1; then break; fi
  [ "$attempt" = 6 ] && { cat "$T/logs/version.log" >&2; die "./sealpost does not run"; }
  say "./sealpost failed (jar being rebuilt?); retrying in 20 s"; sleep 20
done
JAR="$ROOT/sealpost-cli/target/sealpost.jar"
JAVA_BIN=$(SEALPOST_JAVA_OPTS="-XshowSettings:properties" "$SP" --version 2>&1 | sed -n 's/^ *java\.home = //p' | head -n 1)/bin/java
[ -x "$JAVA_BIN" ] || die "cannot find the java that ./sealpost runs"
JDK_VERSION=$("$JAVA_BIN" -version 2>&1 | sed -n 2p)

say "creating identities alice and bob (RSA-3072) and exporting certificates"
for who in alice bob; do
  sp "$who" init --name "$who" >"$T/logs/init-$who.log" 2>&1 || { cat "$T/logs/init-$who.log" >&2; die "init $who failed"; }
  sp "$who" export --certs "$T/certs" >>"$T/logs/init-$who.log" 2>&1 || { cat "$T/logs/init-$who.log" >&2; die "export $who failed"; }
done
C="$T/certs"; AKEY="$T/home/alice/identity"; BKEY="$T/home/bob/identity"
for f in alice-sig-cert.pem alice-enc-cert.pem bob-sig-cert.pem bob-enc-cert.pem; do [ -s "$C/$f" ] || die "export did not write $f"; done
for f in "$AKEY/sig-key.pem" "$AKEY/enc-key.pem" "$BKEY/sig-key.pem" "$BKEY/enc-key.pem"; do [ -s "$f" ] || die "missing $f"; done

# openssl doing what sealpost does: RSASSA-PSS/SHA-256 SignedData (attached), inside
# AuthEnvelopedData AES-256-GCM with RSAES-OAEP/SHA-256 to the recipient AND the sender
# (sealpost always adds the sender's own copy), DER in and out.
ossl_seal() { # IN OUT
  openssl cms -sign -binary -nodetach -md sha256 -in "$1" \
      -signer "$C/alice-sig-cert.pem" -inkey "$AKEY/sig-key.pem" -passin env:SEALPOST_PASSPHRASE \
      -keyopt rsa_padding_mode:pss -outform DER \
  | openssl cms -encrypt -binary -aes-256-gcm -outform DER -out "$2" \
      -recip "$C/bob-enc-cert.pem" -keyopt rsa_padding_mode:oaep -keyopt rsa_oaep_md:sha256 -keyopt rsa_mgf1_md:sha256 \
      -recip "$C/alice-enc-cert.pem" -keyopt rsa_padding_mode:oaep -keyopt rsa_oaep_md:sha256 -keyopt rsa_mgf1_md:sha256
}
ossl_open() { # IN OUT
  openssl cms -decrypt -binary -inform DER -in "$1" \
      -recip "$C/bob-enc-cert.pem" -inkey "$BKEY/enc-key.pem" -passin env:SEALPOST_PASSPHRASE -outform DER \
  | openssl cms -verify -binary -inform DER -CAfile "$C/alice-sig-cert.pem" -out "$2"
}

# ---------------------------------------------------------------- A. fixed costs
cat >"$T/work/Unlock.java" <<'JAVA'
import dev.sealpost.crypto.IdentityFiles;
import java.nio.file.Path;

/** Times IdentityFiles.read (2 x PBKDF2 600k + AES-CBC + key/cert match check) in a fresh JVM. */
public class Unlock {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        char[] pass = System.getenv("SEALPOST_PASSPHRASE").toCharArray();
        long t0 = System.nanoTime();
        IdentityFiles.readPublic(dir);
        long t1 = System.nanoTime();
        IdentityFiles.read(dir, pass.clone());
        long t2 = System.nanoTime();
        IdentityFiles.read(dir, pass.clone());
        long t3 = System.nanoTime();
        System.out.printf("%.4f %.4f %.4f%n", (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9);
    }
}
JAVA
unlock_inproc() { # appends "certs first-unlock second-unlock" seconds, measured inside a fresh JVM
  "$JAVA_BIN" -cp "$JAR" "$T/work/Unlock.java" "$AKEY" >>"$T/times/unlock.inproc"
}
ossl_unlock() {
  openssl pkey -in "$AKEY/sig-key.pem" -passin env:SEALPOST_PASSPHRASE -noout
  openssl pkey -in "$AKEY/enc-key.pem" -passin env:SEALPOST_PASSPHRASE -noout
}
seal_tiny() { rm -f "$T/work/tiny.p7m"; sp alice seal --to "$C/bob-enc-cert.pem" --image "$T/work/tiny.bmp" --compress none -m hi -o "$T/work/tiny.p7m"; }
open_tiny() { rm -rf "$T/work/tiny-out"; sp bob open "$T/work/tiny.p7m" --from "$C/alice-sig-cert.pem" --out "$T/work/tiny-out"; }
jdk_probe() { "$JAVA_BIN" -XshowSettings:properties -version >/dev/null 2>&1; }

busy_check "start of A"
cpu_mark
say "A. fixed costs: $RUNS runs (+1 warm-up) of each"
for i in $(seq 0 "$RUNS"); do
  w=""; [ "$i" = 0 ] && w=".warm"
  busy_check "A run $i"
  timeit "java-version$w" "$JAVA_BIN" -jar "$JAR" --version
  timeit "sp-version$w" "$SP" --version
  timeit "whoami$w" sp alice whoami
  timeit "jdk-probe$w" jdk_probe
  timeit "seal-tiny$w" seal_tiny
  timeit "open-tiny$w" open_tiny
  timeit "ossl-unlock$w" ossl_unlock
  [ -n "$w" ] || unlock_inproc
done
FOREIGN_A=$(cpu_foreign)

# ---------------------------------------------------------------- B. offline 16 MiB
seal_big() { rm -f "$T/work/m.p7m"; sp alice seal --to "$C/bob-enc-cert.pem" --image "$BIG" --compress none -m "16 MiB" -o "$T/work/m.p7m"; }
open_big() { rm -rf "$T/work/opened"; sp bob open "$T/work/m.p7m" --from "$C/alice-sig-cert.pem" --out "$T/work/opened"; }
ossl_seal_big() { rm -f "$T/work/o.der"; ossl_seal "$BIG" "$T/work/o.der"; }
ossl_open_big() { rm -f "$T/work/o.out"; ossl_open "$T/work/o.der" "$T/work/o.out"; }

busy_check "start of B"
cpu_mark
say "B. offline seal/open of $BIG_MIB MiB: $RUNS runs (+1 warm-up), interleaved"
for i in $(seq 0 "$RUNS"); do
  w=""; [ "$i" = 0 ] && w=".warm"
  busy_check "B run $i"
  timeit "seal$w" seal_big
  timeit "open$w" open_big
  timeit "ossl-seal$w" ossl_seal_big
  timeit "ossl-open$w" ossl_open_big
  say "  run $i${w:+ (warm-up)}: others used $(cpu_foreign | cut -d' ' -f1) s CPU so far; seal $(tail -n1 "$T/times/seal$w") s, open $(tail -n1 "$T/times/open$w") s, openssl $(tail -n1 "$T/times/ossl-seal$w") s + $(tail -n1 "$T/times/ossl-open$w") s"
done
FOREIGN_B=$(cpu_foreign)
cmp -s "$BIG" "$(only_file "$T/work/opened")" || die "sealpost open did not give back the input bytes"
cmp -s "$BIG" "$T/work/o.out" || die "openssl did not give back the input bytes"
SEALED_BYTES=$(stat -c %s "$T/work/m.p7m"); OSSL_BYTES=$(stat -c %s "$T/work/o.der")
# interop check (untimed): openssl opens sealpost's file
openssl cms -decrypt -binary -inform DER -in "$T/work/m.p7m" -recip "$C/bob-enc-cert.pem" -inkey "$BKEY/enc-key.pem" \
    -passin env:SEALPOST_PASSPHRASE -outform DER 2>"$T/logs/interop.log" \
  | openssl cms -verify -binary -inform DER -CAfile "$C/alice-sig-cert.pem" -out "$T/work/interop.mime" 2>>"$T/logs/interop.log" \
  && INTEROP="yes" || INTEROP="NO (see log)"
rm -f "$T/work/m.p7m" "$T/work/o.der" "$T/work/o.out" "$T/work/interop.mime"; rm -rf "$T/work/opened"

# ---------------------------------------------------------------- C. relay, 5 MB photo
say "C. starting relay on loopback"
SEALPOST_HOME="$T/home/relay" "$SP" relay --port 0 --data "$T/relay" >"$T/logs/relay.out" 2>"$T/logs/relay.err" &
relay_pid=$!
for _ in $(seq 1 300); do
  grep -q '^TLS certificate ' "$T/logs/relay.out" 2>/dev/null && break
  kill -0 "$relay_pid" 2>/dev/null || { cat "$T/logs/relay.out" "$T/logs/relay.err" >&2; die "relay exited"; }
  sleep 0.2
done
URL=$(sed -n 's/^relay listening on //p' "$T/logs/relay.out" | head -n 1)
FP=$(sed -n 's/^TLS certificate //p' "$T/logs/relay.out" | head -n 1)
[ -n "$URL" ] && [ -n "$FP" ] || { cat "$T/logs/relay.out" "$T/logs/relay.err" >&2; die "relay did not print its URL and fingerprint"; }
say "relay $URL $FP (pid $relay_pid)"
for who in alice bob; do
  sp "$who" register --relay "$URL" --relay-fingerprint "$FP" >"$T/logs/register-$who.log" 2>&1 \
    || { cat "$T/logs/register-$who.log" >&2; die "register $who failed"; }
done

send_photo() { sp alice send --to bob -m hi --image "$PHOTO"; }
receive_photo() { rm -rf "$T/work/inbox"; sp bob receive --out "$T/work/inbox"; }
send_tiny() { sp alice send --to bob -m hi --image "$T/work/tiny.bmp" --compress none; }
receive_tiny() { rm -rf "$T/work/inbox-tiny"; sp bob receive --out "$T/work/inbox-tiny"; }
seal_photo() { rm -f "$T/work/p.p7m"; sp alice seal --to "$C/bob-enc-cert.pem" --image "$PHOTO" -m hi -o "$T/work/p.p7m"; }
open_photo() { rm -rf "$T/work/p-opened"; sp bob open "$T/work/p.p7m" --from "$C/alice-sig-cert.pem" --out "$T/work/p-opened"; }
ossl_seal_photo() { rm -f "$T/work/p.der"; ossl_seal "$PHOTO" "$T/work/p.der"; }
ossl_open_photo() { rm -f "$T/work/p.out"; ossl_open "$T/work/p.der" "$T/work/p.out"; }

busy_check "start of C"
cpu_mark
say "C. send -> receive of $PHOTO_MIB MiB JPEG: $RUNS runs (+1 warm-up: pins contacts, warms the relay)"
for i in $(seq 0 "$RUNS"); do
  w=""; [ "$i" = 0 ] && w=".warm"
  busy_check "C run $i"
  timeit "send$w" send_photo
  timeit "receive$w" receive_photo
  cmp -s "$PHOTO" "$(only_file "$T/work/inbox")" || die "received photo differs from the one sent"
  timeit "ossl-seal-photo$w" ossl_seal_photo
  timeit "ossl-open-photo$w" ossl_open_photo
  cmp -s "$PHOTO" "$T/work/p.out" || die "openssl did not give back the photo"
  timeit "send-tiny$w" send_tiny
  timeit "receive-tiny$w" receive_tiny
  only_file "$T/work/inbox-tiny" >/dev/null
  timeit "seal-photo$w" seal_photo
  timeit "open-photo$w" open_photo
  cmp -s "$PHOTO" "$(only_file "$T/work/p-opened")" || die "sealpost open did not give back the photo"
  say "  run $i${w:+ (warm-up)}: others used $(cpu_foreign | cut -d' ' -f1) s CPU so far; send $(tail -n1 "$T/times/send$w") s, receive $(tail -n1 "$T/times/receive$w") s, openssl $(tail -n1 "$T/times/ossl-seal-photo$w") s + $(tail -n1 "$T/times/ossl-open-photo$w") s"
done
FOREIGN_C=$(cpu_foreign)
SENT_BYTES=$(sed -n 's/.*(\([0-9,]*\) bytes sealed.*/\1/p' "$T/logs/send.log" | tail -n 1 | tr -d ,)
sum_series sendrecv send receive
sum_series ossl-photo ossl-seal-photo ossl-open-photo
sum_series ossl-big ossl-seal ossl-open
sum_series sealopen seal open
kill "$relay_pid" 2>/dev/null || true; wait "$relay_pid" 2>/dev/null || true; relay_pid=""

# ---------------------------------------------------------------- report
busy_check "end"
awk '{c+=$1; u1+=$2; u2+=$3; n++} END{printf "%.3f %.3f %.3f\n", c/n, u1/n, u2/n}' "$T/times/unlock.inproc" >"$T/unlock.avg"
read -r U_CERTS U_COLD U_WARM <"$T/unlock.avg"
row() { # row LABEL WHAT [MIB]
  local s; s=$(stat_of "$1"); set -- "$1" "$2" "${3:-}" $s
  local m=$4 lo=$5 hi=$6
  if [ -n "$3" ]; then
    printf '| %s | %s | %s–%s | %s |\n' "$2" "$m" "$lo" "$hi" "$(rate "$3" "$m")"
  else
    printf '| %s | %s | %s–%s | – |\n' "$2" "$m" "$lo" "$hi"
  fi
}
dmed() { awk -v a="$(med "$1")" -v b="$(med "$2")" 'BEGIN{printf "%.3f", a-b}'; } # median(A) - median(B)
CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
FLAGS=$(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -xE 'aes|vaes|vpclmulqdq|sha_ni|avx2|avx512f' | tr '\n' ' ' | sed 's/ $//')
MEM=$(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo)
OSSL_VERSION=$(openssl version)
JHOME=${JAVA_HOME:-unset}
PATH_JAVA=$(command -v java >/dev/null && java -version 2>&1 | head -n 1 || echo none)
NOW=$(date -u '+%Y-%m-%d %H:%M UTC')
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
DIRTY=$(git -C "$ROOT" status --porcelain 2>/dev/null | grep -c . || true)
if [ -s "$T/busy.log" ]; then
  BUSY="**other JVMs or rebuilds during the run: $(sort -u "$T/busy.log" | paste -sd ';' | sed 's/;/; /g') — treat the figures as noisy**"
else
  BUSY="no other JVM seen at any check (one before every run)"
fi
script_end=$(date +%s.%N)
ELAPSED=$(awk -v a="$script_start" -v b="$script_end" 'BEGIN{printf "%.0f", b-a}')
SEAL_PAY=$(dmed seal seal-tiny); OPEN_PAY=$(dmed open open-tiny)

{
cat <<EOF
Run: $NOW on $(nproc) cores, $CPU ($FLAGS), $MEM RAM; $JDK_VERSION; $OSSL_VERSION;
JAVA_HOME $JHOME, \`java\` on PATH: $PATH_JAVA (the wrapper probes JDKs until it finds a 25);
sealpost commit $COMMIT + $DIRTY uncommitted paths. Every figure is the median of $RUNS fresh processes
after 1 discarded warm-up run; "range" is min–max of the $RUNS; MiB/s = MiB of image / median wall
seconds. Whole script: ${ELAPSED} s. Load: $BUSY; CPU used by other processes (from /proc/stat, all
but this script's children and the relay) during A / B / C: ${FOREIGN_A% *} / ${FOREIGN_B% *} / ${FOREIGN_C% *} s
over ${FOREIGN_A#* } / ${FOREIGN_B#* } / ${FOREIGN_C#* } s of wall time.

**A. Fixed cost per command** (no payload)

| command | median s | range s | MiB/s |
| --- | ---: | ---: | ---: |
EOF
row java-version "\`java -jar sealpost.jar --version\`: JVM start + picocli, no wrapper"
row jdk-probe "\`java -XshowSettings:properties -version\`: the JDK probe the wrapper runs"
row sp-version "\`./sealpost --version\`: + wrapper (JDK probe, stale-source \`find\`)"
row whoami "\`./sealpost whoami\`: + home, both certificates parsed; no passphrase"
row seal-tiny "\`./sealpost seal\` of a 16x16 BMP: + unlock both keys, sign, encrypt, write"
row open-tiny "\`./sealpost open\` of that: + unlock both keys, decrypt, verify, save"
row ossl-unlock "\`openssl pkey -noout\` x2: both key files, PBKDF2 600k each (C)"
cat <<EOF

Breakdown of a fresh \`./sealpost\` command, from the medians: JVM start + picocli $(med java-version) s;
the wrapper adds $(dmed sp-version java-version) s; identity/certificate loading (Bouncy Castle, X.509) adds
$(dmed whoami sp-version) s (whoami); unlocking the keys plus the small message's signature and
encryption add $(dmed seal-tiny whoami) s (seal of 16x16 minus whoami). Measured inside one fresh JVM
(\`java -cp sealpost.jar Unlock.java\`, mean of $RUNS): parsing both certificates $U_CERTS s;
\`IdentityFiles.read\` (2 x PBKDF2-HMAC-SHA256 600,000 iterations + AES-CBC + a sign/verify
key-matches-certificate check per key) **$U_COLD s** the first time, $U_WARM s the second time in
the same JVM (JIT-compiled HMAC-SHA256); OpenSSL does both key files in $(med ossl-unlock) s.

**B. Offline, $BIG_MIB MiB incompressible BMP** ($BIG_BYTES bytes; sealpost .p7m $SEALED_BYTES bytes,
openssl DER $OSSL_BYTES bytes; \`openssl cms\` opens sealpost's file: $INTEROP)

| step | median s | range s | MiB/s |
| --- | ---: | ---: | ---: |
EOF
row seal "\`sealpost seal --compress none\`" "$BIG_MIB"
row open "\`sealpost open --from\`" "$BIG_MIB"
row sealopen "sealpost seal + open" "$BIG_MIB"
row ossl-seal "\`openssl cms -sign \\| openssl cms -encrypt\`" "$BIG_MIB"
row ossl-open "\`openssl cms -decrypt \\| openssl cms -verify\`" "$BIG_MIB"
row ossl-big "openssl sign+encrypt + decrypt+verify" "$BIG_MIB"
cat <<EOF

Payload-dependent part (big run minus the 16x16 run, medians): seal $SEAL_PAY s
($(rate "$BIG_MIB" "$SEAL_PAY") MiB/s), open $OPEN_PAY s ($(rate "$BIG_MIB" "$OPEN_PAY") MiB/s).

**C. Relay over loopback TLS, $PHOTO_MIB MiB JPEG** ($PHOTO_BYTES bytes, kept as is by \`--compress lossless\`;
$SENT_BYTES bytes sealed for bob + alice's own copy)

| step | median s | range s | MiB/s |
| --- | ---: | ---: | ---: |
EOF
row send "\`sealpost send --to bob -m hi --image photo.jpg\`" "$PHOTO_MIB"
row receive "\`sealpost receive --out DIR\`" "$PHOTO_MIB"
row sendrecv "send + receive (sum per run)" "$PHOTO_MIB"
row ossl-seal-photo "\`openssl cms\` sign+encrypt" "$PHOTO_MIB"
row ossl-open-photo "\`openssl cms\` decrypt+verify" "$PHOTO_MIB"
row ossl-photo "openssl both (crypto only, no network)" "$PHOTO_MIB"
row seal-photo "for attribution: \`sealpost seal --image photo.jpg\` (offline, same image handling)" "$PHOTO_MIB"
row open-photo "for attribution: \`sealpost open\` of that" "$PHOTO_MIB"
row send-tiny "for attribution: \`sealpost send\` of the 16x16 BMP"
row receive-tiny "for attribution: \`sealpost receive\` of that"
cat <<EOF

Network and relay share (medians): send − offline seal of the same photo $(dmed send seal-photo) s,
receive − offline open $(dmed receive open-photo) s; the photo's own cost: send − send of 16x16 $(dmed send send-tiny) s,
receive − receive of 16x16 $(dmed receive receive-tiny) s.

Discarded warm-up runs: seal $(cat "$T/times/seal.warm") s, open $(cat "$T/times/open.warm") s,
send $(cat "$T/times/send.warm") s, receive $(cat "$T/times/receive.warm") s (first contact: fetches and pins the
other side's certificates; the relay JVM is cold).
EOF
} >"$T/results.md"

echo
cat "$T/results.md"

if [ "$WRITE_DOC" = 1 ]; then
  [ -f "$DOC" ] || die "$DOC missing (it holds the hand-written interpretation around the results block)"
  grep -q '^<!-- BEGIN bench/core.sh results -->$' "$DOC" && grep -q '^<!-- END bench/core.sh results -->$' "$DOC" \
    || die "$DOC has no results markers"
  awk -v res="$T/results.md" '
    /^<!-- BEGIN bench\/core.sh results -->$/ { print; while ((getline l < res) > 0) print l; skip=1; next }
    /^<!-- END bench\/core.sh results -->$/   { skip=0 }
    !skip { print }' "$DOC" >"$T/doc.new"
  cat "$T/doc.new" >"$DOC"
  say "wrote results into docs/BENCHMARKS.md"
fi
say "done in ${ELAPSED} s"
