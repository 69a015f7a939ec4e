#!/usr/bin/env bash
# A local sealpost relay cluster to try several nodes on one machine:
#   s3proxy (an S3-compatible store, objects as files) on 127.0.0.1:9000,
#   two relay nodes on 127.0.0.1:8444 and :8445 sharing one TLS identity, one PostgreSQL and one bucket,
#   nginx on 127.0.0.1:8443 in TCP passthrough (its stream module): TLS ends at the nodes, so clients
#   pin the nodes' one certificate.
#
# Usage: deploy/cluster.sh start | stop | status
# Settings (environment):
#   SEALPOST_CLUSTER_DIR   state and logs (default deploy/run)
#   SEALPOST_CLUSTER_DB    JDBC URL (default jdbc:postgresql://127.0.0.1:5432/test?currentSchema=sealpost_cluster;
#                          that schema is created with psql); SEALPOST_DB_USER (default postgres), SEALPOST_DB_PASSWORD
#   SEALPOST_CLUSTER_PORT  the balancer's port (default 8443); the nodes take the next two
# Needs: a JDK 25 (as ./sealpost), PostgreSQL, nginx with its stream module (apt-get install nginx
# libnginx-mod-stream; installed here when run as root), the Maven wrapper to fetch s3proxy once.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
run=${SEALPOST_CLUSTER_DIR:-$root/deploy/run}
port=${SEALPOST_CLUSTER_PORT:-8443}
s3port=9000
db=${SEALPOST_CLUSTER_DB:-jdbc:postgresql://127.0.0.1:5432/test?currentSchema=sealpost_cluster}
export SEALPOST_DB_USER=${SEALPOST_DB_USER:-postgres}
# s3proxy's credentials: requests must be signed with them (AWS Signature V4)
export AWS_ACCESS_KEY_ID=sealpost-cluster AWS_SECRET_ACCESS_KEY=sealpost-cluster-secret

die() { echo "cluster: $*" >&2; exit 1; }

stop() {
  for p in "$run"/*.pid; do
    [ -f "$p" ] || continue
    pid=$(cat "$p")
    kill "$pid" 2>/dev/null && for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    rm -f "$p"
  done
}

wait_for() { # file pattern seconds
  for _ in $(seq $(( $3 * 10 ))); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

start() {
  mkdir -p "$run"
  [ -z "$(ls "$run"/*.pid 2>/dev/null)" ] || die "running already (deploy/cluster.sh stop first)"
  . "$root/.mvn/jdk25.sh"
  jdk=$(sealpost_find_jdk25) || die "no JDK 25 found"
  java="$jdk/bin/java"

  nginx=$(command -v nginx || true)
  stream_module=/usr/lib/nginx/modules/ngx_stream_module.so
  if [ -z "$nginx" ] || [ ! -f "$stream_module" ]; then
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx libnginx-mod-stream >/dev/null
      nginx=$(command -v nginx)
    else
      die "needs nginx with its stream module: apt-get install nginx libnginx-mod-stream"
    fi
  fi

  # s3proxy: its jar with dependencies from Maven Central, once
  jar="$run/s3proxy.jar"
  if [ ! -f "$jar" ]; then
    version=$(sed -n 's:.*<s3proxy.version>\(.*\)</s3proxy.version>.*:\1:p' "$root/pom.xml")
    (cd "$root" && JAVA_HOME=$jdk ./mvnw -q -B dependency:copy -Dartifact="org.gaul:s3proxy:$version:jar:jar-with-dependencies" \
        -DoutputDirectory="$run" -Dmdep.stripVersion=true -Dmdep.stripClassifier=true) || die "cannot fetch s3proxy"
    mv "$run/s3proxy.jar" "$jar" 2>/dev/null || true
  fi
  mkdir -p "$run/s3/sealpost" # the bucket: a folder of s3proxy's filesystem backend
  cat > "$run/s3proxy.properties" <<PROPS
s3proxy.endpoint=http://127.0.0.1:$s3port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$AWS_ACCESS_KEY_ID
s3proxy.credential=$AWS_SECRET_ACCESS_KEY
jclouds.provider=filesystem-nio2
jclouds.filesystem.basedir=$run/s3
PROPS
  nohup "$java" -Xmx256m -jar "$jar" --properties "$run/s3proxy.properties" >"$run/s3proxy.log" 2>&1 &
  echo $! >"$run/s3proxy.pid"
  wait_for "$run/s3proxy.log" "Started.*127.0.0.1:$s3port" 60 || die "s3proxy did not start; see $run/s3proxy.log"

  if [ -z "${SEALPOST_CLUSTER_DB:-}" ]; then
    psql -q -h 127.0.0.1 -U "$SEALPOST_DB_USER" -d test -c 'CREATE SCHEMA IF NOT EXISTS sealpost_cluster' \
      || die "cannot reach PostgreSQL at 127.0.0.1:5432 (database test)"
  fi

  "$root/sealpost" --version >/dev/null # builds the program once, before two nodes would
  for n in 1 2; do
    nport=$((port + n))
    SEALPOST_HOME="$run/home" nohup "$root/sealpost" relay --port "$nport" --data "$run/node$n" --tls-dir "$run/tls" \
      --database "$db" --s3-endpoint "http://127.0.0.1:$s3port" --s3-bucket sealpost >"$run/node$n.log" 2>&1 &
    echo $! >"$run/node$n.pid"
    wait_for "$run/node$n.log" "relay listening" 120 || die "node $n did not start; see $run/node$n.log"
  done

  cat > "$run/nginx.conf" <<CONF
load_module $stream_module;
worker_processes 1;
pid $run/nginx.pid;
error_log $run/nginx-error.log warn;
daemon off;
events { worker_connections 4096; }
stream {
    upstream sealpost_relays {
        least_conn;
        server 127.0.0.1:$((port + 1)) max_fails=1 fail_timeout=5s;
        server 127.0.0.1:$((port + 2)) max_fails=1 fail_timeout=5s;
    }
    server {
        listen 127.0.0.1:$port;
        proxy_pass sealpost_relays;
        proxy_connect_timeout 2s;
        proxy_timeout 10m;   # event streams stay open; the relay sends keep-alives
    }
}
CONF
  nohup "$nginx" -c "$run/nginx.conf" -p "$run" >"$run/nginx.log" 2>&1 &
  for _ in $(seq 50); do [ -f "$run/nginx.pid" ] && break; sleep 0.1; done
  [ -f "$run/nginx.pid" ] || die "nginx did not start; see $run/nginx-error.log"

  fingerprint=$(sed -n 's/^TLS certificate //p' "$run/node1.log" | head -1)
  [ "$fingerprint" = "$(sed -n 's/^TLS certificate //p' "$run/node2.log" | head -1)" ] || die "the nodes' certificates differ"
  echo "relay listening on https://127.0.0.1:$port (nginx, TCP passthrough to 2 nodes on :$((port + 1)) and :$((port + 2)))"
  echo "TLS certificate $fingerprint"
  echo "metadata in $db; sealed messages and uploads in bucket sealpost at http://127.0.0.1:$s3port"
  echo "clients register with:"
  echo "  sealpost register --relay https://127.0.0.1:$port --relay-fingerprint $fingerprint"
  echo "logs in $run; stop with: deploy/cluster.sh stop"
}

status() {
  for p in "$run"/*.pid; do
    [ -f "$p" ] || { echo "not running"; return; }
    name=$(basename "$p" .pid)
    if kill -0 "$(cat "$p")" 2>/dev/null; then echo "$name: running (pid $(cat "$p"))"; else echo "$name: stopped"; fi
  done
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: deploy/cluster.sh start|stop|status" >&2; exit 2 ;;
esac
