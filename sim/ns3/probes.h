// Client-observed traffic: UDP request/response probes.
//  - Every cluster node runs an echo responder on each probe port (as a
//    Service backend behind kube-proxy would answer): the reply is the
//    request followed by the answering host's name.
//  - A ProbeSender sends a request every `every` from its host, to the
//    address (IPv4 or IPv6) the resolver gives at each send (a service's
//    first VIP; no send while it is pending), and reports each request sent
//    and each reply received with the answering host.
// Wire format: probe_wire.h. TCP probes: tcp_probe.h.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "engine/core/ip.h"
#include "ns3/event-id.h"
#include "ns3/node.h"
#include "ns3/socket.h"
#include "sim/ns3/world.h"

namespace vipcast::sim {

// Whether a node answers traffic that arrived for `local` (a VIP or its own
// address): kube_proxy.h's KubeProxyAdmits for the node. Empty: always.
using Admission = std::function<bool(const core::IpAddr& local)>;

// One UDP socket on `port` for any address of one family (IPv6: `ipv6`);
// a request whose destination `admit` refuses gets no answer.
ns3::Ptr<ns3::Socket> OpenEchoResponder(ns3::Ptr<ns3::Node> node, uint16_t port,
                                        const std::string& host, bool ipv6 = false,
                                        Admission admit = {});

class ProbeSender {
 public:
  using Resolver = std::function<std::optional<core::IpAddr>()>;
  using Recorder = std::function<void(TimelineEvent)>;

  ProbeSender(ns3::Ptr<ns3::Node> node, Probe probe, uint32_t id, Resolver resolve,
              Recorder record);
  ~ProbeSender();
  ProbeSender(const ProbeSender&) = delete;
  ProbeSender& operator=(const ProbeSender&) = delete;

  // First request now, then every probe.every.
  void Start();

 private:
  void Send();
  void OnReply(ns3::Ptr<ns3::Socket> socket);
  // The sending socket of the target's family, opened at its first use.
  ns3::Ptr<ns3::Socket> SocketFor(const core::IpAddr& target);

  Probe probe_;
  uint32_t id_;
  Resolver resolve_;
  Recorder record_;
  ns3::Ptr<ns3::Node> node_;
  ns3::Ptr<ns3::Socket> socket4_;
  ns3::Ptr<ns3::Socket> socket6_;
  ns3::EventId next_;
  uint64_t seq_ = 0;
};

}  // namespace vipcast::sim
