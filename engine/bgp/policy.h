// Speaker policy: which routes this node advertises to which BGP peer, as a
// pure function of the configuration (BGPPeer, BGPAdvertisement,
// IPAddressPool), this node's identity and the services whose VIPs it was
// assigned. The session diffs the result against what it sent, so a VIP
// that leaves simply disappears from the result and is withdrawn.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "engine/bgp/route.h"
#include "engine/bgp/session.h"
#include "engine/config/labels.h"
#include "engine/config/model.h"

namespace vipcast::bgp {

struct NodeIdentity {
  std::string name;
  config::LabelMap labels;
};

// A LoadBalancer service whose VIPs this node may announce.
struct AnnouncedService {
  std::string key;  // "namespace/name"
  config::LabelMap labels;
  std::string pool;  // the IPAddressPool its VIPs came from
  std::vector<core::IpAddr> vips;
  // externalTrafficPolicy: Local is announced only from nodes with a ready
  // endpoint (MetalLB's speaker does the same).
  bool local_traffic_policy = false;
  bool has_ready_endpoint_here = false;
};

// BGPPeers whose nodeSelectors match this node, in configuration order.
std::vector<const config::BGPPeer*> SelectPeers(const config::ClusterConfig& config,
                                                const NodeIdentity& node);

// RFC 4271 terms: true when the peer is in our AS (iBGP).
bool IsInternalPeer(const config::BGPPeer& peer);

// The session a BGPPeer of `config` describes (name = the BGPPeer's name).
// The TCP-MD5 password is spec.password or, with spec.passwordSecret, the
// "password" key of that kubernetes.io/basic-auth Secret in `config` (in the
// peer's namespace unless the reference names one, as MetalLB); a Secret
// that is missing or unfit (which validation reports) gives no password.
SessionConfig SessionConfigFor(const config::ClusterConfig& config, const config::BGPPeer& peer,
                               core::RouterId default_router_id);

// The desired Adj-RIB-Out of every selected peer, by BGPPeer name. Peers
// without routes are present with an empty table.
std::map<std::string, RibOut> DesiredRoutes(const config::ClusterConfig& config,
                                            const NodeIdentity& node,
                                            const std::vector<AnnouncedService>& services);

}  // namespace vipcast::bgp
