#!/bin/bash
# What vipcast-speaker's UPDATEs carry, as gobgpd receives them: a 4-octet
# ASN, a standard and a large community, LOCAL_PREF only towards iBGP, and
# IPv6 VIPs over MP-BGP from IPv6 sessions, each with the three nodes as
# ECMP next hops.
#
# usage: bgp_attributes_test.sh SPEAKER_BINARY TEST_DIR (tests/prod)
#
# Topology (created here, removed on exit, names unique per run): bridge in
# $P-sw; $P-rtr (10.10.0.1, fd00:10::1; gobgpd AS 64501, eBGP);
# $P-rtr2 (10.10.0.2; gobgpd AS 4200000001, iBGP); $P-n1..3 (10.10.0.11-13,
# fd00:10::11-13; one vipcast-speaker each, AS 4200000001). Manifests:
# attributes/manifests.yaml.
# Exit: 0 pass, 1 fail, 77 skipped (not root, no `ip netns`, no gobgpd).
set -u
TEST_NAME=bgp_attributes_test
. "$(dirname "$0")/netns_lib.sh"

SPEAKER=${1:?speaker binary}
TESTDIR=${2:?tests/prod directory}
P="va$$"
NODES="n1 n2 n3"
declare -A IP=([n1]=10.10.0.11 [n2]=10.10.0.12 [n3]=10.10.0.13 [rtr]=10.10.0.1 [rtr2]=10.10.0.2)
declare -A IP6=([n1]=fd00:10::11 [n2]=fd00:10::12 [n3]=fd00:10::13 [rtr]=fd00:10::1 [rtr2]=fd00:10::2)

netns_require
command -v gobgpd >/dev/null && command -v gobgp >/dev/null || netns_skip "gobgpd/gobgp not installed"
command -v python3 >/dev/null || netns_skip "python3 is missing"
[ -x "$SPEAKER" ] || { echo "FAIL: $SPEAKER is not executable"; exit 1; }

TMP=$(mktemp -d /tmp/vipcast-bgp-attrs.XXXXXX)
trap netns_cleanup EXIT
trap 'exit 1' INT TERM HUP
gobgp_in() { local ns=$1; shift; ip netns exec "$P-$ns" timeout 5 gobgp "$@" 2>/dev/null; }
fail() {
  echo "FAIL: $*"
  for r in rtr rtr2; do echo "---- $r: gobgp neighbor"; gobgp_in $r neighbor; done
  for n in $NODES; do echo "---- speaker $n log (last 6 lines)"; tail -n 6 "$TMP/$n.log"; done
  exit 1
}

netns_lan rtr rtr2 $NODES

for r in rtr:gobgp-ebgp rtr2:gobgp-ibgp; do
  ip netns exec "$P-${r%%:*}" gobgpd -f "$TESTDIR/attributes/${r#*:}.toml" \
    --api-hosts 127.0.0.1:50051 >"$TMP/${r%%:*}.log" 2>&1 &
done
for r in rtr rtr2; do
  for _ in $(seq 1 50); do gobgp_in $r global >/dev/null && break; sleep 0.1; done
  gobgp_in $r global >/dev/null || fail "gobgpd in $r did not start: $(tail -3 "$TMP/$r.log")"
done

mkdir "$TMP/manifests"
cp "$TESTDIR/attributes/manifests.yaml" "$TMP/manifests/"
head -c 32 /dev/urandom | base64 >"$TMP/secret"
MEMBERS="${IP[n1]},${IP[n2]},${IP[n3]}"
for n in $NODES; do
  ip netns exec "$P-$n" "$SPEAKER" --node "$n" --manifests "$TMP/manifests" \
    --secret-file "$TMP/secret" --interface eth0 --members "$MEMBERS" \
    --metrics-address none 2>"$TMP/$n.log" &
  PID[$n]=$!
done

# The paths of PREFIX in a router's RIB as "nexthop|as_path|communities|
# large|local_pref" lines, sorted (attributes by type code in gobgp's JSON).
paths() {  # ROUTER FAMILY PREFIX
  gobgp_in "$1" global rib -a "$2" "$3" -j | python3 -c '
import json, sys
text = sys.stdin.read().strip()
rib = json.loads(text) if text else {}
out = []
for dest in rib.values():
    for p in dest:
        a = {x["type"]: x for x in p.get("attrs", [])}
        nh = a.get(3, {}).get("nexthop") or a.get(14, {}).get("nexthop", "")
        asp = " ".join(str(n) for s in a.get(2, {}).get("as_paths", []) for n in s.get("asns", []))
        comm = ",".join("%d:%d" % (c >> 16, c & 0xFFFF) for c in a.get(8, {}).get("communities", []))
        large = ",".join("%d:%d:%d" % (v["ASN"], v["LocalData1"], v["LocalData2"])
                         for v in a.get(32, {}).get("value", []))
        lp = a.get(5, {}).get("value", "-")
        out.append("%s|%s|%s|%s|%s" % (nh, asp, comm, large, lp))
for line in sorted(out):
    print(line)'
}
wait_paths() {  # ROUTER FAMILY PREFIX EXPECTED
  for _ in $(seq 1 150); do [ "$(paths "$1" "$2" "$3")" = "$4" ] && return 0; sleep 0.1; done
  return 1
}

want_v4=$(printf '%s\n' "10.10.0.11|4200000001|64500:100|4200000001:7:9|-" \
  "10.10.0.12|4200000001|64500:100|4200000001:7:9|-" "10.10.0.13|4200000001|64500:100|4200000001:7:9|-")
wait_paths rtr ipv4 10.10.0.240/32 "$want_v4" ||
  fail "eBGP IPv4 paths for 10.10.0.240/32: got
$(paths rtr ipv4 10.10.0.240/32)
want
$want_v4"
echo "RESULT eBGP IPv4: 3 paths (ECMP), AS_PATH 4200000001 (4-octet), communities 64500:100 and" \
  "large 4200000001:7:9, no LOCAL_PREF"

want_v6=$(printf '%s\n' "fd00:10::11|4200000001|64500:100|4200000001:7:9|-" \
  "fd00:10::12|4200000001|64500:100|4200000001:7:9|-" "fd00:10::13|4200000001|64500:100|4200000001:7:9|-")
wait_paths rtr ipv6 fd00:10::f0/128 "$want_v6" ||
  fail "eBGP IPv6 paths for fd00:10::f0/128: got
$(paths rtr ipv6 fd00:10::f0/128)
want
$want_v6"
echo "RESULT eBGP IPv6 (MP_REACH_NLRI): fd00:10::f0/128 via fd00:10::11 ::12 ::13, same attributes"

want_ibgp=$(printf '%s\n' "10.10.0.11||64500:100|4200000001:7:9|150" \
  "10.10.0.12||64500:100|4200000001:7:9|150" "10.10.0.13||64500:100|4200000001:7:9|150")
wait_paths rtr2 ipv4 10.10.0.240/32 "$want_ibgp" ||
  fail "iBGP paths for 10.10.0.240/32: got
$(paths rtr2 ipv4 10.10.0.240/32)
want
$want_ibgp"
echo "RESULT iBGP: 3 paths, empty AS_PATH, LOCAL_PREF 150, the same communities"
# The IPv6 VIP is not sent over IPv4 sessions (no dualStackAddressFamily).
[ -z "$(paths rtr ipv6 fd00:10::f0/128 | grep -v '^fd00:10::')" ] ||
  fail "IPv6 VIP arrived with an IPv4 next hop"
echo "PASS"
