#!/bin/bash
# BGP benchmark of the production vipcast-speaker (issue 6), in network
# namespaces this script creates and removes (root): the time for 10,000
# VIPs advertised by one vipcast-speaker to appear in gobgpd's RIB, against
# BIRD 2 advertising 10,000 static routes to the same gobgpd in the same run.
# Both clocks start when the process starts (the speaker also loads and
# allocates 10,000 Services) and stop when gobgpd has accepted every prefix
# from that peer (polled every 50 ms).
# usage: tools/bench-prod-bgp.sh SPEAKER_BINARY [COUNT]
set -u
SPEAKER=${1:?speaker binary}
COUNT=${2:-10000}
P="vq$$"
[ "$(id -u)" = 0 ] || { echo "bench-prod-bgp: needs root (network namespaces)" >&2; exit 2; }
for c in gobgpd gobgp bird python3; do
  command -v $c >/dev/null || { echo "bench-prod-bgp: $c is missing" >&2; exit 2; }
done
TMP=$(mktemp -d /tmp/vipcast-bench-bgp.XXXXXX)
CREATED=()
cleanup() {
  for ns in "${CREATED[@]}"; do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
  done
  wait 2>/dev/null
  for ns in "${CREATED[@]}"; do ip netns del "$ns" 2>/dev/null; done
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP PIPE
addns() { ip netns add "$1" && CREATED+=("$1"); }
addns "$P-sw"
ip -n "$P-sw" link add br0 type bridge
ip -n "$P-sw" link set br0 type bridge stp_state 0 forward_delay 0
ip -n "$P-sw" link set br0 up
for h in rtr:10.10.0.1 n1:10.10.0.11 bird:10.10.0.21; do
  name=${h%%:*}
  addns "$P-$name"
  ip -n "$P-sw" link add "v-$name" type veth peer name eth0 netns "$P-$name"
  ip -n "$P-sw" link set "v-$name" master br0 up
  ip -n "$P-$name" link set lo up
  ip -n "$P-$name" addr add "${h#*:}/24" dev eth0
  ip -n "$P-$name" link set eth0 up
done

cat >"$TMP/gobgp.toml" <<'TOML'
[global.config]
  as = 64501
  router-id = "10.10.0.1"
  local-address-list = ["10.10.0.1"]
[[neighbors]]
  [neighbors.config]
    neighbor-address = "10.10.0.11"
    peer-as = 64500
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv4-unicast"
[[neighbors]]
  [neighbors.config]
    neighbor-address = "10.10.0.21"
    peer-as = 64502
  [neighbors.timers.config]
    connect-retry = 1
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv4-unicast"
TOML
ip netns exec "$P-rtr" gobgpd -f "$TMP/gobgp.toml" --api-hosts 127.0.0.1:50051 >"$TMP/gobgpd.log" 2>&1 &
gob() { ip netns exec "$P-rtr" timeout 5 gobgp "$@" 2>/dev/null; }
for _ in $(seq 1 50); do gob global >/dev/null && break; sleep 0.1; done

# COUNT Services in 10.20.0.0/16 (one pool), each with a ready endpoint; and
# the same COUNT /32s as BIRD static routes.
python3 - "$COUNT" "$TMP" <<'PY'
import sys
count, tmp = int(sys.argv[1]), sys.argv[2]
with open(tmp + "/manifests.yaml", "w") as f:
    f.write("""apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: bench, namespace: metallb-system}
spec: {addresses: [10.20.0.0/16]}
---
apiVersion: metallb.io/v1beta2
kind: BGPPeer
metadata: {name: rtr, namespace: metallb-system}
spec: {myASN: 64500, peerASN: 64501, peerAddress: 10.10.0.1}
---
apiVersion: metallb.io/v1beta1
kind: BGPAdvertisement
metadata: {name: bgp, namespace: metallb-system}
---
apiVersion: v1
kind: Node
metadata: {name: n1}
status: {addresses: [{type: InternalIP, address: 10.10.0.11}]}
""")
    for i in range(count):
        f.write("---\napiVersion: v1\nkind: Service\nmetadata: {name: s%d, namespace: default}\n"
                "spec: {type: LoadBalancer, ports: [{port: 80, protocol: TCP}]}\n" % i)
        f.write("---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\n"
                "metadata: {name: s%d-1, namespace: default, labels: {kubernetes.io/service-name: s%d}}\n"
                "addressType: IPv4\nendpoints: [{addresses: [10.244.0.2], nodeName: n1}]\n" % (i, i))
with open(tmp + "/bird.conf", "w") as f:
    f.write("router id 10.10.0.21;\nprotocol device {}\n")
    f.write("protocol static { ipv4;\n")
    for i in range(count):
        f.write("  route 10.30.%d.%d/32 blackhole;\n" % (i // 256, i % 256))
    f.write("}\nprotocol bgp up { local 10.10.0.21 as 64502; neighbor 10.10.0.1 as 64501;\n"
            "  ipv4 { import none; export all; }; }\n")
PY
mkdir "$TMP/manifests" && mv "$TMP/manifests.yaml" "$TMP/manifests/"
head -c 32 /dev/urandom | base64 >"$TMP/secret"
accepted() {  # peer address -> prefixes gobgpd accepted from it
  gob neighbor "$1" | awk '/Accepted:/ { print $2; exit }'
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }
established() { gob neighbor "$1" | grep -qi 'BGP state = established'; }
# PEER -> "ESTABLISHED_MS ALL_MS" since T0 (empty after 120 s).
wait_count() {
  local t0=$1 peer=$2 up=""
  for _ in $(seq 1 2400); do
    [ -z "$up" ] && established "$peer" && up=$(($(now_ms) - t0))
    if [ "$(accepted "$peer")" = "$COUNT" ]; then
      local done_ms=$(($(now_ms) - t0))
      # Established and complete within one poll: from Established ~ 0.
      echo "${up:-$done_ms} $done_ms"
      return
    fi
    sleep 0.05
  done
}

t0=$(now_ms)
ip netns exec "$P-n1" "$SPEAKER" --node n1 --manifests "$TMP/manifests" --secret-file "$TMP/secret" \
  --interface eth0 --metrics-address none --log-level warning 2>"$TMP/speaker.log" &
read -r speaker_up speaker_ms < <(wait_count "$t0" 10.10.0.11)
[ -n "${speaker_ms:-}" ] || { echo "bench-prod-bgp: gobgpd got $(accepted 10.10.0.11) of $COUNT from the speaker" >&2; exit 1; }
t0=$(now_ms)
ip netns exec "$P-bird" bird -c "$TMP/bird.conf" -s "$TMP/bird.ctl" -P "$TMP/bird.pid"
read -r bird_up bird_ms < <(wait_count "$t0" 10.10.0.21)
[ -n "${bird_ms:-}" ] || { echo "bench-prod-bgp: gobgpd got $(accepted 10.10.0.21) of $COUNT from BIRD" >&2; exit 1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "RESULT bgp $COUNT prefixes into gobgpd, from process start: vipcast-speaker ${speaker_ms} ms" \
  "(manifests, allocation, session, UPDATEs), BIRD ${bird_ms} ms (static routes), ratio" \
  "$(ratio "$speaker_ms" "$bird_ms"); from Established: vipcast-speaker" \
  "$((speaker_ms - speaker_up)) ms, BIRD $((bird_ms - bird_up)) ms (50 ms polling)"
