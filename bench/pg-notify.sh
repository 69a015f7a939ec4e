#!/usr/bin/env bash
# bench/pg-notify.sh: what a PostgreSQL NOTIFY per message costs the relay (issue 14, push
# across nodes): message-like transactions per second with no notice, with pg_notify inside the
# message's transaction, and after it (synchronous or, as the relay does, synchronous_commit off).
# Prints a Markdown table (bench/PgNotifyBench.java).
#
# Usage:  bench/pg-notify.sh [JDBC-URL] [SECONDS]   (default jdbc:postgresql://127.0.0.1:5432/test, 3 s per cell)
# Needs: a JDK 25, PostgreSQL (user postgres, trust auth), pgjdbc in ~/.m2 (any build of the relay puts it there).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
URL=${1:-jdbc:postgresql://127.0.0.1:5432/test}
SECONDS_PER_CELL=${2:-3}
JAR=$(ls "$HOME"/.m2/repository/org/postgresql/postgresql/*/postgresql-*.jar | grep -v sources | sort -V | tail -1)
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
exec "$JAVA" -cp "$JAR" "$ROOT/bench/PgNotifyBench.java" "$URL" "$SECONDS_PER_CELL"
