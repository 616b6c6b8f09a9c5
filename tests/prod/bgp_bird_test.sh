#!/bin/bash
# vipcast-speaker against BIRD 2 in Linux network namespaces: ECMP kernel
# route, graceful restart of a speaker without losing its route, and a
# graceful stop.
#
# usage: bgp_bird_test.sh SPEAKER_BINARY TEST_DIR (tests/prod)
#
# Topology (created here, removed on exit, names unique per run): bridge in
# $P-sw; $P-rtr (10.10.0.1, BIRD AS 64501, merge paths into the kernel,
# graceful restart aware); $P-n1..3 (10.10.0.11-13, one vipcast-speaker
# each, AS 4200000001, enableGracefulRestart). Checks:
#  1. the VIP's kernel route in rtr has the next hops .11 .12 .13; BIRD's
#     routes carry AS_PATH 4200000001 (4-octet), the community 64500:100
#     and the large community 4200000001:7:9;
#  2. SIGKILL of n1's speaker and a new speaker on n1 (RFC 4724: BIRD keeps
#     the stale route, the new process reconnects with the Restart State bit
#     and sends End-of-RIB): .11 never leaves the kernel route, sampled every
#     20 ms, and BIRD's session is back to Established;
#  3. SIGTERM of n2: the route is withdrawn (a Cease is not a restart) and
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
P="vb$$"
NODES="n1 n2 n3"
declare -A IP=([n1]=10.10.0.11 [n2]=10.10.0.12 [n3]=10.10.0.13 [rtr]=10.10.0.1)

netns_require
command -v bird >/dev/null && command -v birdc >/dev/null || netns_skip "bird/birdc not installed"
[ -x "$SPEAKER" ] || { echo "FAIL: $SPEAKER is not executable"; exit 1; }

TMP=$(mktemp -d /tmp/vipcast-bgp-bird.XXXXXX)
cleanup_extra() {
  [ -s "$TMP/bird.pid" ] && kill -9 "$(cat "$TMP/bird.pid")" 2>/dev/null
}
trap netns_cleanup EXIT
trap 'exit 1' INT TERM
birdc_rt() { ip netns exec "$P-rtr" timeout 5 birdc -s "$TMP/bird.ctl" "$@" 2>/dev/null; }
fail() {
  echo "FAIL: $*"
  echo "---- birdc show protocols"; birdc_rt show protocols
  echo "---- kernel route"; ip -n "$P-rtr" route show "$VIP"
  for n in $NODES; do echo "---- speaker $n log (last 8 lines)"; tail -n 8 "$TMP/$n.log"; done
  exit 1
}
next_hops() { kernel_next_hops "$P-rtr" "$VIP"; }
wait_next_hops() {  # $1 expected, $2 tenths of a second at most
  for _ in $(seq 1 "${2:-150}"); do [ "$(next_hops)" = "$1" ] && return 0; sleep 0.1; done
  return 1
}
start_speaker() {  # NODE [LOG]
  ip netns exec "$P-$1" "$SPEAKER" --node "$1" --manifests "$TMP/manifests" \
    --secret-file "$TMP/secret" --interface eth0 --members "$MEMBERS" \
    --metrics-address none 2>"$TMP/${2:-$1}.log" &
  PID[$1]=$!
}

netns_lan rtr $NODES
ip netns exec "$P-rtr" sysctl -qw net.ipv4.ip_forward=1 net.ipv4.fib_multipath_hash_policy=1

sed "s|RUN|$TMP|" "$TESTDIR/bird/bird.conf" >"$TMP/bird.conf"
ip netns exec "$P-rtr" bird -c "$TMP/bird.conf" -s "$TMP/bird.ctl" -P "$TMP/bird.pid" ||
  fail "bird did not start"
for _ in $(seq 1 50); do birdc_rt show status >/dev/null && break; sleep 0.1; done

mkdir "$TMP/manifests"
cp "$TESTDIR"/l2/manifests/*.yaml "$TESTDIR/bird/peer.yaml" "$TMP/manifests/"
head -c 32 /dev/urandom | base64 >"$TMP/secret"
MEMBERS="${IP[n1]},${IP[n2]},${IP[n3]}"
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

# 2. Graceful restart of n1: kill, start again, sample the route meanwhile.
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

# 3. SIGTERM n2: withdrawn, exit 0.
t0=$(now_ms)
kill -TERM "${PID[n2]}"
wait "${PID[n2]}"
rc=$?
unset "PID[n2]"
[ $rc = 0 ] || fail "n2 exited with $rc after SIGTERM"
wait_next_hops "10.10.0.11 10.10.0.13 " 50 || fail "n2's next hop still there: '$(next_hops)'"
echo "RESULT sigterm n2: next hop gone within $(($(now_ms) - t0)) ms, exit 0"
echo "PASS"
