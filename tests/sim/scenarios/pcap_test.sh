#!/bin/bash
# vipcast-sim --pcap writes captures that tshark decodes without a malformed
# packet or a warning (other than ARP's duplicate-address notice): the ARP of a layer 2 failover,
# the NDP (Neighbor Solicitations and Advertisements, RFC 4861, with IPv6 probe traffic) of an
# IPv6 one, and the BGP and BFD
# between three nodes and a router (RFC 4271 messages of every kind the run
# exchanges, BFD control packets reaching Up).
#
# usage: pcap_test.sh VIPCAST_SIM SOURCE_DIR WORK_DIR
# Exit: 0 pass, 1 fail, 77 skipped (no tshark).
set -u
SIM=${1:?vipcast-sim}
SRC=${2:?source dir}
WORK=${3:?work dir}
command -v tshark >/dev/null || { echo "SKIPPED: tshark is not installed"; exit 77; }
rm -rf "$WORK" && mkdir -p "$WORK"
fail() { echo "FAIL: $*"; exit 1; }
count() {  # FILE FILTER
  tshark -r "$1" -Y "$2" 2>/dev/null | wc -l
}

"$SIM" run "$SRC/sim/scenarios/l2-announcer-crash.yaml" --pcap --quiet --out "$WORK/l2" >/dev/null ||
  fail "l2-announcer-crash failed"
"$SIM" run "$SRC/sim/scenarios/l2-ipv6-ndp.yaml" --pcap --quiet --out "$WORK/l2v6" >/dev/null ||
  fail "l2-ipv6-ndp failed"
"$SIM" run "$SRC/sim/scenarios/bgp-node-crash-bfd.yaml" --pcap --quiet --out "$WORK/bgp" >/dev/null ||
  fail "bgp-node-crash-bfd failed"

n=0
for f in "$WORK"/l2/pcap/*.pcap "$WORK"/l2v6/pcap/*.pcap "$WORK"/bgp/pcap/*.pcap; do
  n=$((n + 1))
  # Wireshark flags the VIP's move to another MAC as "duplicate use of an
  # IP address": that is the failover itself, not a defect of the frame.
  bad=$(count "$f" "_ws.malformed || (_ws.expert.severity >= warning &&
    !arp.duplicate-address-detected && !arp.duplicate-address-frame)")
  [ "$bad" = 0 ] || fail "$f: $bad frames malformed or with warnings"
done
[ "$n" -gt 10 ] || fail "only $n pcap files written"

client=$(ls "$WORK"/l2/pcap/*-client-0-eth0.pcap)
garp=$(count "$client" "arp.isgratuitous")
[ "$garp" -gt 0 ] || fail "no gratuitous ARP reached client-0"
replies=$(count "$client" "arp.opcode == 2 && !arp.isgratuitous")
[ "$replies" -gt 0 ] || fail "no ARP reply reached client-0"

client6=$(ls "$WORK"/l2v6/pcap/*-client-0-eth0.pcap)
ns=$(count "$client6" "icmpv6.type == 135")
na=$(count "$client6" "icmpv6.type == 136")
na_override=$(count "$client6" "icmpv6.type == 136 && icmpv6.nd.na.flag.o == 1")
[ "$ns" -gt 0 ] || fail "client-0 sent no Neighbor Solicitation for the IPv6 VIP"
[ "$na" -gt 0 ] || fail "no Neighbor Advertisement reached client-0"
[ "$na_override" = "$na" ] || fail "$((na - na_override)) NA without the Override flag at client-0"
udp6=$(count "$client6" "ipv6 && udp")
[ "$udp6" -gt 0 ] || fail "no IPv6 probe traffic at client-0"

router=$(ls "$WORK"/bgp/pcap/*-router-0-eth0.pcap)
opens=$(count "$router" "bgp.type == 1")
updates=$(count "$router" "bgp.type == 2")
keepalives=$(count "$router" "bgp.type == 4")
notifications=$(count "$router" "bgp.type == 3")
bfd_up=$(count "$router" "bfd.sta == 3")
[ "$opens" -ge 6 ] || fail "router-0 saw $opens BGP OPEN frames, want both directions for 3 peers"
[ "$updates" -ge 3 ] || fail "router-0 saw $updates UPDATE frames"
[ "$keepalives" -gt 0 ] || fail "router-0 saw no KEEPALIVE"
[ "$bfd_up" -gt 0 ] || fail "router-0 saw no BFD control packet in state Up"
echo "RESULT $n pcaps, none malformed or with warnings; client-0: $garp gratuitous ARP," \
  "$replies ARP replies; client-0 IPv6: $ns NS, $na NA, $udp6 probe frames; router-0: $opens OPEN, $updates UPDATE, $keepalives KEEPALIVE," \
  "$notifications NOTIFICATION, $bfd_up BFD Up packets"
echo "PASS"
