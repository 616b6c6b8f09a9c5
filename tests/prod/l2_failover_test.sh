#!/bin/bash
# End-to-end layer 2 failover of vipcast-speaker in Linux network namespaces.
#
# usage: l2_failover_test.sh SPEAKER_BINARY MANIFEST_DIR
#
# Topology (all created here, all removed on exit, names unique per run):
#   $P-sw  : bridge br0 (STP off, forward delay 0)
#   $P-n1..3: eth0 10.10.0.11-13/24, VIP 10.10.0.240/32 on lo (as kube-proxy's
#             IPVS dummy interface would hold it; this kernel has no dummy
#             interfaces) with arp_ignore=1/arp_announce=2 so that only
#             vipcast answers ARP for it; one vipcast-speaker each
#   $P-cli : eth0 10.10.0.100/24, the client
# Scenario 1: SIGKILL the speaker that owns the VIP. Scenario 2: take the
# new owner's link down. Each time the client pings the VIP every 10 ms
# (ping -D, bounded count and time) and polls its neighbour entry every
# 10 ms; the test checks that another node took over and that the client's
# ARP entry moved to its MAC, and prints the measured numbers:
#   outage   = longest gap between consecutive ping replies (client's view)
#   takeover = SIGKILL/link-down -> client's neighbour entry shows the new MAC
# Timings are printed, not asserted (tests never assert on wall-clock time);
# every wait is bounded.
#
# Environment: PROFILE=metallb runs the speakers with MetalLB's timings
# (needs PROBE_COUNT=2000 or so); KEEP_LOGS=1 keeps the speakers' logs.
# Exit: 0 pass, 1 fail, 77 skipped (not root, or no `ip netns`).
set -u

SPEAKER=${1:?speaker binary}
MANIFESTS=${2:?manifest dir}
VIP=10.10.0.240
PROBE_COUNT=${PROBE_COUNT:-600}   # 6 s of probes at 10 ms
PROFILE=${PROFILE:-default}       # vipcast-speaker --profile (default|metallb)
P="vc$$"               # unique per run
NODES="n1 n2 n3"
declare -A IP=([n1]=10.10.0.11 [n2]=10.10.0.12 [n3]=10.10.0.13 [cli]=10.10.0.100)
declare -A PID=()
declare -A MAC=()

skip() {
  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
  echo "!!! SKIPPED l2_failover_test: $*"
  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
  exit 77
}
[ "$(id -u)" = 0 ] || skip "needs root (network namespaces)"
command -v ip >/dev/null && ip netns list >/dev/null 2>&1 || skip "ip netns is unavailable"
command -v ping >/dev/null || skip "ping is missing"
[ -x "$SPEAKER" ] || { echo "FAIL: $SPEAKER is not executable"; exit 1; }

TMP=$(mktemp -d /tmp/vipcast-l2-failover.XXXXXX)
CREATED=()

cleanup() {
  # Only what this run started and created: our PIDs, our namespaces.
  for n in "${!PID[@]}"; do kill -9 "${PID[$n]}" 2>/dev/null; done
  for ns in "${CREATED[@]}"; do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
  done
  wait 2>/dev/null
  for ns in "${CREATED[@]}"; do ip netns del "$ns" 2>/dev/null; done
  if [ "${KEEP_LOGS:-0}" = 1 ]; then echo "logs kept in $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

fail() {
  echo "FAIL: $*"
  for n in $NODES; do echo "---- speaker $n log (last 15 lines)"; tail -n 15 "$TMP/$n.log"; done
  exit 1
}

addns() { ip netns add "$1" && CREATED+=("$1"); }

# ---------------------------------------------------------------- topology
addns "$P-sw" || fail "cannot create namespace $P-sw"
ip -n "$P-sw" link add br0 type bridge
ip -n "$P-sw" link set br0 type bridge stp_state 0 forward_delay 0
ip -n "$P-sw" link set br0 up
for h in $NODES cli; do
  addns "$P-$h" || fail "cannot create namespace $P-$h"
  # The pair is created inside the namespaces; the root namespace is untouched.
  ip -n "$P-sw" link add "v-$h" type veth peer name eth0 netns "$P-$h"
  ip -n "$P-sw" link set "v-$h" master br0 up
  ip -n "$P-$h" link set lo up
  ip -n "$P-$h" addr add "${IP[$h]}/24" dev eth0
  ip -n "$P-$h" link set eth0 up
  MAC[$h]=$(ip -n "$P-$h" -br link show eth0 | awk '{print $3}')
done
for n in $NODES; do
  ip netns exec "$P-$n" sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.eth0.arp_ignore=1 \
    net.ipv4.conf.all.arp_announce=2 net.ipv4.conf.eth0.arp_announce=2
  ip -n "$P-$n" addr add "$VIP/32" dev lo
done

# ---------------------------------------------------------------- speakers
# A copy of the manifests, so that the test can break them (keep-last-good).
mkdir "$TMP/manifests" && cp -r "$MANIFESTS"/. "$TMP/manifests/" || fail "cannot copy $MANIFESTS"
MANIFESTS="$TMP/manifests"
head -c 32 /dev/urandom | base64 > "$TMP/secret"
MEMBERS="${IP[n1]}:7946,${IP[n2]}:7946,${IP[n3]}:7946"
for n in $NODES; do
  ip netns exec "$P-$n" "$SPEAKER" --node "$n" --manifests "$MANIFESTS" \
    --secret-file "$TMP/secret" --interface eth0 --members "$MEMBERS" \
    --profile "$PROFILE" --log-level info 2>"$TMP/$n.log" &
  PID[$n]=$!
done

# The node whose latest layer 2 VIP event is an announcement (not withdrawn).
owners() {
  for n in "$@"; do
    local last
    last=$(grep -E '"msg":"vip (announced|withdrawn)"' "$TMP/$n.log" | grep '"mode":"layer2"' |
      tail -n 1)
    case "$last" in *'"msg":"vip announced"'*) echo -n "$n " ;; esac
  done
}
# Waits (bounded) until exactly one of the given nodes owns the VIP.
wait_single_owner() {
  local deadline=$((SECONDS + 15)) o
  while [ $SECONDS -lt $deadline ]; do
    o=$(owners "$@")
    if [ "$(echo $o | wc -w)" = 1 ]; then
      sleep 0.5  # settled: still exactly one?
      o=$(owners "$@")
      [ "$(echo $o | wc -w)" = 1 ] && { echo $o; return 0; }
    fi
    sleep 0.1
  done
  echo "$o"
  return 1
}
neigh_mac() { ip -n "$P-cli" neigh show "$VIP" dev eth0 | awk '/lladdr/{print $3}'; }

OWNER=$(wait_single_owner $NODES) || fail "no single owner among $NODES (got: '$OWNER')"
echo "initial owner: $OWNER (${MAC[$OWNER]})"
ip netns exec "$P-cli" ping -c 1 -W 2 "$VIP" >/dev/null || fail "client cannot reach $VIP"
[ "$(neigh_mac)" = "${MAC[$OWNER]}" ] ||
  fail "client's ARP entry for $VIP is '$(neigh_mac)', expected $OWNER's ${MAC[$OWNER]}"

# ---------------------------------------------------------------- bad config
# An invalid manifest is logged and rejected by every speaker (read again
# within a second); the VIP stays where it is. Then the file goes away.
cat >"$MANIFESTS/zz-broken.yaml" <<'YAML'
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: broken, namespace: metallb-system}
spec:
  addresses: [10.10.0.250-10.10.0.245]
YAML
for n in $NODES; do
  for _ in $(seq 1 50); do grep -q '"msg":"manifests rejected' "$TMP/$n.log" && break; sleep 0.1; done
  grep -q '"msg":"manifests rejected' "$TMP/$n.log" || fail "$n did not reject the broken manifest"
done
rm -f "$MANIFESTS/zz-broken.yaml"
sleep 1.5
[ "$(owners $NODES)" = "$OWNER " ] || fail "the VIP moved after a rejected config: '$(owners $NODES)'"
echo "broken manifest rejected by every speaker; $OWNER still owns the VIP"

# ---------------------------------------------------------------- measurement
# $1 label, $2 command that causes the failure, $3 old owner, $4.. survivors.
# Sets NEW_OWNER.
scenario() {
  local label=$1 action=$2 old=$3
  shift 3
  local survivors="$*"
  ip netns exec "$P-cli" timeout $((PROBE_COUNT / 100 + 15)) ping -n -D -i 0.01 -W 1 -c $PROBE_COUNT "$VIP" \
    >"$TMP/ping-$label.txt" 2>&1 &
  local ping_pid=$!
  sleep 1
  local t0 moved_at=""
  t0=$(date +%s.%N)
  eval "$action"
  # Poll the client's neighbour entry every 10 ms (bounded).
  local old_mac=${MAC[$old]} m
  for _ in $(seq 1 1000); do
    m=$(neigh_mac)
    if [ -n "$m" ] && [ "$m" != "$old_mac" ]; then moved_at=$(date +%s.%N); break; fi
    sleep 0.01
  done
  wait $ping_pid
  NEW_OWNER=$(wait_single_owner $survivors) || fail "$label: no single new owner among $survivors"
  [ "$NEW_OWNER" != "$old" ] || fail "$label: $old still owns the VIP"
  [ -n "$moved_at" ] || fail "$label: the client's ARP entry never left $old's MAC $old_mac"
  [ "$(neigh_mac)" = "${MAC[$NEW_OWNER]}" ] ||
    fail "$label: client's ARP entry is '$(neigh_mac)', expected $NEW_OWNER's ${MAC[$NEW_OWNER]}"
  # Outage from the client's view: longest gap between consecutive replies,
  # and the replies must have resumed after the failure.
  local stats
  stats=$(awk -v t0="$t0" '
    /bytes from/ { gsub(/[\[\]]/, "", $1); t = $1 + 0; n++
                   if (n > 1 && t - prev > gap) gap = t - prev
                   if (t > t0) after++; prev = t }
    /packets transmitted/ { sent = $1 }
    END { printf "%d %d %d %.0f", sent, n, after, gap * 1000 }' "$TMP/ping-$label.txt")
  read -r sent received after gap_ms <<<"$stats"
  [ "${after:-0}" -gt 0 ] || fail "$label: no ping reply after the failure"
  local takeover_ms
  takeover_ms=$(awk -v a="$t0" -v b="$moved_at" 'BEGIN { printf "%.0f", (b - a) * 1000 }')
  echo "RESULT $label (profile $PROFILE): new owner $NEW_OWNER; probes sent $sent, replies $received," \
    "lost $((sent - received)); outage (longest reply gap) ${gap_ms} ms;" \
    "takeover (failure -> client ARP entry moved) ${takeover_ms} ms"
}

# 1. SIGKILL of the owning speaker. Its node keeps the VIP on lo and keeps
#    answering frames sent to its MAC, so the client's outage can be ~0; the
#    takeover time is what the election and gratuitous ARP achieve.
SURVIVORS=$(echo $NODES | tr ' ' '\n' | grep -vx "$OWNER" | tr '\n' ' ')
scenario sigkill "kill -9 ${PID[$OWNER]}" "$OWNER" $SURVIVORS
unset "PID[$OWNER]"
SECOND=$NEW_OWNER

# 2. The new owner's link goes down: its frames stop, the remaining node
#    must detect the failure through membership and announce.
LAST=$(echo $SURVIVORS | tr ' ' '\n' | grep -vx "$SECOND" | tr '\n' ' ')
scenario linkdown "ip -n $P-$SECOND link set eth0 down" "$SECOND" $LAST

# The speakers that still run exit cleanly on SIGTERM (graceful shutdown).
for n in "${!PID[@]}"; do kill -TERM "${PID[$n]}" 2>/dev/null; done
for n in "${!PID[@]}"; do
  for _ in $(seq 1 30); do kill -0 "${PID[$n]}" 2>/dev/null || break; sleep 0.1; done
  kill -0 "${PID[$n]}" 2>/dev/null && fail "speaker $n still runs 3 s after SIGTERM"
  wait "${PID[$n]}"; rc=$?
  [ $rc = 0 ] || fail "speaker $n exited with $rc after SIGTERM"
  grep -q '"msg":"exiting"' "$TMP/$n.log" || fail "speaker $n did not log its exit"
  unset "PID[$n]"
done
echo "PASS"
