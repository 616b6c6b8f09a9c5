// Ns3World's per-link faults: link_down/link_up with a peer, loss on one
// link, and delay (world.h). Each acts on the CSMA channel(s) found by
// their ends (csma_links.h).
#include <string>

#include "ns3/nstime.h"
#include "sim/ns3/conversions.h"
#include "sim/ns3/csma_links.h"
#include "sim/ns3/world_impl.h"

namespace vipcast::sim {

namespace {

std::string LinkName(const std::string& a, const std::string& b) { return a + "<->" + b; }

}  // namespace

// A host by name, or "switch-<k>" (the l2 topologies' switches, in order).
ns3::Ptr<ns3::Node> Ns3World::NodeNamed(const std::string& name) {
  if (Host* host = Find(name)) return host->link.node;
  const std::string prefix = "switch-";
  if (name.rfind(prefix, 0) == 0 && name.size() > prefix.size() &&
      name.find_first_not_of("0123456789", prefix.size()) == std::string::npos &&
      name.size() - prefix.size() <= 4) {
    const size_t k = std::stoul(name.substr(prefix.size()));
    if (k < switches_.size()) return switches_[k];
  }
  return nullptr;
}

core::Result<CsmaLink> Ns3World::LinkBetween(const std::string& what, const std::string& a,
                                             const std::string& b) {
  ns3::Ptr<ns3::Node> na = NodeNamed(a);
  if (!na) return core::MakeErr(what + ": unknown host or switch " + a);
  ns3::Ptr<ns3::Node> nb = NodeNamed(b);
  if (!nb) return core::MakeErr(what + ": unknown host or switch " + b);
  auto link = FindCsmaLink(na, nb);
  if (!link) return core::MakeErr(what + ": no link joins " + a + " and " + b);
  // Every device the topologies build has a filter; a link without would
  // silently ignore the fault.
  if (link->filters.size() != link->channel->GetNDevices()) {
    return core::MakeErr(what + ": the link between " + a + " and " + b +
                         " cannot carry faults (a device without a FrameFilter)");
  }
  return *link;
}

core::Status<> Ns3World::SetLinkCut(const std::string& a, const std::string& b, bool cut) {
  const std::string what = cut ? "link_down" : "link_up";
  auto link = LinkBetween(what, a, b);
  if (!link.ok()) return core::MakeErr(link.error());
  for (auto& filter : link.value().filters) filter->SetCut(cut);
  RecordFault(what + " " + LinkName(a, b));
  return core::Ok();
}

core::Status<> Ns3World::SetLinkLoss(const std::string& a, const std::string& b, double rate) {
  if (!(rate >= 0 && rate <= 1)) return core::MakeErr(std::string("loss: rate must be in [0, 1]"));
  auto link = LinkBetween("loss", a, b);
  if (!link.ok()) return core::MakeErr(link.error());
  for (auto& filter : link.value().filters) filter->SetLossRate(rate);
  RecordFault("loss " + LinkName(a, b) + " " + std::to_string(rate));
  return core::Ok();
}

core::Status<> Ns3World::SetDelay(const std::string& host, const std::optional<std::string>& peer,
                                  core::Duration delay) {
  if (delay < core::Duration()) return core::MakeErr(std::string("delay: must be >= 0"));
  std::vector<CsmaLink> links;
  if (peer) {
    auto link = LinkBetween("delay", host, *peer);
    if (!link.ok()) return core::MakeErr(link.error());
    links.push_back(link.value());
  } else {
    ns3::Ptr<ns3::Node> node = NodeNamed(host);
    if (!node) return core::MakeErr("delay: unknown host or switch " + host);
    links = CsmaLinksOf(node);
  }
  for (auto& link : links) {
    for (size_t i = 0; i < link.filters.size(); ++i) {
      link.filters[i]->SetDelay(ToNs3(delay), link.devices[i]);
    }
  }
  RecordFault("delay " + (peer ? LinkName(host, *peer) : host) + " " + delay.ToString());
  return core::Ok();
}

}  // namespace vipcast::sim
