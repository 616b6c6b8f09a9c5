#!/bin/bash
# vipcast-speaker with the least privilege it documents (README): as user
# nobody with only CAP_NET_RAW (ambient, through capsh), in a namespace.
#
# usage: capabilities_test.sh SPEAKER_BINARY MANIFEST_DIR (tests/prod/l2/manifests)
#
# Topology (created here, removed on exit, names unique per run): bridge in
# $P-sw; $P-n1 (10.10.0.11, the only node, so it announces the VIP) and
# $P-cli (10.10.0.100). Checks:
#  1. uid nobody + CAP_NET_RAW only: the client's arping for the VIP is
#     answered with n1's MAC, /readyz on 127.0.0.1 answers 200, and SIGTERM
#     exits 0;
#  2. uid nobody with no capability: the speaker logs that it cannot open its
#     raw socket (Operation not permitted), keeps running (no crash) and
#     answers no ARP; SIGTERM exits 0.
# Exit: 0 pass, 1 fail, 77 skipped (not root, no `ip netns`, no capsh/arping).
set -u

SPEAKER=${1:?speaker binary}
MANIFESTS=${2:?manifest dir}
VIP=10.10.0.240
P="vk$$"
SPEAKER_PID=""

skip() {
  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
  echo "!!! SKIPPED capabilities_test: $*"
  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
  exit 77
}
[ "$(id -u)" = 0 ] || skip "needs root (network namespaces, capsh)"
command -v ip >/dev/null && ip netns list >/dev/null 2>&1 || skip "ip netns is unavailable"
command -v capsh >/dev/null || skip "capsh is missing (libcap2-bin)"
command -v arping >/dev/null || skip "arping is missing"
id nobody >/dev/null 2>&1 || skip "no user nobody"
[ -x "$SPEAKER" ] || { echo "FAIL: $SPEAKER is not executable"; exit 1; }

TMP=$(mktemp -d /tmp/vipcast-caps.XXXXXX)
chmod 755 "$TMP"  # the speaker runs as nobody and reads its files here
CREATED=()
cleanup() {
  [ -n "$SPEAKER_PID" ] && kill -9 "$SPEAKER_PID" 2>/dev/null
  for ns in "${CREATED[@]}"; do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
  done
  wait 2>/dev/null
  for ns in "${CREATED[@]}"; do ip netns del "$ns" 2>/dev/null; done
  if [ "${KEEP_LOGS:-0}" = 1 ]; then echo "logs kept in $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM
fail() { echo "FAIL: $*"; echo "---- speaker log"; tail -n 15 "$TMP/speaker.log"; exit 1; }
addns() { ip netns add "$1" && CREATED+=("$1"); }

addns "$P-sw" || fail "cannot create namespace $P-sw"
ip -n "$P-sw" link add br0 type bridge
ip -n "$P-sw" link set br0 type bridge stp_state 0 forward_delay 0
ip -n "$P-sw" link set br0 up
for h in n1:10.10.0.11 cli:10.10.0.100; do
  name=${h%%:*}
  addns "$P-$name" || fail "cannot create namespace $P-$name"
  ip -n "$P-sw" link add "v-$name" type veth peer name eth0 netns "$P-$name"
  ip -n "$P-sw" link set "v-$name" master br0 up
  ip -n "$P-$name" link set lo up
  ip -n "$P-$name" addr add "${h#*:}/24" dev eth0
  ip -n "$P-$name" link set eth0 up
done
N1_MAC=$(ip -n "$P-n1" -o link show eth0 | grep -o 'link/ether [0-9a-f:]*' | awk '{print $2}')

mkdir "$TMP/manifests"
cp "$MANIFESTS"/*.yaml "$TMP/manifests/"
# One node: n1 is the only member and so the VIP's announcer.
cat >"$TMP/manifests/nodes.yaml" <<'YAML'
apiVersion: v1
kind: Node
metadata: {name: n1}
status:
  addresses: [{type: InternalIP, address: 10.10.0.11}]
YAML
head -c 32 /dev/urandom | base64 >"$TMP/secret"
chmod -R a+rX "$TMP"

# capsh as root: switch to nobody keeping CAP_NET_RAW, raise it into the
# ambient set so that the exec'd speaker has it (and nothing else).
run_as_nobody() {  # CAPS ("cap_net_raw" or "") then speaker arguments
  local caps=$1
  shift
  local capargs=(--user=nobody)
  [ -n "$caps" ] && capargs=(--keep=1 --user=nobody --caps="$caps+eip" --addamb="$caps")
  ip netns exec "$P-n1" capsh "${capargs[@]}" -- -c 'exec "$0" "$@"' "$SPEAKER" "$@" \
    2>"$TMP/speaker.log" &
  SPEAKER_PID=$!
}
readyz() {
  ip netns exec "$P-n1" bash -c 'exec 3<>/dev/tcp/127.0.0.1/7472 &&
    printf "GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" >&3 &&
    head -n 1 <&3' 2>/dev/null | tr -d '\r'
}
arp_reply_mac() {  # the MAC that answers arping for the VIP, or nothing
  ip netns exec "$P-cli" arping -c 3 -w 3 -i eth0 "$VIP" 2>/dev/null |
    grep -o 'from [0-9a-f:]*' | head -n 1 | awk '{print $2}'
}
stop_speaker() {
  kill -TERM "$SPEAKER_PID"
  wait "$SPEAKER_PID"
  local rc=$?
  SPEAKER_PID=""
  return $rc
}
ARGS=(--node n1 --manifests "$TMP/manifests" --secret-file "$TMP/secret" --interface eth0
      --metrics-address 127.0.0.1:7472)

# 1. nobody + CAP_NET_RAW.
run_as_nobody cap_net_raw "${ARGS[@]}"
for _ in $(seq 1 50); do [ "$(readyz)" = "HTTP/1.1 200 OK" ] && break; sleep 0.1; done
[ "$(readyz)" = "HTTP/1.1 200 OK" ] || fail "/readyz is not 200: '$(readyz)'"
uid=$(ps -o uid= -p "$SPEAKER_PID" 2>/dev/null | tr -d ' ')
caps=$(grep CapEff "/proc/$SPEAKER_PID/status" | awk '{print $2}')
[ "$uid" = "$(id -u nobody)" ] || fail "the speaker runs as uid '$uid', not nobody"
[ "$caps" = 0000000000002000 ] || fail "the speaker's effective capabilities are $caps, want CAP_NET_RAW only"
mac=""
for _ in $(seq 1 5); do mac=$(arp_reply_mac); [ -n "$mac" ] && break; done
[ "$mac" = "$N1_MAC" ] || fail "arping $VIP answered by '$mac', want n1's $N1_MAC"
stop_speaker || fail "SIGTERM: exit $?"
echo "RESULT cap_net_raw only, uid nobody (CapEff $caps): ARP for $VIP answered by n1, /readyz 200, SIGTERM exit 0"

# 2. nobody without capabilities: no raw socket, no crash.
run_as_nobody "" "${ARGS[@]}"
for _ in $(seq 1 50); do grep -q 'Operation not permitted' "$TMP/speaker.log" && break; sleep 0.1; done
grep -q 'Operation not permitted' "$TMP/speaker.log" ||
  fail "no 'Operation not permitted' in the log of a speaker without CAP_NET_RAW"
sleep 1
kill -0 "$SPEAKER_PID" 2>/dev/null || fail "the speaker without CAP_NET_RAW died"
mac=$(arp_reply_mac)
[ -z "$mac" ] || fail "without CAP_NET_RAW something answered ARP for the VIP: $mac"
stop_speaker || fail "SIGTERM without capabilities: exit $?"
echo "RESULT no capability, uid nobody: logs 'Operation not permitted', stays up, answers no ARP, SIGTERM exit 0"
echo "PASS"
