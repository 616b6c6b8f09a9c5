// Client neighbour discovery behaviour for IPv6 VIPs (TopologyParams
// client_arp and client_arp_timeout, the IPv6 side of client_arp.h).
//
// What ns-3 3.37 does by itself (Icmpv6L4Protocol::HandleNA): an NA is used
// only for an existing neighbour entry (none is created, as Linux without
// accept_untracked_na). With the Override flag set, an entry in REACHABLE,
// STALE, DELAY or PROBE takes the NA's target link-layer address. What it
// gets wrong for an unsolicited NA (Solicited flag clear): it stops the
// entry's NUD timer first and never moves the entry to STALE (RFC 4861
// 7.2.5: "If the Solicited flag is zero and the link-layer address was
// updated with a different address, the state MUST be set to STALE"; its
// check compares after the update). An entry in DELAY then stays DELAY for
// good (never re-verified), and one in PROBE stays PROBE with no timer,
// where ns-3 queues every packet and sends none: a client that was probing
// the dead owner when the new owner's NA came would black-hole the VIP.
//
// `linux`: an extra IPv6 receive handler, registered before ns-3's own so
// that it runs first, gives the client what Linux does for an unsolicited
// NA with the Override flag about an entry it already has: the entry takes
// the new address and goes STALE (the next packet goes to the new owner
// and starts NUD: DELAY, then a unicast NS that the owner answers). ns-3's
// HandleNA then finds a STALE entry with the same address and leaves it.
// An entry in DELAY or PROBE goes STALE even when the address is the same,
// so that ns-3 does not strand it without its timer. INCOMPLETE and static
// entries are left to ns-3. Only NdiscCache's public API is used.
//
// `ignore-garp`: the client's receive FrameFilter drops unsolicited NAs,
// so its entries change only by NUD: REACHABLE for the reachable time, then
// STALE, DELAY (DelayFirstProbe 5 s) and PROBE (unicast NS to the old MAC,
// MaxUnicastSolicit 3 at RetransmissionTime 1 s); when probing fails the
// entry goes and the next packet multicasts an NS that the new owner
// answers. Frames it drops are not in that client's pcap.
//
// client_arp_timeout maps to Icmpv6L4Protocol ReachableTime of the client:
// how long an entry stays REACHABLE after a solicited NA or an upper-layer
// confirmation. ns-3 uses it as is (no RFC 4861 6.3.2 random factor) and
// per node, not per interface; probe replies come from the node's own
// address, not the VIP, so they do not confirm the VIP's entry.
#pragma once

#include "ns3/nstime.h"
#include "sim/ns3/topology.h"
#include "sim/scenario/scenario.h"

namespace vipcast::sim {

// Before `client`'s IPv6 interface is added (topology_ipv6.cc), so that the
// `linux` handler runs before ns-3's.
void InstallClientNdp(const HostLink& client, ClientArp mode, ns3::Time reachable_time);

}  // namespace vipcast::sim
