#!/bin/bash
# Partition and heal (the issue's regression scenario): after the heal the
# one remaining announcer sends gratuitous ARP again, and the client's last
# word on the VIP comes from it, so a client whose cache followed the other
# half's announcer moves back. Checked in the client's own capture.
#
# usage: partition_garp_test.sh VIPCAST_SIM SOURCE_DIR WORK_DIR
# Exit: 0 pass, 1 fail, 77 skipped (no tshark).
set -u
SIM=${1:?vipcast-sim}
SRC=${2:?source dir}
WORK=${3:?work dir}
command -v tshark >/dev/null || { echo "SKIPPED: tshark is not installed"; exit 77; }
rm -rf "$WORK" && mkdir -p "$WORK"
fail() { echo "FAIL: $*"; exit 1; }

"$SIM" run "$SRC/sim/scenarios/l2-partition-heal.yaml" --pcap --quiet --out "$WORK/run" >/dev/null ||
  fail "l2-partition-heal failed its expectations"
# Heal time, the VIP, and the single final announcer from report.json. The
# l2 topologies give host ordinal k (nodes first, from 0) the MAC
# 02:00:00:00:HH:LL with HHLL = k + 1 (sim/ns3/topology.h).
read -r heal vip mac < <(python3 - "$WORK/run/report.json" <<'PY'
import json, sys
run = json.load(open(sys.argv[1]))["run"]
heal = [f["at_s"] for f in run["faults"] if f["fault"].startswith("heal")][0]
final = run["announcers"][-1]["announcers"]
if len(final) != 1:
    sys.exit("final announcers: %s" % final)
vip = run["assignments"]["default/web"]
k = int(final[0].split("-")[1]) + 1
print(heal, vip, "02:00:00:00:%02x:%02x" % (k >> 8, k & 0xFF))
PY
) || fail "report.json: no single final announcer"
pcap=$WORK/run/pcap/l2-partition-heal-client-0-eth0.pcap
garps=$(tshark -r "$pcap" -Y "arp.isgratuitous && arp.src.proto_ipv4 == $vip && frame.time_relative > $heal" \
  -T fields -e frame.time_relative -e eth.src 2>/dev/null)
from_winner=$(grep -c "$mac" <<<"$garps")
last=$(tail -n 1 <<<"$garps" | awk '{print $2}')
echo "heal at ${heal}s; VIP $vip; final announcer $mac; gratuitous ARPs after the heal: $(grep -c . <<<"$garps") ($from_winner from it); last from $last"
[ "$from_winner" -ge 1 ] || fail "the final announcer sent no gratuitous ARP after the heal"
[ "$last" = "$mac" ] || fail "the client last heard of $vip from $last, not from the final announcer $mac"
echo "PASS"
