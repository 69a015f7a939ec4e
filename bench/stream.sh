#!/usr/bin/env bash
# bench/stream.sh: throughput of streaming one large file, sealpost next to the usual tools,
# in one run on this machine. Every figure is a fresh process as a user runs it (for sealpost:
# the ./sealpost wrapper and JVM start included); all tools read the same input file and write
# to the same folder (a mktemp -d under ${TMPDIR:-/tmp}).
#
#   offline  sealpost seal --file / open, against
#            openssl cms -sign -stream | openssl cms -encrypt -stream (and -decrypt | -verify),
#            gpg --sign --encrypt -z0 / gpg --decrypt, and age -e / age -d (encryption only)
#   relay    sealpost send --file / receive through a real relay over loopback TLS, against
#            sftp put / get to a private sshd on 127.0.0.1 (own host key, authorized_keys and
#            known_hosts in the temp folder; no system ssh configuration is read or changed)
#
# Usage:  bash bench/stream.sh [SIZE_MIB]             (default 1024: a 1 GiB file)
#         bash bench/stream.sh --memory [SIZE_MIB]    (default 4096: one send/receive and one
#                                                      seal/open, peak RSS against 512 MiB)
# Environment (all optional):
#   RUNS=3          timed runs per figure (the median is reported); before them, one untimed
#                   warm-up round trip per tool with a WARM_MIB file (pins contacts, starts
#                   gpg-agent, builds gpg's trustdb, warms the relay and sshd)
#   WARM_MIB=16     size of the warm-up file
#   RELAY=1         0 skips the relay and sftp part
#   KEEP_TMP=0      1 keeps the temp folder (logs, keys, outputs) at the end
# Needs: bash, python3, openssl 3, gpg, age, ssh/sftp/sshd, GNU time, cmp, awk, a JDK 25
# (./sealpost finds it); age, openssh-server, openssh-client, gnupg and time are installed with
# apt-get when missing and running as root. When running as root and /run/sshd (sshd's
# privilege-separation folder) is missing it is created, and removed again at the end.
# Results go to standard output as Markdown; progress to standard error. Nothing in the
# repository is written.
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }
MODE=throughput
SIZE_MIB=""
while [ $# -gt 0 ]; do
  case "$1" in
    --memory) MODE=memory ;;
    -h|--help) usage; exit 0 ;;
    *[!0-9]*|"") echo "bench/stream.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    *) SIZE_MIB=$1 ;;
  esac
  shift
done
if [ -z "$SIZE_MIB" ]; then
  if [ "$MODE" = memory ]; then SIZE_MIB=4096; else SIZE_MIB=1024; fi
fi
[ "$SIZE_MIB" -ge 1 ] || { echo "bench/stream.sh: SIZE_MIB must be at least 1" >&2; exit 2; }

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SP="$ROOT/sealpost"
RUNS=${RUNS:-3}
WARM_MIB=${WARM_MIB:-16}
RELAY=${RELAY:-1}
[ "$MODE" = memory ] && RUNS=1
RSS_TARGET_MIB=512

T=$(mktemp -d "${TMPDIR:-/tmp}/sealpost-stream.XXXXXX")
relay_pid=""
sshd_pid=""
made_run_sshd=""
cleanup() {
  local rc=$?
  for p in "$relay_pid" "$sshd_pid"; do
    if [ -n "$p" ] && kill -0 "$p" 2>/dev/null; then
      kill "$p" 2>/dev/null || true
      wait "$p" 2>/dev/null || true
    fi
  done
  for g in "$T/gnupg-alice" "$T/gnupg-bob"; do
    [ -d "$g" ] && GNUPGHOME="$g" gpgconf --kill gpg-agent >/dev/null 2>&1 || true
  done
  if [ "${KEEP_TMP:-0}" = 1 ]; then echo "bench/stream.sh: kept $T (KEEP_TMP=1)" >&2; else rm -rf "$T"; fi
  [ -n "$made_run_sshd" ] && rmdir /run/sshd 2>/dev/null || true
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

script_start=$(date +%s.%N)
say() { printf '[%6.1fs] %s\n' "$(awk -v a="$script_start" -v b="$(date +%s.%N)" 'BEGIN{print b-a}')" "$*" >&2; }
die() { echo "bench/stream.sh: $*" >&2; exit 1; }

# ---------------------------------------------------------------- prerequisites
need_pkgs=""
want() { command -v "$1" >/dev/null 2>&1 || [ -x "$1" ] || need_pkgs="$need_pkgs $2"; }
want python3 python3
want openssl openssl
want cmp diffutils
want /usr/bin/time time
if [ "$MODE" = throughput ]; then
  want gpg gnupg
  want gpgconf gnupg
  want age age
  want age-keygen age
  if [ "$RELAY" = 1 ]; then
    want sftp openssh-client
    want ssh-keygen openssh-client
    want /usr/sbin/sshd openssh-server
    want /usr/lib/openssh/sftp-server openssh-server
  fi
fi
need_pkgs=$(printf '%s\n' $need_pkgs | sort -u | tr '\n' ' ' | sed 's/ $//')
if [ -n "$need_pkgs" ]; then
  [ "$(id -u)" = 0 ] || die "missing tools; install: apt-get install $need_pkgs"
  say "installing $need_pkgs"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need_pkgs; } >"$T/apt.log" 2>&1 \
    || { cat "$T/apt.log" >&2; die "could not install $need_pkgs"; }
fi

BYTES=$((SIZE_MIB * 1048576))
FREE_KIB=$(df -Pk "$T" | awk 'NR==2{print $4}')
NEED_KIB=$(( SIZE_MIB * 1024 * 4 + 1048576 ))   # input + at most 3 outputs at a time, + 1 GiB
[ "$FREE_KIB" -ge "$NEED_KIB" ] || die "$T has $((FREE_KIB / 1024)) MiB free, needs about $((NEED_KIB / 1024)) MiB"

export SEALPOST_PASSPHRASE="bench-passphrase-$RANDOM-correct-horse-battery"
export SEALPOST_PASSWORD="bench-password-$RANDOM-staple-relay-account"
unset SEALPOST_JAVA_OPTS SEALPOST_DEBUG
W="$T/work"
mkdir -p "$T/home" "$T/certs" "$T/logs" "$T/times" "$T/rss" "$T/cpu" "$T/bin" "$W"
: >"$T/busy.log"
: >"$T/extra.pids"
cd "$W"

# measure LABEL CMD... : runs CMD once under /usr/bin/time, output to logs/LABEL.log; appends wall
# seconds to times/LABEL, max RSS (KiB) to rss/LABEL and CPU seconds (user + system, of the command
# and the children it waited for) to cpu/LABEL. Paths in $CLEAN are removed before (untimed).
# If ./sealpost rebuilt itself during the run (sources changed under us), the run is repeated, unless
# NO_REPEAT=1 (relay steps: a repeated send would queue a second message). A failure ends the script,
# unless MAY_FAIL=1 and the relay died meanwhile: then measure returns 1 (relay_pair starts it again).
measure() {
  local label=$1; shift
  local attempt
  for attempt in 1 2 3; do
    [ -n "${CLEAN:-}" ] && rm -rf $CLEAN
    # Every tool starts with no dirty pages from the one before (untimed): on this kind of VM a
    # writer slows to disk speed once a few GiB are dirty, which would favour whoever runs first.
    sync
    if ! /usr/bin/time -f '%e %M %U %S' -o "$T/tm" "$@" >"$T/logs/last.log" 2>&1; then
      cat "$T/logs/last.log" >>"$T/logs/$label.log"
      if relay_gone; then
        relay_died "$label"
        [ "${MAY_FAIL:-0}" = 1 ] && return 1
        die "the relay died during '$label'"
      fi
      echo "bench/stream.sh: FAILED ($label): $*" >&2; tail -n 20 "$T/logs/last.log" >&2; exit 1
    fi
    cat "$T/logs/last.log" >>"$T/logs/$label.log"
    if grep -q '^sealpost: building' "$T/logs/last.log"; then
      [ "${NO_REPEAT:-0}" = 1 ] && die "./sealpost rebuilt itself during '$label' (sources changed); run from a copy of the tree that nobody edits"
      say "WARNING: ./sealpost rebuilt itself during '$label' (sources changed); repeating that run"
      printf '%s: ./sealpost rebuilt itself, run repeated\n' "$label" >>"$T/busy.log"
      continue
    fi
    tail -n 1 "$T/tm" | awk '{print $1}' >>"$T/times/$label"
    tail -n 1 "$T/tm" | awk '{print $2}' >>"$T/rss/$label"
    tail -n 1 "$T/tm" | awk '{printf "%.2f\n", $3 + $4}' >>"$T/cpu/$label"
    return 0
  done
  die "./sealpost keeps rebuilding itself; is someone editing the sources?"
}
last_s() { tail -n 1 "$T/times/$1"; }
last_rss() { tail -n 1 "$T/rss/$1" | awk '{printf "%.0f", $1/1024}'; }
is_ours() { # is_ours PID: true if this script is an ancestor of PID
  local p=$1
  while [ -n "$p" ] && [ "$p" -gt 1 ] 2>/dev/null; do
    [ "$p" = "$$" ] && return 0
    p=$(awk '{print $4}' "/proc/$p/stat" 2>/dev/null || true)
  done
  return 1
}
# CPU time used by processes that are not ours, from /proc/stat: on 2 cores any other work shows
# up directly in the wall times. Ours: this script and its children, plus the relay, sshd and the
# gpg-agents (daemons whose CPU would otherwise only be accounted when they are reaped).
TCK=$(getconf CLK_TCK)
jiffies_busy() { awk '/^cpu /{print $2+$3+$4+$7+$8; exit}' /proc/stat; }
jiffies_ours() {
  local t p v; t=$(awk '{print $14+$15+$16+$17}' "/proc/$$/stat")
  for p in $relay_pid $sshd_pid $(cat "$T/extra.pids"); do
    v=$(awk '{print $14+$15+$16+$17}' "/proc/$p/stat" 2>/dev/null || true)
    [ -n "$v" ] && t=$((t + v))
  done
  echo "$t"
}
cpu_mark() { M_BUSY=$(jiffies_busy); M_OURS=$(jiffies_ours); M_WALL=$(date +%s.%N); }
cpu_foreign() { # seconds of CPU others used since cpu_mark, and the wall seconds: "F W"
  local b o; b=$(jiffies_busy); o=$(jiffies_ours)
  awk -v b=$((b - M_BUSY)) -v o=$((o - M_OURS)) -v t="$TCK" -v w0="$M_WALL" -v w1="$(date +%s.%N)" \
    'BEGIN{f=(b-o)/t; if (f<0) f=0; printf "%.1f %.0f\n", f, w1-w0}'
}
busy_check() { # records JVMs that are not ours (maven, surefire, another sealpost...): they share our cores
  local p w n=0 what=""
  for p in $(pgrep -x java 2>/dev/null || true); do
    is_ours "$p" && continue
    [ "$p" = "$relay_pid" ] && continue
    w=$({ tr '\0' ' ' <"/proc/$p/cmdline"; } 2>/dev/null | grep -oE 'plexus-classworlds|surefirebooter|sealpost\.jar|[^ /]+\.jar' | head -n 1 || true)
    [ -d "/proc/$p" ] || continue   # gone meanwhile
    n=$((n + 1))
    what="$what ${w:-java}"
  done
  if [ "$n" -gt 0 ]; then
    say "WARNING: $n other JVM(s) running ($1):$what; figures will be noisy"
    printf '%s: %d other JVM(s)%s\n' "$1" "$n" "$what" >>"$T/busy.log"
  fi
}
stat_of() { # stat_of LABEL -> "median min max n"
  sort -g "$T/times/$1" | awk '{v[NR]=$1} END{ if (NR==0) {print "nan nan nan 0"; exit}
    m = (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2; printf "%.2f %.2f %.2f %d\n", m, v[1], v[NR], NR }'
}
med() { stat_of "$1" | awk '{print $1}'; }
maxrss_mib() { sort -g "$T/rss/$1" | tail -n 1 | awk '{printf "%.0f", $1/1024}'; }
runs_list() { paste -sd/ "$T/times/$1"; }
med_cpu() { sort -g "$T/cpu/$1" | awk '{v[NR]=$1} END{ if (NR==0) {print "-"; exit}
  m = (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2; printf "%.2f\n", m }'; }
mbps() { awk -v b="$BYTES" -v s="$1" 'BEGIN{ if (s>0) printf "%.1f", b/1e6/s; else print "-" }'; }
only_file() { # the single file saved under DIR
  local f; f=$(find "$1" -type f); [ "$(printf '%s\n' "$f" | grep -c .)" = 1 ] || die "expected one file in $1, found: ${f:-none}"
  printf '%s\n' "$f"
}
same() { # same A B WHAT: cmp, or die
  cmp -s "$1" "$2" || die "$3: output differs from the input ($2)"
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
vmhwm_mib() { awk '/^VmHWM:/{printf "%.0f", $2/1024}' "/proc/$1/status"; }

# ---------------------------------------------------------------- input
# Incompressible and reproducible: AES-256-CTR keystream of a fixed key (the same bytes every run).
gen_input() { # gen_input FILE MIB
  { openssl enc -aes-256-ctr -nosalt -K "$(printf '5e%.0s' $(seq 32))" -iv "$(printf '0%.0s' $(seq 32))" \
      -in /dev/zero 2>/dev/null || true; } | head -c $(( $2 * 1048576 )) >"$1"
  [ "$(stat -c %s "$1")" = $(( $2 * 1048576 )) ] || die "could not write $1"
}
BIG="$W/big.bin"
WARM="$W/warm.bin"
say "writing the input: $SIZE_MIB MiB ($BYTES bytes) of AES-CTR keystream to $BIG"
gen_input "$BIG" "$SIZE_MIB"
gen_input "$WARM" "$WARM_MIB"

# ---------------------------------------------------------------- sealpost: build (untimed) and identities
say "./sealpost --version (builds the jar first if the sources changed; not timed)"
for attempt in 1 2 3 4 5 6; do
  if "$SP" --version >"$T/logs/version.log" 2>&1; then break; fi
  [ "$attempt" = 6 ] && { cat "$T/logs/version.log" >&2; die "./sealpost does not run"; }
  say "./sealpost failed (jar being rebuilt?); retrying in 20 s"; sleep 20
done
JAVA_BIN=$(SEALPOST_JAVA_OPTS="-XshowSettings:properties" "$SP" --version 2>&1 | sed -n 's/^ *java\.home = //p' | head -n 1)/bin/java
[ -x "$JAVA_BIN" ] || die "cannot find the java that ./sealpost runs"
SP_VERSION=$("$SP" --version 2>/dev/null | head -n 1)

say "creating sealpost identities alice and bob (defaults) and exporting certificates"
sp_env() { echo "SEALPOST_HOME=$T/home/$1"; } # for: env "$(sp_env alice)" "$SP" ...
for who in alice bob; do
  env "$(sp_env "$who")" "$SP" init --name "$who" >"$T/logs/init-$who.log" 2>&1 || { cat "$T/logs/init-$who.log" >&2; die "init $who failed"; }
  env "$(sp_env "$who")" "$SP" export --certs "$T/certs" >>"$T/logs/init-$who.log" 2>&1 || { cat "$T/logs/init-$who.log" >&2; die "export $who failed"; }
done
C="$T/certs"
for f in alice-sig-cert.pem alice-enc-cert.pem bob-sig-cert.pem bob-enc-cert.pem; do [ -s "$C/$f" ] || die "export did not write $f"; done
SP_SUITE=$(sed -n 's/^created identity alice (\(.*\)) in .*/\1/p' "$T/logs/init-alice.log" | head -n 1)

sp_seal() { env "$(sp_env alice)" "$SP" seal --to "$C/bob-enc-cert.pem" --file "$1" -o "$2"; }
sp_open() { env "$(sp_env bob)" "$SP" open "$1" --from "$C/alice-sig-cert.pem" --out "$2"; }
# the same, as commands measure can time (they must be programs, not shell functions)
SP_SEAL=(env "SEALPOST_HOME=$T/home/alice" "$SP" seal --to "$C/bob-enc-cert.pem" --file)
SP_OPEN=(env "SEALPOST_HOME=$T/home/bob" "$SP" open --from "$C/alice-sig-cert.pem")
SP_SEND=(env "SEALPOST_HOME=$T/home/alice" "$SP" send --to bob --file)
SP_RECV=(env "SEALPOST_HOME=$T/home/bob" "$SP" receive --out)

# ---------------------------------------------------------------- relay (both modes)
start_relay() { # start_relay PORT: the relay on 127.0.0.1:PORT (0: a free one), data and TLS key in $T/relay
  say "starting a sealpost relay on loopback (port $1)"
  SEALPOST_HOME="$T/home/relay" "$SP" relay --port "$1" --data "$T/relay" >"$T/logs/relay.out" 2>>"$T/logs/relay.err" &
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
}
register_both() {
  for who in alice bob; do
    env "$(sp_env "$who")" "$SP" register --relay "$URL" --relay-fingerprint "$FP" >"$T/logs/register-$who.log" 2>&1 \
      || { cat "$T/logs/register-$who.log" >&2; die "register $who failed"; }
  done
}
relay_gone() { [ -n "$relay_pid" ] && ! kill -0 "$relay_pid" 2>/dev/null; }
RELAY_DEATHS=0
relay_died() { # records that the relay is gone (killed from outside: nothing in this script stops it before the end)
  local rc=0 msg; wait "$relay_pid" 2>/dev/null || rc=$?
  msg="relay pid $relay_pid gone at $(date -u '+%H:%M:%S UTC') during '$1': exit status $rc$([ "$rc" -gt 128 ] && echo " (signal $((rc - 128)))")"
  say "WARNING: $msg; last lines of its log:"
  tail -n 5 "$T/logs/relay.err" >&2 || true
  echo "$msg" >>"$T/relay-deaths.log"
  RELAY_DEATHS=$((RELAY_DEATHS + 1))
  relay_pid=""
}
relay_deaths_note() {
  if [ "$RELAY_DEATHS" -gt 0 ]; then
    echo "**The relay was killed from outside this script $RELAY_DEATHS time(s)** ($(paste -sd ';' "$T/relay-deaths.log" | sed 's/;/; /g'));"
    echo "each time it was started again on the same port and data folder and the broken send/receive"
    echo "was repeated, so its VmHWM above is the highest sampled (after each step) over its processes."
  fi
  return 0
}
RELAY_HWM_MAX=0
relay_sample() { # the relay's VmHWM so far (MiB), kept as the highest seen over all relay processes
  local h; h=$(vmhwm_mib "$relay_pid" 2>/dev/null || true)
  if [ -n "$h" ] && [ "$h" -gt "$RELAY_HWM_MAX" ]; then RELAY_HWM_MAX=$h; fi
  return 0
}
relay_restart() { # same port, data folder and TLS key, so the URL, the pinned fingerprint and the accounts stay
  local old_fp=$FP port=${URL##*:}
  start_relay "$port"
  [ "$FP" = "$old_fp" ] || die "restarted relay has another TLS fingerprint ($FP, was $old_fp)"
  # drain: a message stored before the relay died would otherwise be received with the next one
  rm -rf "$W/drain"; "${SP_RECV[@]}" "$W/drain" >>"$T/logs/drain.log" 2>&1 || true; rm -rf "$W/drain"
}
stop_relay() {
  kill "$relay_pid" 2>/dev/null || true; wait "$relay_pid" 2>/dev/null || true; relay_pid=""
}
# relay_pair FILE : timed send + receive of FILE; if the relay is killed from outside meanwhile, the
# relay is started again and the pair repeated (the broken attempt is not counted; the report says so)
relay_pair() {
  local attempt
  for attempt in 1 2 3; do
    if relay_gone; then relay_died "between steps"; fi
    [ -n "$relay_pid" ] || relay_restart
    if NO_REPEAT=1 MAY_FAIL=1 measure send "${SP_SEND[@]}" "$1"; then
      relay_sample
      if NO_REPEAT=1 MAY_FAIL=1 CLEAN="$W/recv" measure receive "${SP_RECV[@]}" "$W/recv"; then
        relay_sample
        same "$1" "$(only_file "$W/recv")" "sealpost send/receive"
        rm -rf "$W/recv"
        return 0
      fi
      sed -i '$d' "$T/times/send" "$T/rss/send" "$T/cpu/send"   # that send's message was lost with the relay
    fi
  done
  die "the relay was killed 3 times in a row; is something on this machine killing java or sealpost processes?"
}
warm_relay() { # untimed: first send pins bob, first receive pins alice; warms the relay's JIT
  rm -rf "$W/recv-warm"
  "${SP_SEND[@]}" "$WARM" >"$T/logs/send-warm.log" 2>&1 || { cat "$T/logs/send-warm.log" >&2; die "warm-up send failed"; }
  "${SP_RECV[@]}" "$W/recv-warm" >"$T/logs/receive-warm.log" 2>&1 || { cat "$T/logs/receive-warm.log" >&2; die "warm-up receive failed"; }
  same "$WARM" "$(only_file "$W/recv-warm")" "warm-up send/receive"
  rm -rf "$W/recv-warm"
}

machine_facts() {
  local cpu mem flags commit
  cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
  mem=$(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo)
  flags=$(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -xE 'aes|vaes|vpclmulqdq|sha_ni|avx2|avx512f' | tr '\n' ' ' | sed 's/ $//')
  echo "Machine: $(nproc) cores (nproc), $cpu ($flags), $mem RAM; kernel $(uname -r); $T on $(df -P "$T" | awk 'NR==2{print $1}') ($(stat -f -c %T "$T"))."
  echo
  echo "- java (the one ./sealpost runs): $("$JAVA_BIN" -version 2>&1 | paste -sd ';' | sed 's/;/; /g')"
  if commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null); then
    commit="commit $commit + $(git -C "$ROOT" status --porcelain 2>/dev/null | grep -c . || true) uncommitted paths"
  else
    commit="not a git checkout ($ROOT)"
  fi
  echo "- sealpost: $SP_VERSION, identities $SP_SUITE (defaults), $commit"
  echo "- $(openssl version)"
  if [ "$MODE" = throughput ]; then
    echo "- $(gpg --version | head -n 1), $(gpg --version | sed -n 's/^libgcrypt /libgcrypt /p' | head -n 1)"
    echo "- age $(age --version 2>&1 | head -n 1)"
    if [ "$RELAY" = 1 ]; then
      echo "- $(ssh -V 2>&1) (client and sshd; cipher negotiated: the client's first, $(ssh -F /dev/null -G 127.0.0.1 2>/dev/null | sed -n 's/^ciphers //p' | cut -d, -f1))"
    fi
  fi
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
}

# ================================================================= memory mode
if [ "$MODE" = memory ]; then
  busy_check "start"
  cpu_mark
  say "memory: sealpost seal of $SIZE_MIB MiB (one run)"
  CLEAN="$W/sp.p7m" measure seal "${SP_SEAL[@]}" "$BIG" -o "$W/sp.p7m"
  SEALED_BYTES=$(stat -c %s "$W/sp.p7m")
  say "  seal $(last_s seal) s, max RSS $(last_rss seal) MiB"
  CLEAN="$W/sp-out" measure open "${SP_OPEN[@]}" "$W/sp.p7m" --out "$W/sp-out"
  say "  open $(last_s open) s, max RSS $(last_rss open) MiB"
  same "$BIG" "$(only_file "$W/sp-out")" "sealpost open"
  rm -rf "$W/sp.p7m" "$W/sp-out"

  start_relay 0
  register_both
  say "warm-up send/receive of $WARM_MIB MiB (untimed)"
  warm_relay
  relay_sample; RELAY_HWM_WARM=$RELAY_HWM_MAX
  busy_check "before send"
  say "memory: send and receive of $SIZE_MIB MiB"
  relay_pair "$BIG"
  say "  send $(last_s send) s, max RSS $(last_rss send) MiB; receive $(last_s receive) s, max RSS $(last_rss receive) MiB"
  SEND_LINE=$(grep -E '^sent ' "$T/logs/send.log" | tail -n 1 || true)
  relay_sample; RELAY_HWM=$RELAY_HWM_MAX
  FOREIGN=$(cpu_foreign)
  busy_check "end"
  stop_relay
  ELAPSED=$(awk -v a="$script_start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.0f", b-a}')
  verdict() { if [ "$1" -lt "$RSS_TARGET_MIB" ]; then echo "yes"; else echo "**no**"; fi; }
  mrow() { # mrow WHAT LABEL
    local r; r=$(maxrss_mib "$2")
    printf '| %s | %s | %s | %s | %s |\n' "$1" "$(med "$2")" "$(mbps "$(med "$2")")" "$r" "$(verdict "$r")"
  }
  {
    echo "### Memory: one $SIZE_MIB MiB file ($BYTES bytes)"
    echo
    echo "One run of each step, a fresh \`./sealpost\` process each (JVM start included); peak RSS of the"
    echo "clients is \`/usr/bin/time -f '%M'\` (max resident set size), of the relay VmHWM from"
    echo "/proc/PID/status after the transfers (its whole life: start, registrations, a $WARM_MIB MiB"
    echo "warm-up message, then this file). MB/s = 10^6 bytes per second. Target: below $RSS_TARGET_MIB MiB each."
    echo
    echo "| step | seconds | MB/s | peak RSS MiB | < $RSS_TARGET_MIB MiB |"
    echo "| --- | ---: | ---: | ---: | --- |"
    mrow "\`sealpost send --to bob --file BIG\` (sender)" send
    mrow "\`sealpost receive --out DIR\` (receiver)" receive
    printf '| relay (%s), VmHWM after both | – | – | %s | %s |\n' "\`sealpost relay\`" "$RELAY_HWM" "$(verdict "$RELAY_HWM")"
    mrow "\`sealpost seal --to CERT --file BIG -o OUT\` (offline)" seal
    mrow "\`sealpost open OUT --from CERT --out DIR\` (offline)" open
    echo
    echo "Relay VmHWM after start, registrations and the warm-up message: $RELAY_HWM_WARM MiB."
    relay_deaths_note
    echo "sealpost output: sealed file $SEALED_BYTES bytes; send: ${SEND_LINE:-?}."
    echo "Both round trips compared byte for byte with the input: identical."
    echo "Files in page cache: the input was written just before (no way to drop the cache here);"
    echo "everything under $T (one filesystem). Whole script: ${ELAPSED} s; CPU used by other"
    echo "processes meanwhile: ${FOREIGN% *} s over ${FOREIGN#* } s of wall time."
    if [ -s "$T/busy.log" ]; then echo "**Other work during the run:** $(sort -u "$T/busy.log" | paste -sd ';' | sed 's/;/; /g')."; fi
    echo
    machine_facts
  } >"$T/results.md"
  echo
  cat "$T/results.md"
  say "done in ${ELAPSED} s"
  exit 0
fi

# ================================================================= throughput mode
# ---------------------------------------------------------------- peers' keys
say "peer keys: openssl req RSA-3072 certificates, gpg RSA-3072 keys (default), age X25519 keys"
for who in alice bob; do
  openssl req -x509 -newkey rsa:3072 -nodes -sha256 -days 2 -subj "/CN=$who bench" \
      -keyout "$T/ossl-$who-key.pem" -out "$T/ossl-$who-cert.pem" >"$T/logs/req-$who.log" 2>&1 \
    || { cat "$T/logs/req-$who.log" >&2; die "openssl req failed"; }
done
# openssl doing what sealpost does, streaming: attached SHA-256 SignedData inside AES-256-GCM
# AuthEnvelopedData, RSAES-OAEP/SHA-256 key transport to bob and to the sender (sealpost always
# adds the sender's own copy). The signature is RSA PKCS#1 v1.5, not PSS: OpenSSL 3.0's
# 'cms -sign -stream' fails with PSS ("illegal zero content"). -decrypt and -verify have no
# streaming mode in the cms app: each reads the whole message into memory.
OAEP='-keyopt rsa_padding_mode:oaep -keyopt rsa_oaep_md:sha256 -keyopt rsa_mgf1_md:sha256'
cat >"$T/bin/ossl-seal" <<EOF
#!/usr/bin/env bash
set -euo pipefail
openssl cms -sign -stream -binary -nodetach -md sha256 -in "\$1" \\
    -signer "$T/ossl-alice-cert.pem" -inkey "$T/ossl-alice-key.pem" -outform DER \\
  | openssl cms -encrypt -stream -binary -aes-256-gcm -outform DER -out "\$2" \\
    -recip "$T/ossl-bob-cert.pem" $OAEP -recip "$T/ossl-alice-cert.pem" $OAEP
EOF
cat >"$T/bin/ossl-open" <<EOF
#!/usr/bin/env bash
set -euo pipefail
openssl cms -decrypt -binary -inform DER -in "\$1" \\
    -recip "$T/ossl-bob-cert.pem" -inkey "$T/ossl-bob-key.pem" -outform DER \\
  | openssl cms -verify -binary -inform DER -CAfile "$T/ossl-alice-cert.pem" -out "\$2"
EOF
chmod +x "$T/bin/ossl-seal" "$T/bin/ossl-open"

GA="$T/gnupg-alice"; GB="$T/gnupg-bob"
mkdir -m 700 "$GA" "$GB"
GNUPGHOME="$GA" gpg --batch --passphrase '' --quick-generate-key 'alice <alice@bench.invalid>' default default never >"$T/logs/gpg-keys.log" 2>&1 \
  && GNUPGHOME="$GB" gpg --batch --passphrase '' --quick-generate-key 'bob <bob@bench.invalid>' default default never >>"$T/logs/gpg-keys.log" 2>&1 \
  || { cat "$T/logs/gpg-keys.log" >&2; die "gpg key generation failed"; }
gfpr() { GNUPGHOME="$1" gpg --batch --with-colons --list-keys "$2" | awk -F: '/^fpr/{print $10; exit}'; }
AFPR=$(gfpr "$GA" alice@bench.invalid); BFPR=$(gfpr "$GB" bob@bench.invalid)
GNUPGHOME="$GB" gpg --batch --export "$BFPR" 2>>"$T/logs/gpg-keys.log" | GNUPGHOME="$GA" gpg --batch --import >>"$T/logs/gpg-keys.log" 2>&1
GNUPGHOME="$GA" gpg --batch --export "$AFPR" 2>>"$T/logs/gpg-keys.log" | GNUPGHOME="$GB" gpg --batch --import >>"$T/logs/gpg-keys.log" 2>&1
GPG_ALGO=$(GNUPGHOME="$GA" gpg --batch --with-colons --list-keys "$AFPR" 2>/dev/null | awk -F: '
  function name(a) { return a == 1 ? "RSA" : a == 22 ? "EdDSA" : a == 18 ? "ECDH" : a == 19 ? "ECDSA" : "algo " a }
  /^pub/{printf "primary %s-%s", name($4), $3} /^sub/{printf ", subkey %s-%s", name($4), $3}')
# alice signs and encrypts to bob and to herself (as sealpost does); bob decrypts and verifies
GPG_ENC=(env "GNUPGHOME=$GA" gpg --batch --yes --trusted-key "$BFPR" -z0 --personal-digest-preferences SHA256
         --local-user "$AFPR" --recipient "$BFPR" --recipient "$AFPR" --sign --encrypt -o)
GPG_DEC=(env "GNUPGHOME=$GB" gpg --batch --yes --trusted-key "$AFPR" --status-file "$W/gpg.status" --decrypt -o)
gpg_check() { # the signature on what gpg just decrypted is alice's, and the MDC is good
  grep -q "^\[GNUPG:\] VALIDSIG $AFPR " "$W/gpg.status" && grep -q '^\[GNUPG:\] GOODMDC' "$W/gpg.status" \
    && grep -q '^\[GNUPG:\] DECRYPTION_OKAY' "$W/gpg.status" || { cat "$W/gpg.status" >&2; die "gpg did not report alice's valid signature"; }
}

age-keygen -o "$T/age-bob.key" 2>/dev/null; age-keygen -o "$T/age-alice.key" 2>/dev/null
AGE_ENC=(age -e -r "$(age-keygen -y "$T/age-bob.key")" -r "$(age-keygen -y "$T/age-alice.key")" -o)
AGE_DEC=(age -d -i "$T/age-bob.key" -o)

# ---------------------------------------------------------------- sshd for sftp
if [ "$RELAY" = 1 ]; then
  S="$T/ssh"; mkdir -m 700 "$S" "$S/dest" "$S/back"
  ssh-keygen -q -t ed25519 -N '' -C bench-host -f "$S/host_key"
  ssh-keygen -q -t ed25519 -N '' -C bench-client -f "$S/client_key"
  cp "$S/client_key.pub" "$S/authorized_keys"
  SSH_PORT=$(free_port)
  cat >"$S/sshd_config" <<EOF
Port $SSH_PORT
ListenAddress 127.0.0.1
HostKey $S/host_key
PidFile $S/sshd.pid
AuthorizedKeysFile $S/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
Subsystem sftp /usr/lib/openssh/sftp-server
EOF
  echo "[127.0.0.1]:$SSH_PORT $(cut -d' ' -f1,2 "$S/host_key.pub")" >"$S/known_hosts"
  if [ "$(id -u)" = 0 ] && [ ! -d /run/sshd ]; then mkdir -m 755 /run/sshd; made_run_sshd=1; fi
  /usr/sbin/sshd -t -f "$S/sshd_config" 2>"$T/logs/sshd-t.log" || { cat "$T/logs/sshd-t.log" >&2; die "sshd refuses its config"; }
  /usr/sbin/sshd -D -e -f "$S/sshd_config" 2>"$T/logs/sshd.log" &
  sshd_pid=$!
  SSH_USER=$(id -un)
  SFTP=(sftp -q -F /dev/null -P "$SSH_PORT" -o BatchMode=yes -o IdentitiesOnly=yes -o "IdentityFile=$S/client_key"
        -o "UserKnownHostsFile=$S/known_hosts" -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes)
  printf 'put %s %s\n' "$BIG" "$S/dest/big.bin" >"$S/put.batch"
  printf 'get %s %s\n' "$S/dest/big.bin" "$S/back/big.bin" >"$S/get.batch"
  printf 'put %s %s\nget %s %s\n' "$WARM" "$S/dest/warm.bin" "$S/dest/warm.bin" "$S/back/warm.bin" >"$S/warm.batch"
  for _ in $(seq 1 50); do
    kill -0 "$sshd_pid" 2>/dev/null || { cat "$T/logs/sshd.log" >&2; die "sshd exited"; }
    "${SFTP[@]}" -b "$S/warm.batch" "$SSH_USER@127.0.0.1" >"$T/logs/sftp-warm.log" 2>&1 && break
    sleep 0.2
  done
  same "$WARM" "$S/back/warm.bin" "sftp warm-up"
  rm -f "$S/dest/warm.bin" "$S/back/warm.bin"
  say "sshd on 127.0.0.1:$SSH_PORT (pid $sshd_pid)"
  start_relay 0
  register_both
fi

# ---------------------------------------------------------------- warm-up (untimed, small file)
say "warm-up round trips of $WARM_MIB MiB (untimed): sealpost, openssl, gpg, age$([ "$RELAY" = 1 ] && echo ', relay, sftp')"
sp_seal "$WARM" "$W/warm.p7m" >"$T/logs/warm.log" 2>&1 && sp_open "$W/warm.p7m" "$W/warm-out" >>"$T/logs/warm.log" 2>&1 \
  || { cat "$T/logs/warm.log" >&2; die "sealpost warm-up failed"; }
same "$WARM" "$(only_file "$W/warm-out")" "sealpost warm-up"
"$T/bin/ossl-seal" "$WARM" "$W/warm.der" >>"$T/logs/warm.log" 2>&1 && "$T/bin/ossl-open" "$W/warm.der" "$W/warm.ossl" >>"$T/logs/warm.log" 2>&1 \
  || { cat "$T/logs/warm.log" >&2; die "openssl warm-up failed"; }
same "$WARM" "$W/warm.ossl" "openssl warm-up"
"${GPG_ENC[@]}" "$W/warm.gpg" "$WARM" >>"$T/logs/warm.log" 2>&1 && "${GPG_DEC[@]}" "$W/warm.gout" "$W/warm.gpg" >>"$T/logs/warm.log" 2>&1 \
  || { cat "$T/logs/warm.log" >&2; die "gpg warm-up failed"; }
gpg_check; same "$WARM" "$W/warm.gout" "gpg warm-up"
"${AGE_ENC[@]}" "$W/warm.age" "$WARM" >>"$T/logs/warm.log" 2>&1 && "${AGE_DEC[@]}" "$W/warm.aout" "$W/warm.age" >>"$T/logs/warm.log" 2>&1 \
  || { cat "$T/logs/warm.log" >&2; die "age warm-up failed"; }
same "$WARM" "$W/warm.aout" "age warm-up"
rm -rf "$W"/warm.p7m "$W"/warm-out "$W"/warm.der "$W"/warm.ossl "$W"/warm.gpg "$W"/warm.gout "$W"/warm.age "$W"/warm.aout
pgrep -f -- "--homedir $T/gnupg-" >"$T/extra.pids" 2>/dev/null || true   # our gpg-agents, for the CPU accounting
if [ "$RELAY" = 1 ]; then
  warm_relay
  relay_sample; RELAY_HWM_WARM=$RELAY_HWM_MAX
fi

# ---------------------------------------------------------------- timed runs
busy_check "start"
cpu_mark
say "timed: $RUNS runs of every step on $SIZE_MIB MiB, interleaved run by run"
for i in $(seq 1 "$RUNS"); do
  busy_check "run $i"
  "$SP" --version >/dev/null 2>&1 || true   # a rebuild, if the sources changed, happens here and not in a timed step
  CLEAN="$W/sp.p7m" measure seal "${SP_SEAL[@]}" "$BIG" -o "$W/sp.p7m"
  CLEAN="$W/sp-out" measure open "${SP_OPEN[@]}" "$W/sp.p7m" --out "$W/sp-out"
  same "$BIG" "$(only_file "$W/sp-out")" "sealpost seal/open"
  SP_SEALED_BYTES=$(stat -c %s "$W/sp.p7m"); rm -rf "$W/sp.p7m" "$W/sp-out"
  say "  run $i: sealpost seal $(last_s seal) s ($(last_rss seal) MiB), open $(last_s open) s ($(last_rss open) MiB)"

  CLEAN="$W/o.der" measure ossl-seal "$T/bin/ossl-seal" "$BIG" "$W/o.der"
  CLEAN="$W/o.out" measure ossl-open "$T/bin/ossl-open" "$W/o.der" "$W/o.out"
  same "$BIG" "$W/o.out" "openssl cms"
  OSSL_BYTES=$(stat -c %s "$W/o.der"); rm -f "$W/o.der" "$W/o.out"
  say "  run $i: openssl $(last_s ossl-seal) s + $(last_s ossl-open) s"

  CLEAN="$W/o.gpg" measure gpg-enc "${GPG_ENC[@]}" "$W/o.gpg" "$BIG"
  CLEAN="$W/g.out $W/gpg.status" measure gpg-dec "${GPG_DEC[@]}" "$W/g.out" "$W/o.gpg"
  gpg_check; same "$BIG" "$W/g.out" "gpg"
  GPG_BYTES=$(stat -c %s "$W/o.gpg"); rm -f "$W/o.gpg" "$W/g.out"
  say "  run $i: gpg $(last_s gpg-enc) s + $(last_s gpg-dec) s"

  CLEAN="$W/o.age" measure age-enc "${AGE_ENC[@]}" "$W/o.age" "$BIG"
  CLEAN="$W/a.out" measure age-dec "${AGE_DEC[@]}" "$W/a.out" "$W/o.age"
  same "$BIG" "$W/a.out" "age"
  AGE_BYTES=$(stat -c %s "$W/o.age"); rm -f "$W/o.age" "$W/a.out"
  say "  run $i: age $(last_s age-enc) s + $(last_s age-dec) s"

  if [ "$RELAY" = 1 ]; then
    relay_pair "$BIG"
    say "  run $i: sealpost send $(last_s send) s ($(last_rss send) MiB), receive $(last_s receive) s ($(last_rss receive) MiB)"
    CLEAN="$S/dest/big.bin" measure sftp-put "${SFTP[@]}" -b "$S/put.batch" "$SSH_USER@127.0.0.1"
    CLEAN="$S/back/big.bin" measure sftp-get "${SFTP[@]}" -b "$S/get.batch" "$SSH_USER@127.0.0.1"
    same "$BIG" "$S/back/big.bin" "sftp put/get"
    rm -f "$S/dest/big.bin" "$S/back/big.bin"
    say "  run $i: sftp put $(last_s sftp-put) s, get $(last_s sftp-get) s"
  fi
  say "  run $i done: others used $(cpu_foreign | cut -d' ' -f1) s CPU so far"
done
FOREIGN=$(cpu_foreign)
busy_check "end"
if [ "$RELAY" = 1 ]; then
  relay_sample; RELAY_HWM=$RELAY_HWM_MAX
  SEND_LINE=$(grep -E '^sent ' "$T/logs/send.log" | tail -n 1 || true)
  RELAY_LEFT=$(du -sk "$T/relay" | awk '{printf "%.1f", $1/1024}')
  stop_relay
fi
ELAPSED=$(awk -v a="$script_start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.0f", b-a}')

# ---------------------------------------------------------------- report
row() { # row OPERATION TOOL LABEL
  local m; m=$(med "$3")
  printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$1" "$2" "$m" "$(mbps "$m")" "$(med_cpu "$3")" "$(maxrss_mib "$3")" "$(runs_list "$3")"
}
{
  echo "### Streaming one $SIZE_MIB MiB file ($BYTES bytes)"
  echo
  echo "Every figure is a fresh process as a user runs it (sealpost: \`./sealpost\` wrapper and JVM start"
  echo "included), median of $RUNS runs after one untimed $WARM_MIB MiB warm-up round trip per tool;"
  echo "steps interleaved run by run. Seconds: \`/usr/bin/time -f %e\`; **MB/s = 10^6 bytes of input per"
  echo "median second**; CPU: user + system seconds (\`%U\` + \`%S\`) of the process and the children it"
  echo "waited for (not gpg-agent, not the relay, not sshd); max RSS: \`/usr/bin/time -f %M\`, the highest"
  echo "of the $RUNS runs (for a pipe of two openssl processes, the larger one). Every output was compared"
  echo "with the input (\`cmp\`): identical."
  echo
  echo "| operation | tool | seconds (median) | MB/s | CPU s (median) | max RSS MiB | runs s |"
  echo "| --- | --- | ---: | ---: | ---: | ---: | --- |"
  row "sign + encrypt to a file" "\`sealpost seal --to bob-enc-cert.pem --file BIG -o OUT\`" seal
  row "sign + encrypt to a file" "\`openssl cms -sign -stream \\| openssl cms -encrypt -stream -aes-256-gcm\`" ossl-seal
  row "sign + encrypt to a file" "\`gpg --sign --encrypt -z0\`" gpg-enc
  row "encrypt only (no signature)" "\`age -e -r RECIPIENT -r RECIPIENT\`" age-enc
  row "decrypt + verify to a file" "\`sealpost open OUT --from alice-sig-cert.pem --out DIR\`" open
  row "decrypt + verify to a file" "\`openssl cms -decrypt \\| openssl cms -verify\`" ossl-open
  row "decrypt + verify to a file" "\`gpg --decrypt\` (signature checked in --status-file)" gpg-dec
  row "decrypt only" "\`age -d -i KEY\`" age-dec
  if [ "$RELAY" = 1 ]; then
    row "upload over loopback" "\`sealpost send --to bob --file BIG\` (TLS to the relay)" send
    row "upload over loopback" "\`sftp\` put (SSH to sshd)" sftp-put
    row "download over loopback" "\`sealpost receive --out DIR\`" receive
    row "download over loopback" "\`sftp\` get" sftp-get
  fi
  echo
  if [ "$RELAY" = 1 ]; then
    echo "Relay (\`sealpost relay\`, one JVM for the whole run): peak RSS (VmHWM) $RELAY_HWM_WARM MiB after start,"
    echo "registrations and the warm-up message; **$RELAY_HWM MiB after all $RUNS sends and receives**."
    relay_deaths_note
    echo "Left in the relay's data folder at the end: $RELAY_LEFT MiB. sshd's side (its session and"
    echo "sftp-server processes) is not measured."
    echo
  fi
  echo "Output sizes: sealpost $SP_SEALED_BYTES bytes (a sealpost bundle: the S/MIME message plus the streamed"
  echo "file), openssl $OSSL_BYTES, gpg $GPG_BYTES, age $AGE_BYTES.${SEND_LINE:+ Last send: $SEND_LINE.}"
  echo
  echo "How each tool ran (all to bob, plus the sender's own copy, as sealpost does):"
  echo
  echo "- sealpost: defaults ($SP_SUITE identities; keys PBKDF2-protected, unlocked by every command)."
  echo "- openssl: RSA-3072 certificates from \`openssl req\`, unencrypted keys; SHA-256, PKCS#1 v1.5"
  echo "  signature (OpenSSL 3.0 \`cms -sign -stream\` fails with PSS), AES-256-GCM AuthEnvelopedData,"
  echo "  RSAES-OAEP/SHA-256; \`-stream\` on the sealing side; \`-decrypt\` and \`-verify\` read the whole message into memory."
  echo "- gpg: \`--quick-generate-key ... default default never\` without passphrase ($GPG_ALGO), throwaway"
  echo "  GNUPGHOME per person, \`-z0\`, SHA-256; the secret-key work runs in gpg-agent, whose RSS is not counted."
  echo "- age: X25519 recipients (age has no signatures)."
  if [ "$RELAY" = 1 ]; then
    echo "- sftp: OpenSSH client and a private sshd on 127.0.0.1:$SSH_PORT, ed25519 host and user keys, default ciphers; each put/get a new connection."
  fi
  echo
  echo "Files in page cache: the input was written just before the runs and the machine has room to keep"
  echo "it cached (dropping the cache is not possible here); all inputs and outputs are under one folder"
  echo "on one filesystem. The relay fsyncs each blob; the other tools do not fsync."
  echo "Whole script: ${ELAPSED} s. CPU used by other processes during the timed runs: ${FOREIGN% *} s over ${FOREIGN#* } s."
  if [ -s "$T/busy.log" ]; then echo "**Other work during the run:** $(sort -u "$T/busy.log" | paste -sd ';' | sed 's/;/; /g') — treat the figures as noisy."; fi
  echo
  machine_facts
} >"$T/results.md"

echo
cat "$T/results.md"
say "done in ${ELAPSED} s"
