#!/usr/bin/env bash
# bench/testssl.sh: issue 13's TLS check. Starts a relay on a free port with its defaults (a
# pinned self-signed certificate), runs Debian's testssl.sh against it (about a minute) and
# prints every finding rated LOW or worse. Expected: only what a pinned self-signed certificate
# implies (chain of trust, revocation information, validity period); see docs/DECISIONS.md.
#
# With --org-ca the relay serves a certificate from an organisation CA instead (sealpost ca init,
# ca sign-server with a CRL URL, copied into DATA/tls), and testssl is given the CA: then those
# three are absent too.
#
# Usage:  bash bench/testssl.sh [--org-ca]   (needs the testssl.sh package: apt-get install testssl.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v testssl >/dev/null || { echo "bench/testssl.sh: needs testssl (apt-get install testssl.sh)" >&2; exit 1; }
T=$(mktemp -d "${TMPDIR:-/tmp}/sealpost-testssl.XXXXXX")
relay_pid=""
cleanup() { [ -n "$relay_pid" ] && kill "$relay_pid" 2>/dev/null || true; rm -rf "$T"; }
trap cleanup EXIT
extra=()
if [ "${1:-}" = --org-ca ]; then
  export SEALPOST_CA_PASSPHRASE="bench ca passphrase"
  SEALPOST_HOME="$T/home" ./sealpost ca init --name "Bench Org CA" --dir "$T/ca" -q
  SEALPOST_HOME="$T/home" ./sealpost ca sign-server --dir "$T/ca" --name localhost --ip 127.0.0.1 \
    --crl-url http://127.0.0.1:9/ca.crl --out "$T/relay-tls" -q
  mkdir -p "$T/relay/tls" && chmod 700 "$T/relay" "$T/relay/tls"
  cp "$T/relay-tls/cert.pem" "$T/relay-tls/key.pem" "$T/relay/tls/"
  extra=(--add-ca "$T/ca/ca-cert.pem")
fi
SEALPOST_HOME="$T/home" ./sealpost relay --port 0 --data "$T/relay" >"$T/relay.out" 2>&1 &
relay_pid=$!
url=""
for _ in $(seq 1 300); do
  url=$(awk '/^relay listening on /{print $4}' "$T/relay.out")
  [ -n "$url" ] && break
  sleep 0.5
done
[ -n "$url" ] || { cat "$T/relay.out"; exit 1; }
testssl --quiet --color 0 --warnings off "${extra[@]}" --jsonfile "$T/testssl.json" "${url#https://}" >"$T/testssl.txt" 2>&1 || true
grep -E "^ (SSLv|TLS 1|Strong encryption|PFS is offered|Negotiated protocol|Chain of trust|Certificate Validity|Certificate Revocation)" "$T/testssl.txt" || true
python3 - "$T/testssl.json" <<'PY'
import json, sys
findings = [f for f in json.load(open(sys.argv[1])) if f.get("severity") in ("LOW", "MEDIUM", "HIGH", "CRITICAL")]
print("findings LOW or worse:")
for f in findings:
    print(f"  {f['severity']:8} {f['id']}: {f['finding']}")
PY
