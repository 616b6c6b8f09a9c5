#include "sim/ns3/probes.h"

#include <utility>

#include "ns3/inet-socket-address.h"
#include "ns3/inet6-socket-address.h"
#include "ns3/ipv4-packet-info-tag.h"
#include "ns3/ipv6-packet-info-tag.h"
#include "ns3/simulator.h"
#include "ns3/udp-socket-factory.h"
#include "sim/ns3/conversions.h"
#include "sim/ns3/probe_wire.h"

namespace vipcast::sim {

namespace {

// The packet's destination (the VIP or the node's own address), from the
// packet info tag the socket adds (SetRecvPktInfo).
std::optional<core::IpAddr> Destination(const ns3::Ptr<ns3::Packet>& packet) {
  ns3::Ipv4PacketInfoTag v4;
  if (packet->PeekPacketTag(v4)) return core::IpAddr(FromNs3(v4.GetAddress()));
  ns3::Ipv6PacketInfoTag v6;
  if (packet->PeekPacketTag(v6)) return core::IpAddr(FromNs3(v6.GetAddress()));
  return std::nullopt;
}

}  // namespace

ns3::Ptr<ns3::Socket> OpenEchoResponder(ns3::Ptr<ns3::Node> node, uint16_t port,
                                        const std::string& host, bool ipv6, Admission admit) {
  ns3::Ptr<ns3::Socket> socket =
      ns3::Socket::CreateSocket(node, ns3::UdpSocketFactory::GetTypeId());
  if (ipv6) {
    socket->Bind(ns3::Inet6SocketAddress(ns3::Ipv6Address::GetAny(), port));
  } else {
    socket->Bind(ns3::InetSocketAddress(ns3::Ipv4Address::GetAny(), port));
  }
  socket->SetRecvPktInfo(true);
  socket->SetRecvCallback(ns3::Callback<void, ns3::Ptr<ns3::Socket>>(
      [host, admit = std::move(admit)](ns3::Ptr<ns3::Socket> s) {
        ns3::Address from;
        while (ns3::Ptr<ns3::Packet> packet = s->RecvFrom(from)) {
          const core::Bytes bytes = PacketBytes(packet);
          if (!IsProbeRequest(bytes)) continue;
          const std::optional<core::IpAddr> to = Destination(packet);
          if (admit && to && !admit(*to)) continue;  // kube-proxy drops it
          const core::Bytes reply = ProbeReply(bytes, host);
          s->SendTo(MakePacket(reply.data(), reply.size()), 0, from);
        }
      }));
  return socket;
}

ProbeSender::ProbeSender(ns3::Ptr<ns3::Node> node, Probe probe, uint32_t id, Resolver resolve,
                         Recorder record)
    : probe_(std::move(probe)),
      id_(id),
      resolve_(std::move(resolve)),
      record_(std::move(record)),
      node_(node) {
  // The IPv4 socket at once (its ephemeral port is what it always was, and
  // ports feed the routers' per-flow ECMP hash); IPv6 at its first use.
  SocketFor(core::IpAddr(core::Ipv4Addr(0)));
}

ProbeSender::~ProbeSender() {
  ns3::Simulator::Cancel(next_);
  for (const ns3::Ptr<ns3::Socket>& socket : {socket4_, socket6_}) {
    if (!socket) continue;
    socket->SetRecvCallback(ns3::MakeNullCallback<void, ns3::Ptr<ns3::Socket>>());
    socket->Close();
  }
}

ns3::Ptr<ns3::Socket> ProbeSender::SocketFor(const core::IpAddr& target) {
  ns3::Ptr<ns3::Socket>& socket = target.is_v4() ? socket4_ : socket6_;
  if (!socket) {
    socket = ns3::Socket::CreateSocket(node_, ns3::UdpSocketFactory::GetTypeId());
    if (target.is_v4()) {
      socket->Bind();
    } else {
      socket->Bind6();
    }
    socket->SetRecvCallback(ns3::MakeCallback(&ProbeSender::OnReply, this));
  }
  return socket;
}

void ProbeSender::Start() { Send(); }

void ProbeSender::Send() {
  next_ = ns3::Simulator::Schedule(ToNs3(probe_.every), &ProbeSender::Send, this);
  const std::optional<core::IpAddr> target = resolve_();
  if (!target) return;
  ++seq_;
  const core::Bytes request = ProbeRequest(id_, seq_);
  ns3::Ptr<ns3::Packet> packet = MakePacket(request.data(), request.size());
  if (target->is_v4()) {
    SocketFor(*target)->SendTo(packet, 0, ns3::InetSocketAddress(ToNs3(target->v4()), probe_.port));
  } else {
    SocketFor(*target)->SendTo(packet, 0,
                               ns3::Inet6SocketAddress(ToNs3(target->v6()), probe_.port));
  }
  TimelineEvent e{
      SimNow(),   TimelineEvent::Kind::kProbeSent, probe_.from, probe_.service, *target, seq_,
      probe_.name};
  record_(std::move(e));
}

void ProbeSender::OnReply(ns3::Ptr<ns3::Socket> socket) {
  ns3::Address from;
  while (ns3::Ptr<ns3::Packet> packet = socket->RecvFrom(from)) {
    std::optional<ParsedReply> reply = ParseProbeReply(PacketBytes(packet));
    if (!reply || reply->id != id_) continue;
    TimelineEvent e{SimNow(),      TimelineEvent::Kind::kProbeAnswered,
                    std::move(reply->host), probe_.service,
                    std::nullopt,  reply->seq,
                    probe_.name};
    record_(std::move(e));
  }
}

}  // namespace vipcast::sim
