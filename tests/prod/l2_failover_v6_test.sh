#!/bin/bash
# End-to-end layer 2 failover of an IPv6 VIP (NDP) by vipcast-speaker in
# Linux network namespaces; the IPv6 twin of l2_failover_test.sh.
#
# usage: l2_failover_v6_test.sh SPEAKER_BINARY MANIFEST_DIR
#
# Topology (all created here, all removed on exit, names unique per run):
#   $P-sw  : bridge br0 (STP off, forward delay 0) that snoops MLD and is the
#            querier, like a switch with MLD snooping; once the speakers run,
#            the node ports get no unregistered multicast (mcast_flood off),
#            so a client's solicitation for the VIP reaches a node only if
#            that node reported the VIP's solicited-node group by MLD
#   $P-n1..3: eth0 fd00:10::11-13/64 only (IPv6-only nodes: the membership
#             gossip runs over IPv6 too, on the runtime's dual-stack UDP
#             port); VIP fd00:10::f0/128 on lo; one vipcast-speaker each
#   $P-cli : eth0 fd00:10::100/64, the client (IPv6 only)
# DAD is off in every namespace (accept_dad=0, addresses added nodad) so that
# addresses are usable at once.
#
# Why only vipcast answers NDP for the VIP: Linux answers a Neighbor
# Solicitation only for a target assigned to the interface it arrived on
# (ndisc_recv_ns looks the target up strictly on that device), an anycast
# address there, or a proxy entry (proxy_ndp=1 and `ip -6 neigh add proxy`).
# A /128 on lo is none of these, so, unlike IPv4's ARP, no arp_ignore-like
# sysctl is needed; proxy_ndp is set to 0 explicitly. This holds also once
# the speaker joined the VIP's solicited-node group on eth0 (checked by hand
# on 6.18: the kernel counts the solicitations, Icmp6InNeighborSolicits, and
# sends no advertisement), and the test checks before starting the speakers
# that the client cannot resolve the VIP.
#
# Checks, in order:
#  - no speaker: the client's solicitations for the VIP go unanswered;
#  - one owner; its eth0 holds the VIP's solicited-node group ff02::1:ff00:f0
#    and its MAC 33:33:ff:00:00:f0 (the speaker's joins; the speakers run
#    without CAP_NET_ADMIN when setpriv is present), the others' do not, and
#    the bridge learnt the group on the owner's port (MLD report);
#  - once the owner's announcement burst is over, the client (cache
#    flushed) resolves the VIP by solicitation: the owner's MAC.
# Scenario 1: SIGKILL the owner's speaker; scenario 2: take the new owner's
# link down. Each time the client pings the VIP every 10 ms (ping -D, bounded
# count and time) and polls its neighbour entry every 10 ms; the test checks
# that another node took over, that the client's entry moved to its MAC
# (Linux replaces the address of an existing entry on an unsolicited NA with
# the Override flag, RFC 4861 7.2.5), that the killed speaker's membership
# is gone and the new owner's is there, and prints:
#   outage   = longest gap between consecutive ping replies (client's view)
#   takeover = SIGKILL/link-down -> client's neighbour entry shows the new MAC
# Timings are printed, not asserted (tests never assert on wall-clock time);
# every wait is bounded.
#
# Environment: PROBE_COUNT (default 600 = 6 s at 10 ms); KEEP_LOGS=1 keeps
# the speakers' logs.
# Exit: 0 pass, 1 fail, 77 skipped (not root, or no `ip netns`).
set -u

SPEAKER=${1:?speaker binary}
MANIFESTS=${2:?manifest dir}
VIP=fd00:10::f0
VIP_GROUP_MAC=33:33:ff:00:00:f0  # RFC 2464 7 mapping of ff02::1:ff00:f0
PROBE_COUNT=${PROBE_COUNT:-600}
P="vc$$"  # unique per run
NODES="n1 n2 n3"
declare -A IP6=([n1]=fd00:10::11 [n2]=fd00:10::12 [n3]=fd00:10::13 [cli]=fd00:10::100)
declare -A PID=()
declare -A MAC=()

skip() {
  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
  echo "!!! SKIPPED l2_failover_v6_test: $*"
  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
  exit 77
}
[ "$(id -u)" = 0 ] || skip "needs root (network namespaces)"
command -v ip >/dev/null && ip netns list >/dev/null 2>&1 || skip "ip netns is unavailable"
command -v ping >/dev/null || skip "ping is missing"
command -v bridge >/dev/null || skip "bridge (iproute2) is missing"
[ -x "$SPEAKER" ] || { echo "FAIL: $SPEAKER is not executable"; exit 1; }

# The speakers need CAP_NET_RAW (AF_PACKET) but not CAP_NET_ADMIN: run them
# without it when setpriv can drop it, which also proves that the multicast
# joins do not need it.
RUN_AS=()
if command -v setpriv >/dev/null &&
  setpriv --bounding-set=-net_admin --inh-caps=-net_admin true 2>/dev/null; then
  RUN_AS=(setpriv --bounding-set=-net_admin --inh-caps=-net_admin --)
fi

TMP=$(mktemp -d /tmp/vipcast-l2v6-failover.XXXXXX)
CREATED=()

cleanup() {
  # Runs to the end whatever happens to our output (a reader that went away
  # must not stop the namespaces from being removed).
  trap '' PIPE INT TERM HUP
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
trap 'exit 1' INT TERM HUP PIPE  # so that cleanup runs (e.g. output piped to head)

fail() {
  echo "FAIL: $*"
  for n in $NODES; do
    [ -f "$TMP/$n.log" ] || continue
    echo "---- speaker $n log (last 15 lines)"
    tail -n 15 "$TMP/$n.log"
  done
  echo "---- client neighbours"
  ip -n "$P-cli" -6 neigh show dev eth0 2>/dev/null
  exit 1
}

addns() { ip netns add "$1" && CREATED+=("$1"); }
nsctl() { ip netns exec "$1" sysctl -qw "${@:2}"; }

# ---------------------------------------------------------------- topology
addns "$P-sw" || fail "cannot create namespace $P-sw"
nsctl "$P-sw" net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
ip -n "$P-sw" link add br0 type bridge
ip -n "$P-sw" link set br0 type bridge stp_state 0 forward_delay 0 \
  mcast_snooping 1 mcast_querier 1
ip -n "$P-sw" link set br0 up
for h in $NODES cli; do
  addns "$P-$h" || fail "cannot create namespace $P-$h"
  # Before eth0 exists, so that it inherits them (and its link-local
  # address is not tentative either).
  nsctl "$P-$h" net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 \
    net.ipv6.conf.all.proxy_ndp=0 net.ipv6.conf.default.proxy_ndp=0
  # The pair is created inside the namespaces; the root namespace is untouched.
  ip -n "$P-sw" link add "v-$h" type veth peer name eth0 netns "$P-$h"
  ip -n "$P-sw" link set "v-$h" master br0 up
  ip -n "$P-$h" link set lo up
  ip -n "$P-$h" -6 addr add "${IP6[$h]}/64" dev eth0 nodad
  ip -n "$P-$h" link set eth0 up
  MAC[$h]=$(ip -n "$P-$h" -br link show eth0 | awk '{print $3}')
done
for n in $NODES; do
  ip -n "$P-$n" -6 addr add "$VIP/128" dev lo nodad
done

neigh_line() { ip -n "$P-cli" -6 neigh show "$VIP" dev eth0; }
neigh_mac() { neigh_line | awk '/lladdr/{print $3}'; }
VIP_GROUP=ff02::1:ff00:f0  # RFC 4291 2.7.1 solicited-node group of the VIP
# $1 node: its eth0 holds the group, at the IPv6 level and at the link layer.
has_group() {
  local m
  m=$(ip -n "$P-$1" maddr show dev eth0)
  grep -qw "link  *$VIP_GROUP_MAC" <<<"$m" || grep -qw "inet6  *$VIP_GROUP" <<<"$m"
}
has_both() {
  local m
  m=$(ip -n "$P-$1" maddr show dev eth0)
  grep -qw "link  *$VIP_GROUP_MAC" <<<"$m" && grep -qw "inet6  *$VIP_GROUP" <<<"$m"
}
# The bridge forwards the group to $1's port (it heard $1's MLD report).
snooped() { bridge -n "$P-sw" mdb show dev br0 | grep -qw "port v-$1 grp $VIP_GROUP"; }

# ---------------------------------------------------------------- kernel alone
# Every node holds the VIP on lo; none may answer for it on eth0.
if ip netns exec "$P-cli" ping -6 -n -c 2 -i 0.2 -W 1 "$VIP" >/dev/null 2>&1; then
  fail "the client reached $VIP with no speaker running: a kernel answers NDP for it ($(neigh_line))"
fi
[ -z "$(neigh_mac)" ] || fail "a kernel answered a solicitation for $VIP: $(neigh_line)"
echo "no speaker: the client cannot resolve $VIP ($(neigh_line))"
ip -n "$P-cli" -6 neigh flush dev eth0
for n in $NODES; do has_group "$n" && fail "$n's eth0 holds $VIP_GROUP before any speaker runs"; done
# From now on the node ports get registered multicast only (see the top).
for n in $NODES; do ip -n "$P-sw" link set "v-$n" type bridge_slave mcast_flood off; done

# ---------------------------------------------------------------- speakers
mkdir "$TMP/manifests" && cp -r "$MANIFESTS"/. "$TMP/manifests/" || fail "cannot copy $MANIFESTS"
MANIFESTS="$TMP/manifests"
head -c 32 /dev/urandom | base64 >"$TMP/secret"
MEMBERS="[${IP6[n1]}]:7946,[${IP6[n2]}]:7946,[${IP6[n3]}]:7946"
[ ${#RUN_AS[@]} -gt 0 ] && echo "speakers run without CAP_NET_ADMIN (${RUN_AS[*]})"
for n in $NODES; do
  ip netns exec "$P-$n" "${RUN_AS[@]}" "$SPEAKER" --node "$n" --manifests "$MANIFESTS" \
    --secret-file "$TMP/secret" --interface eth0 --members "$MEMBERS" \
    --log-level info 2>"$TMP/$n.log" &
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
      sleep 0.5 # settled: still exactly one?
      o=$(owners "$@")
      [ "$(echo $o | wc -w)" = 1 ] && { echo $o; return 0; }
    fi
    sleep 0.1
  done
  echo "$o"
  return 1
}
# The solicited-node MAC is on exactly the owner's eth0. Bounded wait: the
# owner joins in the call that announces; a node that lost the VIP to a
# link-down leaves at its next interface poll.
groups_ok() {
  local owner=$1 n
  shift
  has_both "$owner" && snooped "$owner" || return 1
  for n in "$@"; do [ "$n" = "$owner" ] || ! has_group "$n" || return 1; done
}
check_groups() {
  local owner=$1 label=$2
  shift 2
  for _ in $(seq 1 50); do groups_ok "$owner" "$@" && return 0; sleep 0.1; done
  local n
  for n in "$@"; do echo "$n eth0: $(ip -n "$P-$n" maddr show dev eth0 | grep -oE '(link|inet6) .*' | tr '\n' ' ')"; done
  bridge -n "$P-sw" mdb show dev br0 | grep -w "$VIP_GROUP"
  fail "$label: expected $VIP_GROUP ($VIP_GROUP_MAC) on $owner's eth0 only, snooped on its port"
}

OWNER=$(wait_single_owner $NODES) || fail "no single owner among $NODES (got: '$OWNER')"
echo "initial owner: $OWNER (${MAC[$OWNER]})"
grep -q '"carried":"udp-ipv4,udp-ipv6,arp-frames,ndp-frames,ndp-multicast-joins' "$TMP/$OWNER.log" ||
  fail "$OWNER's runtime does not say it carries IPv6 datagrams, NDP frames and joins"
check_groups "$OWNER" initial $NODES
echo "$OWNER's eth0 joined $VIP_GROUP ($VIP_GROUP_MAC) and the bridge snooped it; the other nodes' did not"
# The unsolicited NAs of the owner's burst (5 s, AnnounceSchedule) would
# fill the client's cache by themselves; after them, only an answered
# solicitation can.
sleep 6
ip -n "$P-cli" -6 neigh flush dev eth0
# Echo requests 0.5 s apart until 3 replies or 4 s: a single request right
# after the flush went unanswered in 3 of 4 runs here (with a 2 s pause
# before it, never; the kernel's neighbour state after the flush, not
# pinned down). What this step checks is that solicitations are answered.
ip netns exec "$P-cli" ping -6 -n -c 3 -i 0.5 -w 4 "$VIP" >/dev/null || fail "client cannot reach $VIP"
[ "$(neigh_mac)" = "${MAC[$OWNER]}" ] ||
  fail "client's neighbour entry for $VIP is '$(neigh_mac)', expected $OWNER's ${MAC[$OWNER]}"
echo "client resolved $VIP: $(neigh_line)"

# ---------------------------------------------------------------- measurement
# $1 label, $2 command that causes the failure, $3 old owner, $4.. survivors.
# Sets NEW_OWNER.
scenario() {
  local label=$1 action=$2 old=$3
  shift 3
  local survivors="$*"
  ip netns exec "$P-cli" timeout $((PROBE_COUNT / 100 + 15)) \
    ping -6 -n -D -i 0.01 -W 1 -c $PROBE_COUNT "$VIP" >"$TMP/ping-$label.txt" 2>&1 &
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
  local moved_line
  moved_line=$(neigh_line)
  wait $ping_pid
  NEW_OWNER=$(wait_single_owner $survivors) || fail "$label: no single new owner among $survivors"
  [ "$NEW_OWNER" != "$old" ] || fail "$label: $old still owns the VIP"
  [ -n "$moved_at" ] || fail "$label: the client's neighbour entry never left $old's MAC $old_mac"
  [ "$(neigh_mac)" = "${MAC[$NEW_OWNER]}" ] ||
    fail "$label: client's neighbour entry is '$(neigh_mac)', expected $NEW_OWNER's ${MAC[$NEW_OWNER]}"
  check_groups "$NEW_OWNER" "$label" $NODES
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
  echo "client's entry when it moved: $moved_line; now: $(neigh_line)"
  echo "RESULT v6 $label: new owner $NEW_OWNER; probes sent $sent, replies $received," \
    "lost $((sent - received)); outage (longest reply gap) ${gap_ms} ms;" \
    "takeover (failure -> client neighbour entry moved) ${takeover_ms} ms"
}

# 1. SIGKILL of the owning speaker. Its node keeps the VIP on lo and keeps
#    answering packets sent to its MAC, so the outage can be ~0; the client's
#    entry can only move by the new owner's unsolicited NA (the old node's
#    kernel never answers the client's unicast NUD probes for the VIP, and
#    NUD would take seconds). The killed speaker's socket took its
#    membership with it (check_groups).
SURVIVORS=$(echo $NODES | tr ' ' '\n' | grep -vx "$OWNER" | tr '\n' ' ')
scenario sigkill "kill -9 ${PID[$OWNER]}" "$OWNER" $SURVIVORS
unset "PID[$OWNER]"
SECOND=$NEW_OWNER

# 2. The new owner's link goes down: the remaining node must detect the
#    failure through membership and announce.
LAST=$(echo $SURVIVORS | tr ' ' '\n' | grep -vx "$SECOND" | tr '\n' ' ')
scenario linkdown "ip -n $P-$SECOND link set eth0 down" "$SECOND" $LAST

# The speakers that still run exit cleanly on SIGTERM (graceful shutdown),
# and their memberships go with them.
for n in "${!PID[@]}"; do kill -TERM "${PID[$n]}" 2>/dev/null; done
for n in "${!PID[@]}"; do
  for _ in $(seq 1 30); do kill -0 "${PID[$n]}" 2>/dev/null || break; sleep 0.1; done
  kill -0 "${PID[$n]}" 2>/dev/null && fail "speaker $n still runs 3 s after SIGTERM"
  wait "${PID[$n]}"
  rc=$?
  [ $rc = 0 ] || fail "speaker $n exited with $rc after SIGTERM"
  grep -q '"msg":"exiting"' "$TMP/$n.log" || fail "speaker $n did not log its exit"
  has_group "$n" && fail "$n's eth0 still holds $VIP_GROUP after its speaker exited"
  unset "PID[$n]"
done
echo "PASS"
