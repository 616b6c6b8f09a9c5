// TCP probes (traffic `protocol: tcp`): every `every` the sender opens a new
// connection to the target (a client without keep-alive, as most health
// checks are), sends one request (probe_wire.h) and records the answer when
// the reply has arrived and the responder has closed. ns-3's TCP retries an
// unanswered SYN after its retransmission timeout, as Linux does, so a
// client whose ARP entry still points at a dead owner loses a retransmission
// time where a UDP probe just loses one request. A connection is abandoned
// after kTcpProbeLifetime.
// The responder on a node: one listening socket per family and port; an
// accepted connection whose local address (the VIP) `admit` refuses gets no
// answer, as kube-proxy drops traffic for an externalTrafficPolicy Local
// service on a node without a ready endpoint.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "engine/core/bytes.h"
#include "engine/core/ip.h"
#include "engine/core/time.h"
#include "ns3/event-id.h"
#include "ns3/node.h"
#include "ns3/socket.h"
#include "sim/ns3/probes.h"
#include "sim/ns3/world.h"

namespace vipcast::sim {

inline constexpr core::Duration kTcpProbeLifetime = core::Duration::Seconds(5);

class TcpResponder {
 public:
  TcpResponder(ns3::Ptr<ns3::Node> node, uint16_t port, std::string host, bool ipv6,
               Admission admit);
  ~TcpResponder();
  TcpResponder(const TcpResponder&) = delete;
  TcpResponder& operator=(const TcpResponder&) = delete;

 private:
  void OnAccept(ns3::Ptr<ns3::Socket> socket, const ns3::Address& from);
  void OnData(ns3::Ptr<ns3::Socket> socket);
  void Forget(ns3::Ptr<ns3::Socket> socket);

  std::string host_;
  Admission admit_;
  ns3::Ptr<ns3::Socket> listener_;
  std::map<ns3::Socket*, std::pair<ns3::Ptr<ns3::Socket>, core::Bytes>> open_;
};

class TcpProbeSender {
 public:
  using Resolver = std::function<std::optional<core::IpAddr>()>;
  using Recorder = std::function<void(TimelineEvent)>;

  TcpProbeSender(ns3::Ptr<ns3::Node> node, Probe probe, uint32_t id, Resolver resolve,
                 Recorder record);
  ~TcpProbeSender();
  TcpProbeSender(const TcpProbeSender&) = delete;
  TcpProbeSender& operator=(const TcpProbeSender&) = delete;

  // First connection now, then one every probe.every.
  void Start();

 private:
  struct Connection {
    ns3::Ptr<ns3::Socket> socket;
    uint64_t seq = 0;
    core::Bytes received;
    ns3::EventId expiry;
  };
  void Open();
  void OnConnected(ns3::Ptr<ns3::Socket> socket);
  void OnData(ns3::Ptr<ns3::Socket> socket);
  void OnClosed(ns3::Ptr<ns3::Socket> socket);
  void Drop(ns3::Socket* socket);

  Probe probe_;
  uint32_t id_;
  Resolver resolve_;
  Recorder record_;
  ns3::Ptr<ns3::Node> node_;
  ns3::EventId next_;
  uint64_t seq_ = 0;
  std::map<ns3::Socket*, Connection> open_;
};

}  // namespace vipcast::sim
