#!/usr/bin/env bash
# bench/metrics-cost.sh: CPU time RelayMetrics.request adds per request (bench/MetricsCost.java).
# Usage: bench/metrics-cost.sh [CALLS]   (builds sealpost-relay's classes offline if needed; about a minute)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$ROOT/.mvn/jdk25.sh"
JAVA_HOME=$(sealpost_find_jdk25)
export JAVA_HOME
cd "$ROOT"
./mvnw -o -q -B -pl sealpost-relay -am compile
cp=$(./mvnw -o -q -B -pl sealpost-relay dependency:build-classpath -Dmdep.outputFile=/dev/stdout)
T=$(mktemp -d "${TMPDIR:-/tmp}/sealpost-metrics-cost.XXXXXX")
trap 'rm -rf "$T"' EXIT
"$JAVA_HOME/bin/javac" -d "$T" -cp "sealpost-relay/target/classes:$cp" bench/MetricsCost.java
"$JAVA_HOME/bin/java" -Xmx256m -cp "$T:sealpost-relay/target/classes:$cp" dev.sealpost.relay.MetricsCost "$@"
