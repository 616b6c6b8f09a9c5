#!/bin/bash
# vipcast-speaker against BIRD 2 in Linux network namespaces: ECMP kernel
# route, path attributes, LOCAL_PREF on iBGP only, IPv6 over MP-BGP, TCP-MD5,
# graceful restart of a speaker without losing its route, and a graceful
# stop.
#
# usage: bgp_bird_test.sh SPEAKER_BINARY TEST_DIR (tests/prod)
#
# Topology (created here, removed on exit, names unique per run): bridge in
# $P-sw; $P-rtr (BIRD: AS 64501 on 10.10.0.1 and fd00:10::1, AS 4200000001
# on 10.10.0.2 port 1179 for iBGP, merge paths into the kernel, graceful restart
# aware, TCP-MD5 password on every session); $P-n1..3 (10.10.0.11-13,
# fd00:10::11-13, one vipcast-speaker each, AS 4200000001,
# enableGracefulRestart on the IPv4 eBGP session, IPv6 and iBGP sessions
# too); $P-n4 and $P-n5 (10.10.0.14-15, IPv4 eBGP only, n4 with a wrong
# TCP-MD5 password, n5 with none).
# Manifests: l2/manifests/{pool,web}.yaml and bird/{nodes,peer}.yaml, bgp/v6.yaml.
# Checks:
#  1. the VIP's kernel route in rtr has the next hops .11 .12 .13; BIRD's
#     routes carry AS_PATH 4200000001 (4-octet), the community 64500:100
#     and the large community 4200000001:7:9;
#  2. LOCAL_PREF (RFC 4271 5.1.5): BIRD's iBGP table has the VIP from the
#     three nodes with bgp_local_pref 150 (the advertisement's localPref);
#     the eBGP routes have BIRD's own default 100 although BIRD would keep
#     one the speaker sent ("allow bgp_local_pref");
#  3. IPv6 over MP-BGP (RFC 4760): fd00:10::f0/128 in BIRD with AS_PATH
#     4200000001 and in rtr's kernel via fd00:10::11 ::12 ::13;
#  4. TCP-MD5 (RFC 2385): n1-n3 establish with the right password on all
#     their sessions; n4 (wrong password) and n5 (none) are never
#     Established in 3 s of samples, and the kernel in rtr counts
#     TcpExtTCPMD5Failure (n4) and TcpExtTCPMD5NotFound (n5);
#  5. SIGKILL of n1's speaker and a new speaker on n1 (RFC 4724: BIRD keeps
#     the stale route, the new process reconnects with the Restart State bit
#     and sends End-of-RIB): .11 never leaves the kernel route, sampled every
#     20 ms, and BIRD's session is back to Established;
#  6. SIGTERM of n2: the route is withdrawn (a Cease is not a restart) and
#     the process exits 0.
# Times are printed, not asserted; every wait is bounded.
#
# Exit: 0 pass, 1 fail, 77 skipped (not root, no `ip netns`, no BIRD).
set -u
TEST_NAME=bgp_bird_test
. "$(dirname "$0")/netns_lib.sh"

SPEAKER=${1:?speaker binary}
TESTDIR=${2:?tests/prod directory}
VIP=10.10.0.240
VIP6=fd00:10::f0
P="vb$$"
NODES="n1 n2 n3 n4 n5"
declare -A IP=([n1]=10.10.0.11 [n2]=10.10.0.12 [n3]=10.10.0.13 [n4]=10.10.0.14 [n5]=10.10.0.15
  [rtr]=10.10.0.1)
declare -A IP6=([n1]=fd00:10::11 [n2]=fd00:10::12 [n3]=fd00:10::13 [rtr]=fd00:10::1)

netns_require
command -v bird >/dev/null && command -v birdc >/dev/null || netns_skip "bird/birdc not installed"
command -v nstat >/dev/null || netns_skip "nstat (iproute2) is missing"
[ -x "$SPEAKER" ] || { echo "FAIL: $SPEAKER is not executable"; exit 1; }

TMP=$(mktemp -d /tmp/vipcast-bgp-bird.XXXXXX)
cleanup_extra() {
  [ -s "$TMP/bird.pid" ] && kill -9 "$(cat "$TMP/bird.pid")" 2>/dev/null
}
trap netns_cleanup EXIT
trap 'exit 1' INT TERM HUP
birdc_rt() { ip netns exec "$P-rtr" timeout 5 birdc -s "$TMP/bird.ctl" "$@" 2>/dev/null; }
fail() {
  echo "FAIL: $*"
  echo "---- birdc show protocols"; birdc_rt show protocols
  echo "---- kernel routes"; ip -n "$P-rtr" route show "$VIP"; ip -n "$P-rtr" -6 route show "$VIP6"
  for n in $NODES; do echo "---- speaker $n log (last 8 lines)"; tail -n 8 "$TMP/$n.log"; done
  exit 1
}
next_hops() { kernel_next_hops "$P-rtr" "$VIP"; }
next_hops6() {
  ip -n "$P-rtr" -6 route show "$VIP6" | grep -o 'via [0-9a-f:]*' | awk '{print $2}' | sort |
    tr '\n' ' '
}
# The kernel's TCP-MD5 drop counter NAME (TcpExtTCPMD5...) in rtr.
md5_counter() {
  ip netns exec "$P-rtr" nstat -asz "$1" 2>/dev/null |
    awk -v n="$1" '$1 == n { v = $2 } END { print v + 0 }'
}
wait_next_hops() {  # $1 expected, $2 tenths of a second at most
  for _ in $(seq 1 "${2:-150}"); do [ "$(next_hops)" = "$1" ] && return 0; sleep 0.1; done
  return 1
}
start_speaker() {  # NODE [LOG]
  ip netns exec "$P-$1" "$SPEAKER" --node "$1" --manifests "$TMP/$1.manifests" \
    --secret-file "$TMP/secret" --interface eth0 --members "$MEMBERS" \
    --metrics-address none 2>"$TMP/${2:-$1}.log" &
  PID[$1]=$!
}

netns_lan rtr $NODES
ip netns exec "$P-rtr" sysctl -qw net.ipv4.ip_forward=1 net.ipv4.fib_multipath_hash_policy=1
ip -n "$P-rtr" addr add 10.10.0.2/24 dev eth0  # BIRD's iBGP side

sed "s|RUN|$TMP|" "$TESTDIR/bird/bird.conf" >"$TMP/bird.conf"
ip netns exec "$P-rtr" bird -c "$TMP/bird.conf" -s "$TMP/bird.ctl" -P "$TMP/bird.pid" ||
  fail "bird did not start"
for _ in $(seq 1 50); do birdc_rt show status >/dev/null && break; sleep 0.1; done

for n in $NODES; do
  mkdir "$TMP/$n.manifests"
  cp "$TESTDIR/l2/manifests/pool.yaml" "$TESTDIR/l2/manifests/web.yaml" "$TESTDIR/bird/nodes.yaml" \
    "$TESTDIR/bgp/v6.yaml" "$TMP/$n.manifests/"
  case $n in
    n4) sed "s/PASSWORD/not-the-password/" "$TESTDIR/bird/peer.yaml" ;;
    n5) grep -v "password: PASSWORD" "$TESTDIR/bird/peer.yaml" ;;
    *) sed "s/PASSWORD/vipcast-md5/" "$TESTDIR/bird/peer.yaml" ;;
  esac >"$TMP/$n.manifests/peer.yaml"
done
head -c 32 /dev/urandom | base64 >"$TMP/secret"
MEMBERS="${IP[n1]},${IP[n2]},${IP[n3]},${IP[n4]},${IP[n5]}"
failure0=$(md5_counter TcpExtTCPMD5Failure)
notfound0=$(md5_counter TcpExtTCPMD5NotFound)
t0=$(now_ms)
for n in $NODES; do start_speaker "$n"; done

# 1. ECMP kernel route.
wait_next_hops "10.10.0.11 10.10.0.12 10.10.0.13 " ||
  fail "expected next hops .11 .12 .13 for $VIP in rtr's kernel, got '$(next_hops)'"
echo "RESULT start: $VIP via 10.10.0.11 10.10.0.12 10.10.0.13 in rtr's kernel" \
  "$(($(now_ms) - t0)) ms after start"
routes=$(birdc_rt show route for "$VIP/32" all)
for want in "BGP.as_path: 4200000001" "BGP.community: (64500,100)" \
  "BGP.large_community: (4200000001, 7, 9)"; do
  n=$(grep -cF "$want" <<<"$routes")
  [ "$n" = 3 ] || fail "BIRD shows '$want' on $n of 3 routes:
$routes"
done
echo "RESULT attributes at BIRD: AS_PATH 4200000001, community (64500,100), large community" \
  "(4200000001, 7, 9) on all 3 routes"

# 2. LOCAL_PREF (RFC 4271 5.1.5): the iBGP session carries the
# advertisement's 150; the eBGP sessions carry none, so BIRD (which would
# keep one, "allow bgp_local_pref") gives their routes its default 100.
ibgp=""
for _ in $(seq 1 100); do
  ibgp=$(birdc_rt show route for "$VIP/32" table ibgp4 all)
  [ "$(grep -c 'BGP.local_pref: 150' <<<"$ibgp")" = 3 ] && break
  sleep 0.1
done
[ "$(grep -c 'BGP.local_pref: 150' <<<"$ibgp")" = 3 ] ||
  fail "BIRD's iBGP table lacks 3 routes for $VIP with bgp_local_pref 150:
$ibgp"
ibgp_hops=$(grep -o 'BGP.next_hop: [0-9.]*' <<<"$ibgp" | awk '{print $2}' | sort | tr '\n' ' ')
[ "$ibgp_hops" = "10.10.0.11 10.10.0.12 10.10.0.13 " ] ||
  fail "iBGP next hops for $VIP are '$ibgp_hops', want .11 .12 .13"
[ "$(grep -c 'BGP.as_path: *$' <<<"$ibgp")" = 3 ] ||
  fail "iBGP routes for $VIP do not all have an empty AS_PATH:
$ibgp"
ebgp_lp=$(grep -o 'BGP.local_pref: [0-9]*' <<<"$routes" | sort | uniq -c | awk '{print $1 "x" $3}')
[ "$ebgp_lp" = 3x100 ] ||
  fail "eBGP routes for $VIP carry local_pref '$ebgp_lp', want 3x100 (none sent):
$routes"
echo "RESULT local pref at BIRD: iBGP (10.10.0.2) routes via .11 .12 .13 with bgp_local_pref 150" \
  "and an empty AS_PATH; eBGP routes with BIRD's default 100 (no LOCAL_PREF received)"

# 3. IPv6 over MP-BGP: the IPv6 VIP in BIRD and as an ECMP kernel route.
for _ in $(seq 1 150); do
  [ "$(next_hops6)" = "fd00:10::11 fd00:10::12 fd00:10::13 " ] && break
  sleep 0.1
done
[ "$(next_hops6)" = "fd00:10::11 fd00:10::12 fd00:10::13 " ] ||
  fail "expected next hops fd00:10::11 ::12 ::13 for $VIP6 in rtr's kernel, got '$(next_hops6)'"
routes6=$(birdc_rt show route for "$VIP6/128" all)
for want in "BGP.as_path: 4200000001" "BGP.community: (64500,100)" "BGP.local_pref: 100"; do
  n=$(grep -cF "$want" <<<"$routes6")
  [ "$n" = 3 ] || fail "BIRD shows '$want' on $n of 3 IPv6 routes:
$routes6"
done
echo "RESULT IPv6 (MP_REACH_NLRI): $VIP6/128 via fd00:10::11 ::12 ::13 in rtr's kernel;" \
  "AS_PATH 4200000001, community (64500,100), no LOCAL_PREF at BIRD"

# 4. TCP-MD5: every session of n1-n3 (right password) is Established; n4's
# (wrong password) and n5's (none) never are, and the kernel drops their
# segments (a bad signature, a missing one).
for p in n1 n2 n3 n1v6 n2v6 n3v6 i1 i2 i3; do
  birdc_rt show protocols "$p" | grep -q Established || fail "BIRD's session $p is not Established"
done
for _ in $(seq 1 30); do  # 3 s at 100 ms; the speakers retry every second
  birdc_rt show protocols n4 | grep -q Established && fail "n4 got in with a wrong TCP-MD5 password"
  birdc_rt show protocols n5 | grep -q Established && fail "n5 got in without a TCP-MD5 password"
  sleep 0.1
done
for n in n4 n5; do
  ! grep -q '"to":"Established"' "$TMP/$n.log" || fail "$n's speaker reached Established"
done
failure1=$(md5_counter TcpExtTCPMD5Failure)
notfound1=$(md5_counter TcpExtTCPMD5NotFound)
[ "$failure1" -gt "$failure0" ] ||
  fail "TcpExtTCPMD5Failure in rtr did not move ($failure0 -> $failure1)"
[ "$notfound1" -gt "$notfound0" ] ||
  fail "TcpExtTCPMD5NotFound in rtr did not move ($notfound0 -> $notfound1)"
states=$(birdc_rt show protocols | awk '$1 == "n4" || $1 == "n5" { print $1, $6 }' | tr '\n' ' ')
echo "RESULT md5: 9 sessions of n1-n3 Established with the password; n4 (wrong password) and n5" \
  "(none) not Established in 3 s (BIRD: $states); rtr's TcpExtTCPMD5Failure" \
  "$failure0 -> $failure1, TcpExtTCPMD5NotFound $notfound0 -> $notfound1"

# 5. Graceful restart of n1: kill, start again, sample the route meanwhile.
t0=$(now_ms)
kill -9 "${PID[n1]}"
wait "${PID[n1]}" 2>/dev/null
unset "PID[n1]"
lost=0
samples=0
sample() {
  samples=$((samples + 1))
  case "$(next_hops)" in *10.10.0.11*) ;; *) lost=$((lost + 1)) ;; esac
}
for _ in $(seq 1 25); do sample; sleep 0.02; done  # down for 0.5 s, as a restarting pod
start_speaker n1 n1.restarted
up=""
for _ in $(seq 1 300); do  # up to 6 s at 20 ms
  sample
  if grep -q '"to":"Established"' "$TMP/n1.restarted.log" &&
    birdc_rt show protocols n1 | grep -q Established; then
    up=$(now_ms)
    break
  fi
  sleep 0.02
done
[ -n "$up" ] || fail "n1's new speaker did not re-establish with BIRD within 6 s"
for _ in $(seq 1 50); do sample; sleep 0.02; done  # and 1 s after (End-of-RIB, stale flush)
[ "$lost" = 0 ] || fail ".11 left the kernel route in $lost of $samples samples during the restart"
# BIRD ran the restart as a graceful one (it logs the peer's restart).
grep -qi 'graceful restart' "$TMP/bird.log" ||
  fail "BIRD did not log a graceful restart for n1"
wait_next_hops "10.10.0.11 10.10.0.12 10.10.0.13 " 30 || fail "after the restart: '$(next_hops)'"
echo "RESULT graceful restart n1: session back $((up - t0)) ms after SIGKILL;" \
  ".11 stayed in the kernel route in all $samples samples (20 ms apart)"

# 6. SIGTERM n2: withdrawn, exit 0.
t0=$(now_ms)
kill -TERM "${PID[n2]}"
wait "${PID[n2]}"
rc=$?
unset "PID[n2]"
[ $rc = 0 ] || fail "n2 exited with $rc after SIGTERM"
wait_next_hops "10.10.0.11 10.10.0.13 " 50 || fail "n2's next hop still there: '$(next_hops)'"
echo "RESULT sigterm n2: next hop gone within $(($(now_ms) - t0)) ms, exit 0"
echo "PASS"
