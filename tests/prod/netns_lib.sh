# Shared by the BGP end-to-end tests (bgp_*_test.sh): the LAN of namespaces
# they build, and the cleanup that removes it. Source it after setting
# TEST_NAME and P (the namespace prefix, unique per run); the caller keeps
# its speaker PIDs in the associative array PID, its namespaces land in
# CREATED, its files in TMP. A caller with more processes to stop defines
# cleanup_extra. Everything runs only inside namespaces created here.

declare -A PID=() IP=() IP6=()
CREATED=()

netns_skip() {
  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
  echo "!!! SKIPPED $TEST_NAME: $*"
  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
  exit 77
}

# Root and `ip netns`, or skip loudly (exit 77).
netns_require() {
  [ "$(id -u)" = 0 ] || netns_skip "needs root (network namespaces)"
  command -v ip >/dev/null && ip netns list >/dev/null 2>&1 || netns_skip "ip netns is unavailable"
}

# Only what this run started and created: our PIDs (continued first, in
# case a test stopped one), our namespaces' processes, our namespaces.
netns_cleanup() {
  for n in "${!PID[@]}"; do kill -CONT "${PID[$n]}" 2>/dev/null; kill -9 "${PID[$n]}" 2>/dev/null; done
  declare -F cleanup_extra >/dev/null && cleanup_extra
  for ns in "${CREATED[@]}"; do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
  done
  wait 2>/dev/null
  for ns in "${CREATED[@]}"; do ip netns del "$ns" 2>/dev/null; done
  if [ "${KEEP_LOGS:-0}" = 1 ]; then echo "logs kept in $TMP"; else rm -rf "$TMP"; fi
}

addns() { ip netns add "$1" && CREATED+=("$1"); }

# netns_lan HOST...: a bridge in $P-sw and, per host, namespace $P-HOST with
# eth0 on the bridge, ${IP[HOST]}/24 and, when IP6 has the host,
# ${IP6[HOST]}/64 (DAD off). Calls fail on error.
netns_lan() {
  addns "$P-sw" || fail "cannot create namespace $P-sw"
  ip -n "$P-sw" link add br0 type bridge
  ip -n "$P-sw" link set br0 type bridge stp_state 0 forward_delay 0
  ip -n "$P-sw" link set br0 up
  local h
  for h in "$@"; do
    addns "$P-$h" || fail "cannot create namespace $P-$h"
    ip -n "$P-sw" link add "v-$h" type veth peer name eth0 netns "$P-$h"
    ip -n "$P-sw" link set "v-$h" master br0 up
    ip -n "$P-$h" link set lo up
    ip -n "$P-$h" addr add "${IP[$h]}/24" dev eth0
    if [ -n "${IP6[$h]:-}" ]; then
      ip netns exec "$P-$h" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.eth0.accept_dad=0
      ip -n "$P-$h" addr add "${IP6[$h]}/64" dev eth0 nodad
    fi
    ip -n "$P-$h" link set eth0 up
  done
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# Next hops of PREFIX in namespace NS's kernel FIB, sorted, space separated
# (a single-path route reads "via X", a multipath one "nexthop via X").
kernel_next_hops() {
  ip -n "$1" route show "$2" | grep -o 'via [0-9.]*' | awk '{print $2}' | sort | tr '\n' ' '
}
