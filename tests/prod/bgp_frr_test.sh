#!/bin/bash
# vipcast-speaker against FRR 8.4 (zebra, bgpd, bfdd) in Linux network
# namespaces: TCP-MD5, BFD, the kernel's ECMP routes (IPv4, and IPv6 over
# MP-BGP), failure detection by BFD and by the hold timer, graceful restart,
# and LOCAL_PREF over iBGP.
#
# usage: bgp_frr_test.sh SPEAKER_BINARY TEST_DIR (tests/prod)
#
# Topology (created here, removed on exit, names unique per run): bridge in
# $P-sw; $P-rtr (10.10.0.1, fd00:10::1, FRR AS 64501, ip_forward, per-flow
# multipath hash); $P-n1..4 (10.10.0.11-14, fd00:10::11-14, one
# vipcast-speaker each, AS 4200000001, IPv4 and IPv6 sessions); $P-n5
# (10.10.0.15, AS 64501: iBGP, started last). Every peering has the TCP-MD5
# password vipcast-md5, except that n3 is given a wrong one; n1 and n3 also
# run BFD (100 ms x 3) on IPv4, n2 does not, n4 peers with graceful restart
# (FRR as helper). Manifests: l2/manifests/{pool,web}.yaml,
# frr/{nodes,peers}.yaml, bgp/v6.yaml.
# Checks:
#  1. the VIP's route in rtr's kernel has exactly the next hops .11, .12 and
#     .14 (ECMP through zebra); n3 never gets a session and the kernel counts
#     TCP-MD5 failures; bgpd's paths carry AS_PATH 4200000001 (4-octet), the
#     community 64500:100 and the large community 4200000001:7:9;
#  1b. IPv6 over MP-BGP (RFC 4760): fd00:10::f0/128 in rtr's kernel via
#     fd00:10::11 ::12 ::14; bgpd's paths carry AS_PATH 4200000001;
#  2. FRR sees the BFD session to n1 up;
#  3. SIGSTOP of n1's speaker: FRR's BFD session goes down, bgpd resets the
#     session ("BFD down") and the .11 next hop leaves the kernel route;
#     SIGCONT: it comes back;
#  4. SIGSTOP of n2's speaker (no BFD): the hold timer (3 s) expires and the
#     .12 next hop leaves the route;
#  5. SIGKILL of n4's speaker and a new one 0.5 s later: with graceful
#     restart FRR keeps n4's path, so .14 never leaves the kernel route
#     (sampled every 20 ms) while the new speaker reconnects.
#  6. n2's link taken down (no BFD): the hold timer expires, .12 leaves;
#  7. SIGTERM of n1's speaker: it withdraws, sends Cease and takes its BFD
#     session AdminDown; .11 leaves the kernel route (printed; the issue's
#     target is 1 s) and it exits 0. (FRR 8.4 acts on the BFD AdminDown
#     first and logs 'BFD down received'.)
#  8. n5's speaker starts and peers over iBGP: bgpd's path from n5 carries
#     LOCAL_PREF 150 (the advertisement's localPref) and is internal, the
#     eBGP path from n4 has none (FRR ignores one from eBGP anyway, RFC 4271
#     5.1.5; gobgpd and BIRD check that none is sent); the kernel route
#     follows bgpd's new best path, .15 alone.
# Times are printed, not asserted; every wait is bounded.
#
# Exit: 0 pass, 1 fail, 77 skipped (not root, no `ip netns`, no FRR).
set -u
TEST_NAME=bgp_frr_test
. "$(dirname "$0")/netns_lib.sh"

SPEAKER=${1:?speaker binary}
TESTDIR=${2:?tests/prod directory}
VIP=10.10.0.240
VIP6=fd00:10::f0
P="vf$$"
NODES="n1 n2 n3 n4 n5"
FRR=/usr/lib/frr
declare -A IP=([n1]=10.10.0.11 [n2]=10.10.0.12 [n3]=10.10.0.13 [n4]=10.10.0.14 [n5]=10.10.0.15
  [rtr]=10.10.0.1)
declare -A IP6=([n1]=fd00:10::11 [n2]=fd00:10::12 [n3]=fd00:10::13 [n4]=fd00:10::14
  [rtr]=fd00:10::1)

netns_require
[ -x "$FRR/bgpd" ] && [ -x "$FRR/zebra" ] && [ -x "$FRR/bfdd" ] && command -v vtysh >/dev/null ||
  netns_skip "FRR (zebra, bgpd, bfdd, vtysh) not installed"
id frr >/dev/null 2>&1 || netns_skip "no frr user (FRR's package creates it)"
[ -x "$SPEAKER" ] || { echo "FAIL: $SPEAKER is not executable"; exit 1; }

TMP=$(mktemp -d /tmp/vipcast-bgp-frr.XXXXXX)
RUN=$TMP/frr
chmod 711 "$TMP"  # FRR drops to user frr, which must reach $RUN
cleanup_extra() {
  for d in zebra bgpd bfdd; do
    [ -s "$RUN/$d.pid" ] && kill -9 "$(cat "$RUN/$d.pid")" 2>/dev/null
  done
}
trap netns_cleanup EXIT
trap 'exit 1' INT TERM HUP
vty() { ip netns exec "$P-rtr" timeout 5 vtysh --vty_socket "$RUN" "$@" 2>/dev/null; }
fail() {
  echo "FAIL: $*"
  echo "---- show bgp summary"; vty -c "show bgp ipv4 unicast summary"
  echo "---- show bfd peers brief"; vty -c "show bfd peers brief"
  echo "---- kernel routes"; ip -n "$P-rtr" route show "$VIP"; ip -n "$P-rtr" -6 route show "$VIP6"
  for n in $NODES; do echo "---- speaker $n log (last 8 lines)"; tail -n 8 "$TMP/$n.log"; done
  exit 1
}
next_hops() { kernel_next_hops "$P-rtr" "$VIP"; }
next_hops6() {
  ip -n "$P-rtr" -6 route show "$VIP6" | grep -o 'via [0-9a-f:]*' | awk '{print $2}' | sort |
    tr '\n' ' '
}
wait_next_hops() {  # $1 expected, $2 tenths of a second at most
  for _ in $(seq 1 "${2:-150}"); do [ "$(next_hops)" = "$1" ] && return 0; sleep 0.1; done
  return 1
}
md5_failures() {
  ip netns exec "$P-rtr" nstat -az TcpExtTCPMD5Failure TcpExtTCPMD5NotFound 2>/dev/null |
    awk '/TcpExtTCPMD5/ { s += $2 } END { print s + 0 }'
}
# bgpd's reason for the last reset of a neighbor, from its JSON:
# "BGP Notification send / Cease/BFD Down / 060A".
last_reset() {
  vty -c "show bgp neighbors $1 json" | python3 -c '
import json, sys
d = json.load(sys.stdin)
n = next(iter(d.values()), {})
print(n.get("lastResetDueTo", ""), n.get("lastNotificationReason", ""),
      n.get("lastErrorCodeSubcode", ""), sep=" / ")'
}

netns_lan rtr $NODES
ip netns exec "$P-rtr" sysctl -qw net.ipv4.ip_forward=1 net.ipv4.fib_multipath_hash_policy=1

# FRR without systemd: daemons with an empty config, then the integrated
# config through vtysh (see ../shared/docs/interop-peers.md).
mkdir -p "$RUN" && chown frr:frr "$RUN" && : >"$RUN/empty.conf"
COMMON=(-d -f "$RUN/empty.conf" --vty_socket "$RUN" -z "$RUN/zserv.api" -u frr -g frr -A 127.0.0.1)
ip netns exec "$P-rtr" "$FRR/zebra" "${COMMON[@]}" -i "$RUN/zebra.pid" --log "file:$RUN/zebra.log" ||
  fail "zebra did not start"
for _ in $(seq 1 50); do [ -S "$RUN/zserv.api" ] && break; sleep 0.1; done
ip netns exec "$P-rtr" "$FRR/bfdd" "${COMMON[@]}" -i "$RUN/bfdd.pid" --bfdctl "$RUN/bfdd.sock" \
  --log "file:$RUN/bfdd.log" || fail "bfdd did not start"
ip netns exec "$P-rtr" "$FRR/bgpd" "${COMMON[@]}" -i "$RUN/bgpd.pid" --log "file:$RUN/bgpd.log" ||
  fail "bgpd did not start"
vty -f "$TESTDIR/frr/frr.conf" >/dev/null || fail "vtysh could not apply frr.conf"

head -c 32 /dev/urandom | base64 >"$TMP/secret"
MEMBERS="${IP[n1]},${IP[n2]},${IP[n3]},${IP[n4]},${IP[n5]}"
for n in $NODES; do
  mkdir "$TMP/$n.manifests"
  cp "$TESTDIR/l2/manifests/pool.yaml" "$TESTDIR/l2/manifests/web.yaml" "$TESTDIR/frr/nodes.yaml" \
    "$TESTDIR/bgp/v6.yaml" "$TMP/$n.manifests/"
  password=vipcast-md5
  [ "$n" = n3 ] && password=not-the-password
  sed "s/PASSWORD/$password/" "$TESTDIR/frr/peers.yaml" >"$TMP/$n.manifests/peers.yaml"
done
start_speaker() {  # NODE [LOG]
  ip netns exec "$P-$1" "$SPEAKER" --node "$1" --manifests "$TMP/$1.manifests" \
    --secret-file "$TMP/secret" --interface eth0 --members "$MEMBERS" \
    --metrics-address none 2>"$TMP/${2:-$1}.log" &
  PID[$1]=$!
}
t0=$(now_ms)
for n in n1 n2 n3 n4; do start_speaker "$n"; done  # n5 (iBGP) comes in step 8

# 1. ECMP route through zebra; n3's wrong password keeps it out.
wait_next_hops "10.10.0.11 10.10.0.12 10.10.0.14 " ||
  fail "expected next hops .11 .12 .14 for $VIP in rtr's kernel, got '$(next_hops)'"
t1=$(now_ms)
sleep 2  # n3 retries every second: give it time to (wrongly) succeed
[ "$(next_hops)" = "10.10.0.11 10.10.0.12 10.10.0.14 " ] ||
  fail "n3 got in with a wrong password: '$(next_hops)'"
md5=$(md5_failures)
[ "$md5" -gt 0 ] || fail "the kernel counted no TCP-MD5 failure for n3's connections"
echo "RESULT start: $VIP via 10.10.0.11 10.10.0.12 10.10.0.14 in rtr's kernel $((t1 - t0)) ms" \
  "after start; n3 (wrong password) kept out, $md5 TCP-MD5 failures counted"
# Path attributes as bgpd received them: "aspath|communities|large" per path.
attrs=$(vty -c "show bgp ipv4 unicast $VIP/32 json" | python3 -c '
import json, sys
d = json.load(sys.stdin)
for p in d.get("paths", []):
    print("%s|%s|%s" % (p.get("aspath", {}).get("string", ""), p.get("community", {}).get("string", ""),
                        p.get("largeCommunity", {}).get("string", "")))' | sort -u)
[ "$attrs" = "4200000001|64500:100|4200000001:7:9" ] ||
  fail "bgpd's paths for $VIP carry '$attrs', want 4200000001|64500:100|4200000001:7:9"
echo "RESULT attributes at bgpd: AS_PATH 4200000001 (4-octet), community 64500:100," \
  "large community 4200000001:7:9 on every path"

# 1b. IPv6 over MP-BGP: the IPv6 VIP through zebra, from the same three.
for _ in $(seq 1 150); do
  [ "$(next_hops6)" = "fd00:10::11 fd00:10::12 fd00:10::14 " ] && break
  sleep 0.1
done
[ "$(next_hops6)" = "fd00:10::11 fd00:10::12 fd00:10::14 " ] ||
  fail "expected next hops fd00:10::11 ::12 ::14 for $VIP6 in rtr's kernel, got '$(next_hops6)'"
attrs6=$(vty -c "show bgp ipv6 unicast $VIP6/128 json" | python3 -c '
import json, sys
d = json.load(sys.stdin)
for p in d.get("paths", []):
    hops = ",".join(h.get("ip", "") for h in p.get("nexthops", [])
                    if h.get("scope") != "link-local")
    print("%s|%s|%s" % (hops, p.get("aspath", {}).get("string", ""),
                        p.get("community", {}).get("string", "")))' | sort)
want6=$(printf '%s\n' "fd00:10::11|4200000001|64500:100" "fd00:10::12|4200000001|64500:100" \
  "fd00:10::14|4200000001|64500:100")
[ "$attrs6" = "$want6" ] || fail "bgpd's IPv6 paths for $VIP6: got
$attrs6
want
$want6"
echo "RESULT IPv6 (MP_REACH_NLRI): $VIP6/128 via fd00:10::11 ::12 ::14 in rtr's kernel;" \
  "bgpd's paths carry AS_PATH 4200000001 and community 64500:100"

# 2. BFD with n1 is up in FRR.
for _ in $(seq 1 50); do
  vty -c "show bfd peer 10.10.0.11 json" | grep -q '"status":"up"' && break
  sleep 0.1
done
vty -c "show bfd peer 10.10.0.11 json" | grep -q '"status":"up"' ||
  fail "FRR's BFD session with n1 is not up"
echo "RESULT bfd: FRR's BFD session with n1 is up"

# 3. SIGSTOP n1: BFD (300 ms) takes the session down, not the hold timer.
t0=$(now_ms)
kill -STOP "${PID[n1]}"
wait_next_hops "10.10.0.12 10.10.0.14 " 50 || fail "n1's next hop still there: '$(next_hops)'"
t1=$(now_ms)
reason=$(last_reset 10.10.0.11)
case "$reason" in *"BFD Down"*) ;; *) fail "bgpd reset n1's session for '$reason', expected BFD down" ;; esac
echo "RESULT sigstop n1 (BFD): next hop gone from rtr's kernel within $((t1 - t0)) ms; bgpd: '$reason'"
kill -CONT "${PID[n1]}"
wait_next_hops "10.10.0.11 10.10.0.12 10.10.0.14 " 200 || fail "n1 did not come back: '$(next_hops)'"
echo "RESULT sigcont n1: next hop back within $(($(now_ms) - t1)) ms"

# 4. SIGSTOP n2 (no BFD): the 3 s hold timer expires.
t0=$(now_ms)
kill -STOP "${PID[n2]}"
wait_next_hops "10.10.0.11 10.10.0.14 " 80 || fail "n2's next hop still there: '$(next_hops)'"
t1=$(now_ms)
reason=$(last_reset 10.10.0.12)
case "$reason" in *"Hold Timer Expired"*) ;; *) fail "bgpd reset n2's session for '$reason', expected hold timer expiry" ;; esac
echo "RESULT sigstop n2 (hold 3 s): next hop gone within $((t1 - t0)) ms; bgpd: '$reason'"
kill -CONT "${PID[n2]}"

# 5. Graceful restart of n4: kill, start again, sample the route meanwhile.
t0=$(now_ms)
kill -9 "${PID[n4]}"
wait "${PID[n4]}" 2>/dev/null
unset "PID[n4]"
lost=0
samples=0
sample() {
  samples=$((samples + 1))
  case "$(next_hops)" in *10.10.0.14*) ;; *) lost=$((lost + 1)) ;; esac
}
for _ in $(seq 1 25); do sample; sleep 0.02; done  # down for 0.5 s, as a restarting pod
start_speaker n4 n4.restarted
up=""
for _ in $(seq 1 300); do
  sample
  if grep -q '"to":"Established"' "$TMP/n4.restarted.log"; then up=$(now_ms); break; fi
  sleep 0.02
done
[ -n "$up" ] || fail "n4's new speaker did not re-establish with FRR"
for _ in $(seq 1 50); do sample; sleep 0.02; done  # and after (End-of-RIB, stale flush)
[ "$lost" = 0 ] || fail ".14 left the kernel route in $lost of $samples samples during n4's restart"
case "$(next_hops)" in *10.10.0.14*) ;; *) fail "after n4's restart: '$(next_hops)'" ;; esac
echo "RESULT graceful restart n4: session back $((up - t0)) ms after SIGKILL;" \
  ".14 stayed in the kernel route in all $samples samples (20 ms apart)"

# 6. n2 (back since its SIGCONT) loses its link: only the hold timer can tell.
wait_next_hops "10.10.0.11 10.10.0.12 10.10.0.14 " 200 || fail "n2 did not come back: '$(next_hops)'"
t0=$(now_ms)
ip -n "$P-n2" link set eth0 down
wait_next_hops "10.10.0.11 10.10.0.14 " 80 || fail "n2's next hop still there after its link went down"
reason=$(last_reset 10.10.0.12)
case "$reason" in *"Hold Timer Expired"*) ;; *) fail "bgpd reset n2's session for '$reason' after its link went down" ;; esac
echo "RESULT link down n2 (hold 3 s): next hop gone within $(($(now_ms) - t0)) ms; bgpd: '$reason'"

# 7. Graceful shutdown of n1.
# The next hop is watched from the signal on (the speaker withdraws first,
# then finishes its membership leave and exits), and the exit timed apart.
t0=$(now_ms)
kill -TERM "${PID[n1]}"
wait_next_hops "10.10.0.14 " 50 || fail "n1's next hop still there after SIGTERM: '$(next_hops)'"
t_gone=$(($(now_ms) - t0))
wait "${PID[n1]}"
rc=$?
t_exit=$(($(now_ms) - t0))
unset "PID[n1]"
[ $rc = 0 ] || fail "n1 exited with $rc after SIGTERM"
reason=$(last_reset 10.10.0.11)
echo "RESULT sigterm n1: next hop gone within $t_gone ms, exit 0 after $t_exit ms; bgpd: '$reason'"

# 8. iBGP from n5: LOCAL_PREF 150 arrives on that session only; its path
# becomes bgpd's best (150 > 100, compared before AS_PATH length).
start_speaker n5
wait_next_hops "10.10.0.15 " 150 ||
  fail "the iBGP path from n5 (LOCAL_PREF 150) did not replace .14 in the kernel: '$(next_hops)'"
lp=$(vty -c "show bgp ipv4 unicast $VIP/32 json" | python3 -c '
import json, sys
d = json.load(sys.stdin)
for p in d.get("paths", []):
    peer = p.get("peer", {})
    print("%s|%s|%s|%s" % (peer.get("peerId", ""), peer.get("type", ""),
                           p.get("locPrf", "-"), p.get("aspath", {}).get("length", "")))' | sort)
want_lp=$(printf '%s\n' "10.10.0.14|external|-|1" "10.10.0.15|internal|150|0")
[ "$lp" = "$want_lp" ] || fail "bgpd's paths for $VIP (peer|type|locPrf|AS_PATH length): got
$lp
want
$want_lp"
echo "RESULT iBGP n5: bgpd's path from 10.10.0.15 is internal with LOCAL_PREF 150 and an empty" \
  "AS_PATH, the eBGP path from .14 has none; the kernel route moved to .15 (best path)"
echo "PASS"
