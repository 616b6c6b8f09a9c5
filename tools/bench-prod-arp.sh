#!/bin/bash
# Layer 2 benchmarks of the production vipcast-speaker (issue 6), in network
# namespaces this script creates and removes (root):
#  - ARP reply latency seen from a client: 1000 arping requests 10 ms apart,
#    p50/p99 of the round trip arping reports;
#  - the speaker under 50,000 ARP requests per second for 10 s (a raw-socket
#    generator in the client namespace): requests the speaker counted
#    (metallb_layer2_requests_received), replies the client received, the
#    speaker's CPU (utime+stime over the run) and memory (VmRSS before and
#    after, VmHWM) - no growth expected.
# usage: tools/bench-prod-arp.sh SPEAKER_BINARY [RATE] [SECONDS]
# Prints one RESULT line per measurement; numbers go to reports/benchmarks.md.
set -u
SPEAKER=${1:?speaker binary}
RATE=${2:-50000}
SECONDS_RUN=${3:-10}
VIP=10.10.0.240
P="vr$$"
HERE=$(cd "$(dirname "$0")/.." && pwd)
[ "$(id -u)" = 0 ] || { echo "bench-prod-arp: needs root (network namespaces)" >&2; exit 2; }
command -v arping >/dev/null || { echo "bench-prod-arp: arping is missing" >&2; exit 2; }
TMP=$(mktemp -d /tmp/vipcast-bench-arp.XXXXXX)
CREATED=()
SPID=""
cleanup() {
  [ -n "$SPID" ] && kill -9 "$SPID" 2>/dev/null
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
for h in n1:10.10.0.11 cli:10.10.0.100; do
  name=${h%%:*}
  addns "$P-$name"
  ip -n "$P-sw" link add "v-$name" type veth peer name eth0 netns "$P-$name"
  ip -n "$P-sw" link set "v-$name" master br0 up
  ip -n "$P-$name" link set lo up
  ip -n "$P-$name" addr add "${h#*:}/24" dev eth0
  ip -n "$P-$name" link set eth0 up
done
# The speaker's log level is warning: 50,000 requests/s must not be 50,000
# log lines/s.
mkdir "$TMP/manifests"
cp "$HERE"/tests/prod/l2/manifests/pool.yaml "$HERE"/tests/prod/l2/manifests/web.yaml "$TMP/manifests/"
cat >"$TMP/manifests/nodes.yaml" <<'YAML'
apiVersion: v1
kind: Node
metadata: {name: n1}
status:
  addresses: [{type: InternalIP, address: 10.10.0.11}]
YAML
head -c 32 /dev/urandom | base64 >"$TMP/secret"
ip netns exec "$P-n1" "$SPEAKER" --node n1 --manifests "$TMP/manifests" --secret-file "$TMP/secret" \
  --interface eth0 --metrics-address 127.0.0.1:7472 --log-level warning 2>"$TMP/speaker.log" &
SPID=$!
metric() {  # NAME: the sum of its series
  ip netns exec "$P-n1" bash -c 'exec 3<>/dev/tcp/127.0.0.1/7472 &&
    printf "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" >&3 && cat <&3' 2>/dev/null |
    awk -v n="$1" '$1 ~ "^"n"({|$)" { s += $2 } END { printf "%d\n", s }'
}
for _ in $(seq 1 100); do
  ip netns exec "$P-cli" arping -c 1 -w 1 -i eth0 "$VIP" >/dev/null 2>&1 && break
done

# 1. Latency: 1000 requests 10 ms apart (arping -W is the interval).
ip netns exec "$P-cli" arping -c 1000 -W 0.01 -i eth0 "$VIP" 2>/dev/null |
  grep -o 'time=[0-9.]* [mu]sec' | awk '{ v = substr($1, 6); if ($2 == "msec") v *= 1000; print v }' |
  sort -n >"$TMP/rtt"
n=$(wc -l <"$TMP/rtt")
p50=$(awk -v n="$n" 'NR == int(n * 0.50 + 0.5) { print; exit }' "$TMP/rtt")
p99=$(awk -v n="$n" 'NR == int(n * 0.99 + 0.5) { print; exit }' "$TMP/rtt")
echo "RESULT arp latency: $n of 1000 answered, p50 ${p50} us, p99 ${p99} us (arping round trip)"

# 2. Load: RATE requests/s for SECONDS_RUN s from a raw socket.
cat >"$TMP/flood.py" <<'PY'
import socket, struct, sys, time, os
rate, secs, vip = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("eth0", 0))
mac = s.getsockname()[4]
src = socket.inet_aton("10.10.0.100")
frame = (b"\xff" * 6 + mac + b"\x08\x06" +
         struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1) + mac + src + b"\x00" * 6 +
         socket.inet_aton(vip)).ljust(60, b"\x00")
sent, start, batch = 0, time.monotonic(), 100
while True:
    now = time.monotonic() - start
    if now >= secs:
        break
    due = int(now * rate)
    while sent < due:
        for _ in range(min(batch, due - sent)):
            s.send(frame)
            sent += 1
    time.sleep(0.0005)
print(sent, round(time.monotonic() - start, 3))
PY
cat >"$TMP/count.py" <<'PY'
import socket, sys, time
secs, vip = float(sys.argv[1]), socket.inet_aton(sys.argv[2])
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0806))
s.bind(("eth0", 0))
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 24)
s.settimeout(0.2)
end, n = time.monotonic() + secs, 0
while time.monotonic() < end:
    try:
        f = s.recv(64)
    except socket.timeout:
        continue
    if f[20:22] == b"\x00\x02" and f[28:32] == vip:
        n += 1
print(n)
PY
stat_cpu() { awk '{ print $14 + $15 }' "/proc/$SPID/stat"; }
rss() { awk -v k="$1" '$1 == k":" { print $2 }' "/proc/$SPID/status"; }
req0=$(metric metallb_layer2_requests_received)
rss0=$(rss VmRSS)
cpu0=$(stat_cpu)
ip netns exec "$P-cli" python3 "$TMP/count.py" $((SECONDS_RUN + 2)) "$VIP" >"$TMP/replies" &
cpid=$!
read -r sent took < <(ip netns exec "$P-cli" python3 "$TMP/flood.py" "$RATE" "$SECONDS_RUN" "$VIP")
wait $cpid
cpu1=$(stat_cpu)
rss1=$(rss VmRSS)
hwm=$(rss VmHWM)
req1=$(metric metallb_layer2_requests_received)
tick=$(getconf CLK_TCK)
cpu_s=$(awk -v a="$cpu0" -v b="$cpu1" -v t="$tick" 'BEGIN { printf "%.2f", (b - a) / t }')
echo "RESULT arp load: sent $sent requests in $took s ($RATE/s target); speaker counted" \
  "$((req1 - req0)), client got $(cat "$TMP/replies") replies; speaker CPU ${cpu_s} s" \
  "over ${SECONDS_RUN} s; VmRSS ${rss0} -> ${rss1} kB, VmHWM ${hwm} kB"
kill -0 "$SPID" || { echo "bench-prod-arp: the speaker died" >&2; exit 1; }
