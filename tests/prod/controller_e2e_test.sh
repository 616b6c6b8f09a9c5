#!/bin/bash
# vipcast-controller in the loop: it allocates, the speakers announce what
# its status file says, and a pool change it makes reaches the client.
#
# usage: controller_e2e_test.sh SPEAKER_BINARY CONTROLLER_BINARY MANIFEST_DIR (tests/prod/l2/manifests)
#
# Topology (created here, removed on exit, names unique per run): bridge in
# $P-sw; $P-n1, $P-n2 (10.10.0.11-12, one vipcast-speaker each, --status);
# $P-ctl (the controller, no network needed: it runs in its own namespace
# as it would in its own pod); $P-cli (10.10.0.100). Checks:
#  1. the controller writes web = 10.10.0.240 (pool 10.10.0.240-10.10.0.241)
#     and the client's arping for .240 is answered by one node;
#  2. the pool becomes 10.10.0.241-10.10.0.242 (saved by rename): the
#     controller moves web to .241 and rewrites the status file, the
#     speakers (inotify) withdraw .240 and announce .241: the client's arping
#     for .241 is answered and .240 no longer is;
#  3. the controller's /metrics shows the pool in use.
# Exit: 0 pass, 1 fail, 77 skipped (not root, no `ip netns`, no arping/curl).
set -u
SPEAKER=${1:?speaker binary}
CONTROLLER=${2:?controller binary}
MANIFESTS=${3:?manifest dir}
P="vo$$"
NODES="n1 n2"
declare -A IP=([n1]=10.10.0.11 [n2]=10.10.0.12 [cli]=10.10.0.100)
declare -A PID=()
skip() {
  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
  echo "!!! SKIPPED controller_e2e_test: $*"
  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
  exit 77
}
[ "$(id -u)" = 0 ] || skip "needs root (network namespaces)"
command -v ip >/dev/null && ip netns list >/dev/null 2>&1 || skip "ip netns is unavailable"
command -v arping >/dev/null || skip "arping is missing"
command -v curl >/dev/null || skip "curl is missing"
[ -x "$SPEAKER" ] && [ -x "$CONTROLLER" ] || { echo "FAIL: binaries not executable"; exit 1; }

TMP=$(mktemp -d /tmp/vipcast-ctl-e2e.XXXXXX)
CREATED=()
cleanup() {
  for n in "${!PID[@]}"; do kill -9 "${PID[$n]}" 2>/dev/null; done
  for ns in "${CREATED[@]}"; do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
  done
  wait 2>/dev/null
  for ns in "${CREATED[@]}"; do ip netns del "$ns" 2>/dev/null; done
  if [ "${KEEP_LOGS:-0}" = 1 ]; then echo "logs kept in $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP PIPE
fail() {
  echo "FAIL: $*"
  echo "---- status file"; cat "$TMP/status/status.yaml" 2>/dev/null
  echo "---- controller log (last 8 lines)"; tail -n 8 "$TMP/controller.log"
  for n in $NODES; do echo "---- speaker $n log (last 6 lines)"; tail -n 6 "$TMP/$n.log"; done
  exit 1
}
addns() { ip netns add "$1" && CREATED+=("$1"); }
now_ms() { echo $(($(date +%s%N) / 1000000)); }

addns "$P-sw" || fail "cannot create namespace $P-sw"
ip -n "$P-sw" link add br0 type bridge
ip -n "$P-sw" link set br0 type bridge stp_state 0 forward_delay 0
ip -n "$P-sw" link set br0 up
for h in n1 n2 cli; do
  addns "$P-$h" || fail "cannot create namespace $P-$h"
  ip -n "$P-sw" link add "v-$h" type veth peer name eth0 netns "$P-$h"
  ip -n "$P-sw" link set "v-$h" master br0 up
  ip -n "$P-$h" link set lo up
  ip -n "$P-$h" addr add "${IP[$h]}/24" dev eth0
  ip -n "$P-$h" link set eth0 up
done
addns "$P-ctl" || fail "cannot create namespace $P-ctl"
ip -n "$P-ctl" link set lo up

mkdir "$TMP/manifests" "$TMP/status"
cp "$MANIFESTS/web.yaml" "$TMP/manifests/"
# Two nodes only.
cat >"$TMP/manifests/nodes.yaml" <<'YAML'
apiVersion: v1
kind: Node
metadata: {name: n1}
status: {addresses: [{type: InternalIP, address: 10.10.0.11}]}
---
apiVersion: v1
kind: Node
metadata: {name: n2}
status: {addresses: [{type: InternalIP, address: 10.10.0.12}]}
YAML
pool() {  # FIRST LAST: the pool manifest, saved by rename
  cat >"$TMP/pool.yaml.new" <<YAML
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: lan, namespace: metallb-system}
spec: {addresses: [$1-$2]}
---
apiVersion: metallb.io/v1beta1
kind: L2Advertisement
metadata: {name: lan, namespace: metallb-system}
YAML
  mv "$TMP/pool.yaml.new" "$TMP/manifests/pool.yaml"
}
pool 10.10.0.240 10.10.0.241
head -c 32 /dev/urandom | base64 >"$TMP/secret"

ip netns exec "$P-ctl" "$CONTROLLER" --manifests "$TMP/manifests" --status "$TMP/status/status.yaml" \
  --metrics-address 127.0.0.1:7472 2>"$TMP/controller.log" &
PID[ctl]=$!
for _ in $(seq 1 50); do [ -s "$TMP/status/status.yaml" ] && break; sleep 0.1; done
grep -q '10.10.0.240' "$TMP/status/status.yaml" 2>/dev/null ||
  fail "the controller did not write web = 10.10.0.240"
for n in $NODES; do
  ip netns exec "$P-$n" "$SPEAKER" --node "$n" --manifests "$TMP/manifests" \
    --status "$TMP/status/status.yaml" --secret-file "$TMP/secret" --interface eth0 \
    --members "${IP[n1]},${IP[n2]}" --metrics-address none 2>"$TMP/$n.log" &
  PID[$n]=$!
done
answered() {  # VIP -> the MAC that answers the client's arping, or nothing
  ip netns exec "$P-cli" arping -c 1 -w 1 -i eth0 "$1" 2>/dev/null |
    grep -o 'from [0-9a-f:]*' | head -n 1 | awk '{print $2}'
}
wait_answered() {  # VIP tries
  for _ in $(seq 1 "$2"); do [ -n "$(answered "$1")" ] && return 0; done
  return 1
}

# 1. The controller's address is announced.
wait_answered 10.10.0.240 30 || fail "nobody answers ARP for 10.10.0.240"
echo "RESULT start: controller wrote web = 10.10.0.240, answered by $(answered 10.10.0.240)"

# 2. Pool change: web must move to .241.
t0=$(now_ms)
pool 10.10.0.241 10.10.0.242
for _ in $(seq 1 50); do grep -q '10.10.0.241' "$TMP/status/status.yaml" && break; sleep 0.1; done
grep -q '10.10.0.241' "$TMP/status/status.yaml" || fail "the controller did not move web to .241"
t_status=$(now_ms)
wait_answered 10.10.0.241 30 || fail "nobody answers ARP for 10.10.0.241 after the move"
t_answer=$(now_ms)
gone=""
for _ in $(seq 1 10); do [ -z "$(answered 10.10.0.240)" ] && { gone=1; break; }; done
[ -n "$gone" ] || fail "10.10.0.240 is still answered after the move"
echo "RESULT pool change: status file rewritten $((t_status - t0)) ms after the manifest" \
  "was saved; .241 answered $((t_answer - t0)) ms after; .240 no longer answered"

# 3. The controller's metrics.
inuse=$(ip netns exec "$P-ctl" curl -s -m 3 http://127.0.0.1:7472/metrics |
  awk 'index($0, "metallb_allocator_addresses_in_use_total{") == 1 && index($0, "pool=\"lan\"") { print $NF }')
[ "$inuse" = 1 ] || fail "metallb_allocator_addresses_in_use_total{pool=lan} is '$inuse', want 1"
echo "RESULT controller metrics: metallb_allocator_addresses_in_use_total{pool=\"lan\"} 1"
echo "PASS"
