#!/bin/bash
# A speaker under garbage from every side keeps serving (issue 6: "bad
# packets, peers sending garbage ... logged, counted, never a crash; the
# speaker keeps serving its last good state").
#
# usage: hostile_peers_test.sh SPEAKER_BINARY TEST_DIR (tests/prod)
#
# Topology (created here, removed on exit, names unique per run): bridge in
# $P-sw; $P-n1 (10.10.0.11, the VIP 10.10.0.240/32 on lo, one
# vipcast-speaker announcing it in layer 2 and peering by BGP with
# 10.10.0.1); $P-rtr (10.10.0.1, a fake BGP router in Python that answers
# each of the speaker's connections with one broken message); $P-cli
# (10.10.0.100, sends garbage datagrams and frames).
# Checks:
#  - BGP (RFC 4271 6.1, 6.2): for a bad marker, a length below 19, an
#    unknown type and an OPEN of version 9, the speaker answers with the
#    NOTIFICATION the RFC names (1/1, 1/2, 1/3, 2/1) and reconnects;
#  - membership: 300 random datagrams to its port are dropped and counted
#    (vipcast_membership_dropped_total grows);
#  - ARP: 300 malformed ARP frames (truncated, wrong lengths, bad opcode);
#  - afterwards the process is alive, still answers ARP for the VIP (the
#    client's cache is flushed first) and /metrics still answers.
# Every loop is bounded in count and time.
# Exit: 0 pass, 1 fail, 77 skipped (not root, no `ip netns`, no python3).
set -u
TEST_NAME=hostile_peers_test
. "$(dirname "$0")/netns_lib.sh"

SPEAKER=${1:?speaker binary}
TESTDIR=${2:?tests/prod directory}
VIP=10.10.0.240
P="vh$$"
declare -A IP=([n1]=10.10.0.11 [rtr]=10.10.0.1 [cli]=10.10.0.100)

netns_require
command -v python3 >/dev/null || netns_skip "python3 is missing"
[ -x "$SPEAKER" ] || { echo "FAIL: $SPEAKER is not executable"; exit 1; }
TMP=$(mktemp -d /tmp/vipcast-hostile.XXXXXX)
trap netns_cleanup EXIT
trap 'exit 1' INT TERM HUP
fail() {
  echo "FAIL: $*"
  echo "---- n1 log (tail)"; tail -20 "$TMP/n1.log" 2>/dev/null
  echo "---- fake router"; cat "$TMP/rtr.out" 2>/dev/null
  exit 1
}
metrics() {
  ip netns exec "$P-n1" bash -c 'exec 3<>/dev/tcp/127.0.0.1/7472 &&
    printf "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" >&3 && timeout 2 cat <&3' \
    2>/dev/null
}
dropped() { metrics | awk '$1 ~ /^vipcast_membership_dropped_total/ { s += $2 } END { print s + 0 }'; }

netns_lan rtr n1 cli
ip netns exec "$P-n1" sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.eth0.arp_ignore=1 \
  net.ipv4.conf.all.arp_announce=2 net.ipv4.conf.eth0.arp_announce=2
ip -n "$P-n1" addr add "$VIP/32" dev lo

# The fake router: one broken message per connection of the speaker, and
# what the speaker sent back (the NOTIFICATIONs' code/subcode).
cat >"$TMP/rtr.py" <<'PY'
import socket, struct, sys, time
M = b"\xff" * 16
cases = [
    ("bad marker", b"\x00" * 19, (1, 1)),
    ("length 5", M + struct.pack("!HB", 5, 1), (1, 2)),
    ("type 9", M + struct.pack("!HB", 19, 9), (1, 3)),
    ("OPEN version 9", M + struct.pack("!HB", 29, 1) + bytes([9, 0xFB, 0xF5, 0, 3, 10, 10, 0, 1, 0]), (2, 1)),
]
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("10.10.0.1", 179))
srv.listen(4)
srv.settimeout(30)
ok = 0
for name, payload, want in cases:
    try:
        conn, _ = srv.accept()
    except socket.timeout:
        print("no connection for case", name); break
    conn.settimeout(3)
    try:
        conn.recv(4096)  # the speaker's OPEN
    except socket.timeout:
        pass
    conn.sendall(payload)
    reply, end = b"", time.time() + 3
    while time.time() < end:
        try:
            d = conn.recv(4096)
        except (socket.timeout, ConnectionResetError):
            break
        if not d:
            break
        reply += d
    conn.close()
    notes, i = [], 0
    while i + 19 <= len(reply):
        length, kind = struct.unpack("!HB", reply[i + 16:i + 19])
        if kind == 3 and i + 21 <= len(reply):
            notes.append((reply[i + 19], reply[i + 20]))
        if length < 19:
            break
        i += length
    good = want in notes
    ok += good
    print("case %s: NOTIFICATION %s, want %s: %s" % (name, notes, want, "ok" if good else "WRONG"))
    sys.stdout.flush()
print("cases ok: %d of %d" % (ok, len(cases)))
PY
ip netns exec "$P-rtr" timeout 90 python3 "$TMP/rtr.py" >"$TMP/rtr.out" 2>&1 &
RTR=$!
cleanup_extra() { kill -9 "$RTR" 2>/dev/null; }

mkdir "$TMP/manifests"
cp "$TESTDIR/l2/manifests/pool.yaml" "$TESTDIR/l2/manifests/web.yaml" "$TESTDIR/l2/manifests/nodes.yaml" \
  "$TMP/manifests/"
grep -v "password: PASSWORD" "$TESTDIR/bgp/peer.yaml" >"$TMP/manifests/peer.yaml"
head -c 32 /dev/urandom | base64 >"$TMP/secret"
sleep 0.3  # the fake router listens
ip netns exec "$P-n1" "$SPEAKER" --node n1 --manifests "$TMP/manifests" --secret-file "$TMP/secret" \
  --interface eth0 --members "${IP[n1]}:7946" --metrics-address 127.0.0.1:7472 2>"$TMP/n1.log" &
PID[n1]=$!

# BGP: all four cases, bounded by the fake router's own timeouts.
for _ in $(seq 1 600); do grep -q "cases ok" "$TMP/rtr.out" && break; sleep 0.1; done
cat "$TMP/rtr.out"
grep -q "cases ok: 4 of 4" "$TMP/rtr.out" || fail "the speaker did not answer every broken message as RFC 4271 says"
kill -0 "${PID[n1]}" 2>/dev/null || fail "the speaker died during the BGP cases"

# Membership: random datagrams to 7946.
before=$(dropped)
ip netns exec "$P-cli" python3 - <<'PY'
import os, random, socket
random.seed(7)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(300):
    s.sendto(os.urandom(random.randint(0, 1400)), ("10.10.0.11", 7946))
PY
# ARP: malformed frames from the client's eth0 (broadcast, ARP ethertype).
ip netns exec "$P-cli" python3 - <<'PY'
import os, random, socket, struct
random.seed(8)
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("eth0", 0))
src = s.getsockname()[4]
target = socket.inet_aton("10.10.0.240")
for i in range(300):
    kind = i % 3
    if kind == 0:    # truncated ARP
        body = os.urandom(random.randint(0, 27))
    elif kind == 1:  # bad hardware/protocol lengths
        body = struct.pack("!HHBBH", 1, 0x0800, random.randint(0, 255), random.randint(0, 255), 1) + os.urandom(20)
    else:            # request for the VIP with an unknown opcode
        body = struct.pack("!HHBBH", 1, 0x0800, 6, 4, random.randint(3, 65535)) + src + bytes(4) + bytes(6) + target
    s.send(b"\xff" * 6 + src + b"\x08\x06" + body)
PY
sleep 0.5
kill -0 "${PID[n1]}" 2>/dev/null || fail "the speaker died under garbage datagrams or frames"
after=$(dropped)
[ "$after" -gt "$before" ] 2>/dev/null || fail "vipcast_membership_dropped_total did not grow ($before -> $after)"

# Still serving: the client resolves the VIP to n1 after a flush.
ip -n "$P-cli" neigh flush dev eth0
ip netns exec "$P-cli" ping -c 3 -i 0.2 -W 1 "$VIP" >/dev/null || fail "the client cannot reach $VIP any more"
mac=$(ip -n "$P-cli" neigh show "$VIP" | awk '{print $5}')
want=$(ip -n "$P-n1" -br link show eth0 | awk '{print $3}')
[ "$mac" = "$want" ] || fail "$VIP resolves to '$mac', want n1's $want"
metrics | grep -q '^metallb_layer2_requests_received' || fail "/metrics no longer answers"
echo "RESULT hostile: 4 of 4 broken BGP messages answered with the RFC's NOTIFICATION;" \
  "membership drops $before -> $after after 300 random datagrams; 300 malformed ARP frames;" \
  "the speaker is alive and still answers ARP for $VIP"
