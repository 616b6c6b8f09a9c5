#!/usr/bin/env bash
# vipcastctl elect over tests/data/elect: winners and candidate order match
# MetalLB's sha256(node#ip) rule, every excluded node carries its reason,
# --members and --json work, and bad usage fails with exit code 2.
# Usage: elect_test.sh VIPCASTCTL   (run from the repository root)
set -uo pipefail
ctl="$1"
data=tests/data/elect
failures=0

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# expect_line OUTPUT TEXT: OUTPUT has a line equal to TEXT (leading spaces ignored).
expect_line() {
  if ! sed 's/^ *//' <<<"$1" | grep -qxF -- "$2"; then
    fail "missing line: $2"
  fi
}

# The block of the text report for one service, up to the next blank line.
block() {
  awk -v svc="$2" 'index($0, svc "  ") == 1 {on = 1} on && /^$/ {exit} on {print}' <<<"$1"
}

# --- default membership: every Node in the manifests
out=$("$ctl" elect "$data") || fail "elect exited $?"
expect_line "$out" "live members: node-a node-b node-c node-d node-e node-f"

web=$(block "$out" default/web)
expect_line "$web" "default/web  192.168.1.240  (status, pool first-pool)"
expect_line "$web" "announced by node-a"
expect_line "$web" "1. node-a  <- announces"
expect_line "$web" "2. node-c  <- next in line"
expect_line "$web" "3. node-b"
expect_line "$web" "node-d: condition NetworkUnavailable=True"
expect_line "$web" "node-e: label node.kubernetes.io/exclude-from-external-load-balancers"
expect_line "$web" "node-f: not selected by any L2Advertisement for pool first-pool"

v6=$(block "$out" default/web-v6)
expect_line "$v6" "1. node-b  <- announces"
expect_line "$v6" "2. node-a  <- next in line"
expect_line "$v6" "3. node-c"

local_app=$(block "$out" default/local-app)
expect_line "$local_app" "announced by node-b"
expect_line "$local_app" "node-a: no ready endpoint (externalTrafficPolicy Local)"
expect_line "$local_app" "node-c: no ready endpoint (externalTrafficPolicy Local)"

no_backend=$(block "$out" default/no-backend)
expect_line "$no_backend" "not announced: no ready endpoint on any node"
expect_line "$no_backend" "node-a: no ready endpoint on any node"

fresh=$(block "$out" default/fresh)
expect_line "$fresh" "default/fresh  192.168.1.243  (allocated, pool first-pool)"
expect_line "$fresh" "announced by node-a"

expect_line "$out" "default/wants-v4-only: requested IP 10.9.9.9 is not in any IPAddressPool"

# --- explicit members: node-a is down, a member without a Node object joins
out=$("$ctl" elect "$data" --members node-b,node-c,ghost) || fail "elect --members exited $?"
web=$(block "$out" default/web)
expect_line "$web" "announced by node-c"
expect_line "$web" "2. node-b  <- next in line"
expect_line "$web" "ghost: no Node object"
expect_line "$web" "node-a: not a live member"
out=$("$ctl" elect "$data" --members=) || fail "elect --members= exited $?"
expect_line "$(block "$out" default/web)" "not announced: no eligible node is a live member"

# --- JSON
json=$("$ctl" elect "$data" --json) || fail "elect --json exited $?"
if command -v python3 >/dev/null; then
  python3 - "$json" <<'PY' || fail "JSON content"
import json, sys
doc = json.loads(sys.argv[1])
svc = {s["service"]: s for s in doc["services"]}
web = svc["default/web"]
assert web["winner"] == "node-a", web
assert web["next_in_line"] == "node-c", web
assert [c["node"] for c in web["candidates"]] == ["node-a", "node-c", "node-b"], web
assert {e["node"]: e["reason"] for e in web["excluded"]} == {
    "node-d": "network-unavailable", "node-e": "exclude-label",
    "node-f": "not-selected-by-advertisement"}, web
assert svc["default/no-backend"]["status"] == "no-serving-endpoint"
assert svc["default/no-backend"]["winner"] is None
assert svc["default/fresh"]["ip_source"] == "allocated"
assert doc["unassigned"][0]["service"] == "default/wants-v4-only"
PY
else
  grep -q '"winner": "node-a"' <<<"$json" || fail "JSON winner"
fi

# --- usage errors exit 2, invalid manifests exit 1
"$ctl" elect >/dev/null 2>&1
[ $? -eq 2 ] || fail "no path should exit 2"
"$ctl" elect "$data" --bogus >/dev/null 2>&1
[ $? -eq 2 ] || fail "unknown flag should exit 2"
"$ctl" elect "$data" --members Bad_Name >/dev/null 2>&1
[ $? -eq 2 ] || fail "invalid member name should exit 2"
"$ctl" elect "$data/does-not-exist.yaml" >/dev/null 2>&1
[ $? -eq 2 ] || fail "missing file should exit 2"
bad=$(mktemp -d)
trap 'rm -rf "$bad"' EXIT
printf 'apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata: {name: x, namespace: metallb-system}\nspec: {addresses: [not-an-ip]}\n' >"$bad/pool.yaml"
"$ctl" elect "$bad" >/dev/null 2>&1
[ $? -eq 1 ] || fail "invalid manifests should exit 1"

if [ "$failures" -ne 0 ]; then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "elect_test: all checks passed"
