# Finds a JDK 25 for ./sealpost and ./mvnw, so both commands of the README work on a machine
# whose default java is older: JAVA_HOME if it is a JDK 25 or newer, else java on PATH, else
# the usual JDK folders (/usr/lib/jvm, ...). POSIX sh; sourced, defines one function.
#
#   sealpost_find_jdk25   prints the JDK's folder and returns 0, or returns 1 when none is found
sealpost_find_jdk25() (
  set +f # the callers may disable globbing (mvnw runs with set -f)
  feature() { # the feature release of the JDK in folder $1, or nothing
    # Every JDK has a 'release' file (JAVA_VERSION="25.0.3"); reading it costs nothing, starting a JVM ~0.1 s.
    if [ -f "$1/release" ]; then
      sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" | head -n 1
    else
      "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
    fi
  }
  on_path=""
  if command -v java >/dev/null 2>&1; then
    on_path=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
  fi
  for c in "${JAVA_HOME:-}" "$on_path" /usr/lib/jvm/* /usr/local/lib/jvm/* /opt/java/* /opt/jdk* \
           "${HOME:-/nonexistent}"/.sdkman/candidates/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -n "$c" ] && [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    v=$(feature "$c")
    if [ -n "$v" ] && [ "$v" -ge 25 ] 2>/dev/null; then
      echo "$c"
      return 0
    fi
  done
  return 1
)
