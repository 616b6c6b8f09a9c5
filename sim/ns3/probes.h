// Client-observed traffic: UDP request/response probes.
//  - Every cluster node runs an echo responder on each probe port (as a
//    Service backend behind kube-proxy would answer): the reply is the
//    request followed by the answering host's name.
//  - A ProbeSender sends a request every `every` from its host, to the
//    address the resolver gives at each send (a service's first VIP; no send
//    while it is pending), and reports each request sent and each reply
//    received with the answering host.
// Wire format (ours, only between these two): "VCPR", probe id (u32 BE),
// sequence (u64 BE), then in replies the answering host name.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/node.h"
#include "ns3/socket.h"
#include "sim/ns3/world.h"

namespace vipcast::sim {

ns3::Ptr<ns3::Socket> OpenEchoResponder(ns3::Ptr<ns3::Node> node, uint16_t port,
                                        const std::string& host);

class ProbeSender {
 public:
  using Resolver = std::function<std::optional<ns3::Ipv4Address>()>;
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

  Probe probe_;
  uint32_t id_;
  Resolver resolve_;
  Recorder record_;
  ns3::Ptr<ns3::Socket> socket_;
  ns3::EventId next_;
  uint64_t seq_ = 0;
};

}  // namespace vipcast::sim
