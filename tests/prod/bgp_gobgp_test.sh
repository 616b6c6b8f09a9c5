#!/bin/bash
# vipcast-speaker against gobgpd in Linux network namespaces.
#
# usage: bgp_gobgp_test.sh SPEAKER_BINARY TEST_DIR (tests/prod)
#
# Topology (created here, removed on exit, names unique per run): bridge in
# $P-sw; $P-rtr (10.10.0.1, gobgpd AS 64501, use-multiple-paths, TCP-MD5
# password on every neighbor); $P-n1..5 (10.10.0.11-15, one vipcast-speaker
# each, AS 64500, dialling the router; n1-n3 with the right TCP-MD5
# password, n4 with a wrong one, n5 with none). Manifests:
# l2/manifests/{pool,web}.yaml, bgp/{nodes,peer}.yaml.
# Checks: the sessions of n1-n3 reach Established; 10.10.0.240/32 is in
# gobgpd's RIB with one path per node (ECMP next hops .11 .12 .13); n4 and
# n5 never reach Established (3 s of samples) and the kernel in rtr counts
# TcpExtTCPMD5Failure (n4) and TcpExtTCPMD5NotFound (n5); n3's /metrics
# says metallb_bgp_session_up 1 and metallb_bgp_announced_prefixes_total 1
# for the peer; SIGTERM of one speaker withdraws its path (Cease) and the
# process exits 0; SIGKILL of another removes its path (the router sees the
# socket close); gobgpd killed: n3's session_up goes to 0. Times are
# printed, not asserted; every wait is bounded.
#
# Exit: 0 pass, 1 fail, 77 skipped (not root, no `ip netns`, no gobgpd).
set -u
TEST_NAME=bgp_gobgp_test
. "$(dirname "$0")/netns_lib.sh"

SPEAKER=${1:?speaker binary}
TESTDIR=${2:?tests/prod directory}
VIP=10.10.0.240
P="vg$$"
NODES="n1 n2 n3 n4 n5"
declare -A IP=([n1]=10.10.0.11 [n2]=10.10.0.12 [n3]=10.10.0.13 [n4]=10.10.0.14 [n5]=10.10.0.15
  [rtr]=10.10.0.1)

netns_require
command -v gobgpd >/dev/null && command -v gobgp >/dev/null || netns_skip "gobgpd/gobgp not installed"
command -v nstat >/dev/null || netns_skip "nstat (iproute2) is missing"
[ -x "$SPEAKER" ] || { echo "FAIL: $SPEAKER is not executable"; exit 1; }

TMP=$(mktemp -d /tmp/vipcast-bgp-gobgp.XXXXXX)
GOBGPD=""
cleanup_extra() {
  [ -n "$GOBGPD" ] && kill -9 "$GOBGPD" 2>/dev/null
}
trap netns_cleanup EXIT
trap 'exit 1' INT TERM HUP
fail() {
  echo "FAIL: $*"
  echo "---- gobgp neighbor"; ip netns exec "$P-rtr" timeout 5 gobgp neighbor
  for n in $NODES; do echo "---- speaker $n log (last 10 lines)"; tail -n 10 "$TMP/$n.log"; done
  exit 1
}
gobgp_rt() { ip netns exec "$P-rtr" timeout 5 gobgp "$@" 2>/dev/null; }
# Next hops of the VIP's paths in gobgpd's RIB, sorted, space separated.
next_hops() {
  gobgp_rt global rib "$VIP/32" | awk 'NR > 1 { for (i = 1; i <= NF; i++)
    if ($i ~ /^10\.10\.0\.1[0-9]$/) print $i }' | sort | tr '\n' ' '
}
wait_next_hops() {  # $1 expected (sorted, space separated, trailing space)
  for _ in $(seq 1 100); do [ "$(next_hops)" = "$1" ] && return 0; sleep 0.1; done
  return 1
}
# $1 node, $2 metric name: its value for peer "rtr" on the node's /metrics.
peer_metric() {
  ip netns exec "$P-$1" bash -c 'exec 3<>/dev/tcp/127.0.0.1/7472 &&
    printf "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" >&3 && cat <&3' \
    2>/dev/null | awk -v n="$2" 'index($0, n "{") == 1 && index($0, "peer=\"rtr\"") { print $NF; exit }'
}
# The kernel's TCP-MD5 drop counter NAME (TcpExtTCPMD5...) in rtr.
md5_counter() {
  ip netns exec "$P-rtr" nstat -asz "$1" 2>/dev/null |
    awk -v n="$1" '$1 == n { v = $2 } END { print v + 0 }'
}
wait_metric() {  # node name value
  for _ in $(seq 1 100); do [ "$(peer_metric "$1" "$2")" = "$3" ] && return 0; sleep 0.1; done
  return 1
}

netns_lan rtr $NODES

ip netns exec "$P-rtr" gobgpd -f "$TESTDIR/bgp/gobgp.toml" --api-hosts 127.0.0.1:50051 \
  >"$TMP/gobgpd.log" 2>&1 &
GOBGPD=$!
for _ in $(seq 1 50); do gobgp_rt global >/dev/null && break; sleep 0.1; done
gobgp_rt global >/dev/null || fail "gobgpd did not start: $(tail -3 "$TMP/gobgpd.log")"

for n in $NODES; do
  mkdir "$TMP/$n.manifests"
  cp "$TESTDIR/l2/manifests/pool.yaml" "$TESTDIR/l2/manifests/web.yaml" "$TESTDIR/bgp/nodes.yaml" \
    "$TMP/$n.manifests/"
  case $n in
    n4) sed "s/PASSWORD/not-the-password/" "$TESTDIR/bgp/peer.yaml" ;;
    n5) grep -v "password: PASSWORD" "$TESTDIR/bgp/peer.yaml" ;;
    *) sed "s/PASSWORD/vipcast-md5/" "$TESTDIR/bgp/peer.yaml" ;;
  esac >"$TMP/$n.manifests/peer.yaml"
done
head -c 32 /dev/urandom | base64 >"$TMP/secret"
MEMBERS="${IP[n1]},${IP[n2]},${IP[n3]},${IP[n4]},${IP[n5]}"
failure0=$(md5_counter TcpExtTCPMD5Failure)
notfound0=$(md5_counter TcpExtTCPMD5NotFound)
t0=$(now_ms)
for n in $NODES; do
  ip netns exec "$P-$n" "$SPEAKER" --node "$n" --manifests "$TMP/$n.manifests" \
    --secret-file "$TMP/secret" --interface eth0 --members "$MEMBERS" \
    --metrics-address 127.0.0.1:7472 2>"$TMP/$n.log" &
  PID[$n]=$!
done

wait_next_hops "10.10.0.11 10.10.0.12 10.10.0.13 " ||
  fail "expected one path per node for $VIP, got next hops '$(next_hops)'"
t1=$(now_ms)
established=$(gobgp_rt neighbor | grep -c Establ)
[ "$established" = 3 ] || fail "$established of 3 sessions Established"
echo "RESULT start: 3 sessions Established, $VIP/32 via 10.10.0.11 10.10.0.12 10.10.0.13" \
  "$((t1 - t0)) ms after the speakers started"

# TCP-MD5 (RFC 2385): the right password established n1-n3 above; a wrong
# one (n4) or none (n5) never gets a session, and gobgpd's kernel drops the
# segments (a bad signature, a missing one).
for _ in $(seq 1 30); do  # 3 s at 100 ms; the speakers retry every second
  n=$(gobgp_rt neighbor | grep -c Establ)
  [ "$n" = 3 ] || fail "$n sessions Established, want 3 (n4 and n5 must stay out)"
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
states=$(gobgp_rt neighbor | awk '$1 == "10.10.0.14" || $1 == "10.10.0.15" { print $1, $4 }' |
  tr '\n' ' ')
echo "RESULT md5: n4 (wrong password) and n5 (none) not Established in 3 s (gobgpd: $states);" \
  "rtr's TcpExtTCPMD5Failure $failure0 -> $failure1, TcpExtTCPMD5NotFound $notfound0 -> $notfound1"
wait_metric n3 metallb_bgp_session_up 1 ||
  fail "n3: metallb_bgp_session_up{peer=rtr} is '$(peer_metric n3 metallb_bgp_session_up)', want 1"
wait_metric n3 metallb_bgp_announced_prefixes_total 1 ||
  fail "n3: metallb_bgp_announced_prefixes_total{peer=rtr} is" \
    "'$(peer_metric n3 metallb_bgp_announced_prefixes_total)', want 1"
echo "RESULT metrics n3: metallb_bgp_session_up 1, metallb_bgp_announced_prefixes_total 1," \
  "metallb_bgp_updates_total $(peer_metric n3 metallb_bgp_updates_total)"

# Graceful: SIGTERM of n1 withdraws its path; the process exits 0.
t0=$(now_ms)
kill -TERM "${PID[n1]}"
wait "${PID[n1]}"
rc=$?
t_exit=$(now_ms)
unset "PID[n1]"
[ $rc = 0 ] || fail "n1 exited with $rc after SIGTERM"
wait_next_hops "10.10.0.12 10.10.0.13 " || fail "n1's path still there: '$(next_hops)'"
t1=$(now_ms)
grep -q '"to":"Idle","reason":"NOTIFICATION sent"' "$TMP/n1.log" ||
  fail "n1 did not send a NOTIFICATION (Cease) on SIGTERM"
echo "RESULT sigterm n1: exit after $((t_exit - t0)) ms; path withdrawn in gobgpd's RIB" \
  "within $((t1 - t0)) ms"

# Crash: SIGKILL of n2; the kernel closes its socket and the router drops the path.
t0=$(now_ms)
kill -9 "${PID[n2]}"
unset "PID[n2]"
wait_next_hops "10.10.0.13 " || fail "n2's path still there: '$(next_hops)'"
t1=$(now_ms)
echo "RESULT sigkill n2: path gone from gobgpd's RIB within $((t1 - t0)) ms"

# The router goes away: n3's session is down in its metrics (the kernel
# closes gobgpd's sockets, or the 3 s hold timer expires).
kill -9 "$GOBGPD"
GOBGPD=""
wait_metric n3 metallb_bgp_session_up 0 ||
  fail "n3: metallb_bgp_session_up{peer=rtr} stays '$(peer_metric n3 metallb_bgp_session_up)' without the router"
echo "RESULT metrics n3 after gobgpd was killed: metallb_bgp_session_up 0"
echo "PASS"
