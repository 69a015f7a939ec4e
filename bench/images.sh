#!/usr/bin/env bash
# bench/images.sh: sealpost's image compression against the standard tools, on a real corpus:
# the PNG and JPEG wallpapers of Debian's gnome-backgrounds and mate-backgrounds packages.
#
#   A. lossless PNG: sealpost `lossless` vs `optipng -o2` (on copies): total bytes, wall seconds;
#      every sealpost PNG output is decoded and compared with its input, sample by sample
#   B. lossless JPEG: sealpost `lossless` (the JPEG's own bytes, metadata removed) vs
#      `jpegtran -optimize -copy none`: total bytes
#   C. lossy JPEG: sealpost `jpeg:85` (ImageIO) vs `djpeg | cjpeg -quality 85` (libjpeg-turbo)
#   D. informational: `cwebp -q 85` on the JPEGs and `cwebp -lossless` on the PNGs
#
# sealpost runs in one JVM for all files of a row (as `sealpost compress *.png` will), through the
# test-scope entry point dev.sealpost.media.ImagesBench, with the classes of sealpost-media built
# here (./mvnw -o -pl sealpost-media test-compile); its seconds include JVM start. The tools run as
# one process for all files where they accept several (optipng), else one process per file.
#
# Usage:  bench/images.sh        (as root: installs optipng, libjpeg-turbo-progs, webp if missing;
#                                 about 3 minutes on 2 cores)
# Environment (optional):
#   RUNS=2         timed runs of the two PNG rows, the fastest reported (the machine is shared;
#                  the load average before the runs goes into the doc)
#   WRITE_DOC=1    replace the "## Images (issue 3)" section of docs/BENCHMARKS.md (0: only print)
#   JAVA_HOME      a JDK 25 (default /usr/lib/jvm/temurin-25-jdk-amd64)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WRITE_DOC=${WRITE_DOC:-1}
RUNS=${RUNS:-2}
DOC="$ROOT/docs/BENCHMARKS.md"
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA="$JAVA_HOME/bin/java"

T=$(mktemp -d "${TMPDIR:-/tmp}/sealpost-images.XXXXXX")
trap 'rm -rf "$T"' EXIT

need=()
command -v optipng >/dev/null || need+=(optipng)
command -v jpegtran >/dev/null && command -v cjpeg >/dev/null && command -v djpeg >/dev/null || need+=(libjpeg-turbo-progs)
command -v cwebp >/dev/null || need+=(webp)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]}" >&2
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi

echo "== corpus: gnome-backgrounds, mate-backgrounds" >&2
(cd "$T" && apt-get download gnome-backgrounds mate-backgrounds >/dev/null 2>&1)
mkdir -p "$T/x" "$T/png" "$T/jpg"
for deb in "$T"/*.deb; do dpkg -x "$deb" "$T/x"; done
find "$T/x" -type f -iname '*.png' -exec cp {} "$T/png/" \;
find "$T/x" -type f \( -iname '*.jpg' -o -iname '*.jpeg' \) -exec cp {} "$T/jpg/" \;
PNGS=("$T"/png/*)
JPGS=("$T"/jpg/*)
corpus_versions=$(for deb in "$T"/*.deb; do basename "$deb" .deb; done | paste -sd ' ')

echo "== building sealpost-media test classes" >&2
(cd "$ROOT" && ./mvnw -B -ntp -o -q -pl sealpost-media test-compile dependency:build-classpath \
  -Dmdep.outputFile="$T/cp.txt" -Dmdep.includeScope=test >&2)
CP="$ROOT/sealpost-media/target/classes:$ROOT/sealpost-media/target/test-classes:$(cat "$T/cp.txt")"

now() { date +%s.%N; }
secs() { python3 -c "print(f'{$2 - $1:.1f}')"; }
bytes() { stat -c %s "$@" | awk '{s += $1} END {print s + 0}'; }
sealpost() { # MODE OUT_DIR FILE...; prints total output bytes
  "$JAVA" -cp "$CP" dev.sealpost.media.ImagesBench prepare "$@" > "$T/last.txt"
  tail -1 "$T/last.txt" | awk '{print $4}'
}

png_in=$(bytes "${PNGS[@]}"); jpg_in=$(bytes "${JPGS[@]}")

echo "== A. PNG: optipng -o2 vs sealpost lossless (${#PNGS[@]} files)" >&2
load=$(cut -d' ' -f1-3 /proc/loadavg)
opt_s=""; sp_s=""
fastest() { python3 -c "import sys; print(min(float(x) for x in sys.argv[1:]))" $1 "$2"; }
for run in $(seq "$RUNS"); do
  rm -rf "$T/optipng"; mkdir -p "$T/optipng"; cp "${PNGS[@]}" "$T/optipng/"
  t0=$(now); optipng -quiet -o2 "$T"/optipng/*; t1=$(now)
  opt_s=$(fastest "$opt_s" "$(secs "$t0" "$t1")")
  t0=$(now); sp_bytes=$(sealpost lossless "$T/sp-png" "${PNGS[@]}"); t1=$(now)
  sp_s=$(fastest "$sp_s" "$(secs "$t0" "$t1")")
  echo "run $run: optipng $opt_s s, sealpost $sp_s s (fastest so far)" >&2
done
opt_bytes=$(bytes "$T"/optipng/*)
cat "$T/last.txt" >&2
verified=$("$JAVA" -cp "$CP" dev.sealpost.media.ImagesBench verify "$T/png" "$T/sp-png" | tail -1)
echo "$verified" >&2

echo "== B. JPEG lossless: jpegtran vs sealpost (${#JPGS[@]} files)" >&2
mkdir -p "$T/jpegtran"
t0=$(now)
for f in "${JPGS[@]}"; do jpegtran -optimize -copy none -outfile "$T/jpegtran/$(basename "$f")" "$f"; done
t1=$(now)
jt_bytes=$(bytes "$T"/jpegtran/*); jt_s=$(secs "$t0" "$t1")
t0=$(now); spj_bytes=$(sealpost lossless "$T/sp-jpg" "${JPGS[@]}"); t1=$(now)
spj_s=$(secs "$t0" "$t1")

echo "== C. JPEG quality 85: cjpeg vs sealpost jpeg:85" >&2
mkdir -p "$T/cjpeg"
t0=$(now)
for f in "${JPGS[@]}"; do djpeg -pnm "$f" | cjpeg -quality 85 -outfile "$T/cjpeg/$(basename "$f")"; done
t1=$(now)
cj_bytes=$(bytes "$T"/cjpeg/*); cj_s=$(secs "$t0" "$t1")
t0=$(now); sp85_bytes=$(sealpost jpeg:85 "$T/sp-85" "${JPGS[@]}"); t1=$(now)
sp85_s=$(secs "$t0" "$t1")

echo "== D. cwebp (informational)" >&2
mkdir -p "$T/webp-q85" "$T/webp-ll"
t0=$(now)
for f in "${JPGS[@]}"; do cwebp -quiet -q 85 "$f" -o "$T/webp-q85/$(basename "$f").webp"; done
t1=$(now)
w85_bytes=$(bytes "$T"/webp-q85/*); w85_s=$(secs "$t0" "$t1")
t0=$(now)
for f in "${PNGS[@]}"; do cwebp -quiet -lossless "$f" -o "$T/webp-ll/$(basename "$f").webp"; done
t1=$(now)
wll_bytes=$(bytes "$T"/webp-ll/*); wll_s=$(secs "$t0" "$t1")

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
jv=$("$JAVA" -version 2>&1 | head -1)
ov=$(optipng -v 2>/dev/null | head -1)
pct() { python3 -c "print(f'{100 * $1 / $2:.1f} %')"; }
ratio() { python3 -c "print(f'{$1 / $2:.1f}x')"; }

section=$(cat <<EOF
## Images (issue 3)

Run by \`bench/images.sh\` on $(date -u +%Y-%m-%d), $(nproc) cores ($cpu), $jv, $ov.
Corpus: every PNG (${#PNGS[@]}, $png_in bytes) and JPEG (${#JPGS[@]}, $jpg_in bytes) wallpaper of
\`$corpus_versions\`. sealpost runs in one JVM per row (JVM start included in its seconds),
through \`dev.sealpost.media.ImagesBench\` in sealpost-media's test classes; optipng as one process
for all files, the other tools once per file, one after another. PNG rows: fastest of $RUNS runs
(load average before them: $load; the machine is shared with other work).

| What | Tool | Output bytes | of input | Seconds |
|---|---|---:|---:|---:|
| PNG lossless | \`optipng -o2\` | $opt_bytes | $(pct "$opt_bytes" "$png_in") | $opt_s |
| PNG lossless | sealpost \`lossless\` | $sp_bytes | $(pct "$sp_bytes" "$png_in") | $sp_s |
| JPEG lossless | \`jpegtran -optimize -copy none\` | $jt_bytes | $(pct "$jt_bytes" "$jpg_in") | $jt_s |
| JPEG lossless | sealpost \`lossless\` (bytes kept, metadata removed) | $spj_bytes | $(pct "$spj_bytes" "$jpg_in") | $spj_s |
| JPEG q85 | \`djpeg \| cjpeg -quality 85\` | $cj_bytes | $(pct "$cj_bytes" "$jpg_in") | $cj_s |
| JPEG q85 | sealpost \`jpeg:85\` (ImageIO; keeps the input if not smaller) | $sp85_bytes | $(pct "$sp85_bytes" "$jpg_in") | $sp85_s |
| JPEG to WebP (info) | \`cwebp -q 85\` | $w85_bytes | $(pct "$w85_bytes" "$jpg_in") | $w85_s |
| PNG to WebP lossless (info) | \`cwebp -lossless\` | $wll_bytes | $(pct "$wll_bytes" "$png_in") | $wll_s |

PNG: sealpost is $(ratio "$opt_s" "$sp_s") as fast as \`optipng -o2\` and its output is
$(pct "$sp_bytes" "$opt_bytes") of optipng's (target: at most 100 %, at least 3x as fast).
Pixel check of every sealpost PNG output against its input (decoded with ImageIO, 16-bit RGBA
per pixel compared): $verified.

How sealpost gets there (\`PngOptimizer\`): lossless reductions (RGBA to RGB, grey, palette with
tRNS, 16 to 8 bits, 1/2/4-bit grey and palette), then 6 filter choices x 3 deflate strategies
ranked on 8 stripes of rows (128 KiB) at level 6 in parallel, and only the best compressed whole
at level 9, the image split in two row ranges deflated at once on both cores (pigz-style, with
the previous 32 KiB as dictionary). optipng wins a few files with zlib's run-length strategy
(\`zs=3\`), which java.util.zip does not offer.
EOF
)

echo "$section"
if [ "$WRITE_DOC" = 1 ]; then
  mkdir -p "$(dirname "$DOC")"
  SECTION="$section" python3 - "$DOC" <<'PY'
import os, re, sys
path, section = sys.argv[1], os.environ["SECTION"].rstrip() + "\n"
text = open(path).read() if os.path.exists(path) else ""
m = re.search(r"^## Images \(issue 3\)\n.*?(?=^## |\Z)", text, flags=re.S | re.M)
if m:
    text = text[:m.start()] + section + ("\n" if text[m.end():] else "") + text[m.end():]
else:
    text = (text.rstrip() + "\n\n" if text.strip() else "") + section
open(path + ".tmp", "w").write(text)
os.replace(path + ".tmp", path)
PY
  echo "updated $DOC" >&2
fi
