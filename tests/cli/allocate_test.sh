#!/usr/bin/env bash
# vipcastctl allocate: text and JSON output on examples/l2-basic, the
# --lb-class filter, and the exit codes. $1 is the vipcastctl binary; runs
# from the repository root.
set -euo pipefail
ctl="$1"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

expect_eq() {  # expected actual what
  if [[ "$1" != "$2" ]]; then
    printf 'FAIL: %s\n--- expected\n%s\n--- actual\n%s\n' "$3" "$1" "$2" >&2
    exit 1
  fi
}

# Text: one line per service, sorted; then the pool counters.
out="$("$ctl" allocate examples/l2-basic)"
expect_eq 'default/dns-tcp  192.168.1.240  pool=first-pool
default/dns-udp  192.168.1.240  pool=first-pool
default/legacy  pending: requested IP 192.168.1.100 is not in any IPAddressPool

pool first-pool: 1/11 addresses in use (IPv4 1/11, IPv6 0/0), 2 services' "$out" "text output"

# The same from the files given one by one, in another order.
out2="$("$ctl" allocate examples/l2-basic/services.yaml examples/l2-basic/pool.yaml)"
expect_eq "$out" "$out2" "file order must not matter"

# JSON: one array, valid for any parser.
"$ctl" allocate --json examples/l2-basic > "$tmp/out.json"
python3 - "$tmp/out.json" <<'PY'
import json, sys
services = json.load(open(sys.argv[1]))
assert [s["service"] for s in services] == ["default/dns-tcp", "default/dns-udp", "default/legacy"], services
assert services[0] == {"service": "default/dns-tcp", "ips": ["192.168.1.240"], "pool": "first-pool",
                       "pending_reason": None}, services[0]
assert services[2]["ips"] == [] and services[2]["pool"] is None, services[2]
assert "192.168.1.100" in services[2]["pending_reason"], services[2]
PY

# --lb-class: services without that class are someone else's.
out="$("$ctl" allocate --lb-class example.com/other examples/l2-basic)"
expect_eq 'pool first-pool: 0/11 addresses in use (IPv4 0/11, IPv6 0/0), 0 services' "$out" "--lb-class"
out="$("$ctl" allocate --lb-class=example.com/other --json examples/l2-basic)"
expect_eq '[]' "$out" "--lb-class=NAME with --json"

# A status IP is kept, as on a controller restart; requested IPs come first.
cat > "$tmp/restart.yaml" <<'YAML'
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: p, namespace: metallb-system}
spec: {addresses: [10.0.0.0/30]}
---
apiVersion: v1
kind: Service
metadata: {name: a-new, namespace: default}
spec:
  type: LoadBalancer
  ports: [{port: 80, protocol: TCP}]
---
apiVersion: v1
kind: Service
metadata: {name: b-old, namespace: default}
spec:
  type: LoadBalancer
  ports: [{port: 80, protocol: TCP}]
status:
  loadBalancer:
    ingress: [{ip: 10.0.0.2}]
---
apiVersion: v1
kind: Service
metadata:
  name: c-wants
  namespace: default
  annotations: {metallb.io/loadBalancerIPs: 10.0.0.0}
spec:
  type: LoadBalancer
  ports: [{port: 80, protocol: TCP}]
YAML
out="$("$ctl" allocate "$tmp/restart.yaml")"
expect_eq 'default/a-new  10.0.0.1  pool=p
default/b-old  10.0.0.2  pool=p
default/c-wants  10.0.0.0  pool=p

pool p: 3/4 addresses in use (IPv4 3/4, IPv6 0/0), 3 services' "$out" "restart and request order"

# Invalid manifests: diagnostics on stderr, exit 1, nothing on stdout.
cat > "$tmp/bad.yaml" <<'YAML'
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: bad, namespace: metallb-system}
spec: {addresses: [10.0.0.300/24]}
YAML
set +e
"$ctl" allocate "$tmp/bad.yaml" > "$tmp/stdout" 2> "$tmp/stderr"
rc=$?
set -e
[[ $rc -eq 1 ]] || fail "invalid config: exit $rc, want 1"
[[ ! -s "$tmp/stdout" ]] || fail "invalid config printed to stdout"
grep -q "bad.yaml" "$tmp/stderr" || fail "diagnostics do not name the file: $(cat "$tmp/stderr")"

# Usage errors and unreadable input: exit 2.
set +e
"$ctl" allocate > /dev/null 2>&1; rc_none=$?
"$ctl" allocate --frobnicate examples/l2-basic > /dev/null 2>&1; rc_flag=$?
"$ctl" allocate --lb-class > /dev/null 2>&1; rc_class=$?
"$ctl" allocate "$tmp/missing.yaml" > /dev/null 2>&1; rc_missing=$?
set -e
[[ $rc_none -eq 2 && $rc_flag -eq 2 && $rc_class -eq 2 && $rc_missing -eq 2 ]] ||
  fail "usage exit codes: none=$rc_none flag=$rc_flag class=$rc_class missing=$rc_missing"

echo "allocate_test: OK"
