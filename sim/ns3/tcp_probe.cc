#include "sim/ns3/tcp_probe.h"

#include <utility>

#include "ns3/inet-socket-address.h"
#include "ns3/inet6-socket-address.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/tcp-socket-factory.h"
#include "sim/ns3/conversions.h"
#include "sim/ns3/probe_wire.h"

namespace vipcast::sim {

namespace {

core::Bytes Drain(ns3::Ptr<ns3::Socket> socket) {
  core::Bytes out;
  while (ns3::Ptr<ns3::Packet> packet = socket->Recv()) {
    const core::Bytes part = PacketBytes(packet);
    out.insert(out.end(), part.begin(), part.end());
  }
  return out;
}

std::optional<core::IpAddr> LocalAddress(ns3::Ptr<ns3::Socket> socket) {
  ns3::Address local;
  if (socket->GetSockName(local) != 0) return std::nullopt;
  if (ns3::InetSocketAddress::IsMatchingType(local)) {
    return core::IpAddr(FromNs3(ns3::InetSocketAddress::ConvertFrom(local).GetIpv4()));
  }
  if (ns3::Inet6SocketAddress::IsMatchingType(local)) {
    return core::IpAddr(FromNs3(ns3::Inet6SocketAddress::ConvertFrom(local).GetIpv6()));
  }
  return std::nullopt;
}

void Silence(ns3::Ptr<ns3::Socket> socket) {
  socket->SetRecvCallback(ns3::MakeNullCallback<void, ns3::Ptr<ns3::Socket>>());
  socket->SetConnectCallback(ns3::MakeNullCallback<void, ns3::Ptr<ns3::Socket>>(),
                             ns3::MakeNullCallback<void, ns3::Ptr<ns3::Socket>>());
  socket->SetCloseCallbacks(ns3::MakeNullCallback<void, ns3::Ptr<ns3::Socket>>(),
                            ns3::MakeNullCallback<void, ns3::Ptr<ns3::Socket>>());
}

}  // namespace

TcpResponder::TcpResponder(ns3::Ptr<ns3::Node> node, uint16_t port, std::string host, bool ipv6,
                           Admission admit)
    : host_(std::move(host)),
      admit_(std::move(admit)),
      listener_(ns3::Socket::CreateSocket(node, ns3::TcpSocketFactory::GetTypeId())) {
  if (ipv6) {
    listener_->Bind(ns3::Inet6SocketAddress(ns3::Ipv6Address::GetAny(), port));
  } else {
    listener_->Bind(ns3::InetSocketAddress(ns3::Ipv4Address::GetAny(), port));
  }
  listener_->Listen();
  listener_->SetAcceptCallback(
      ns3::MakeNullCallback<bool, ns3::Ptr<ns3::Socket>, const ns3::Address&>(),
      ns3::MakeCallback(&TcpResponder::OnAccept, this));
}

TcpResponder::~TcpResponder() {
  listener_->SetAcceptCallback(
      ns3::MakeNullCallback<bool, ns3::Ptr<ns3::Socket>, const ns3::Address&>(),
      ns3::MakeNullCallback<void, ns3::Ptr<ns3::Socket>, const ns3::Address&>());
  listener_->Close();
  for (auto& [raw, entry] : open_) Silence(entry.first);
}

void TcpResponder::OnAccept(ns3::Ptr<ns3::Socket> socket, const ns3::Address& /*from*/) {
  open_[ns3::PeekPointer(socket)] = {socket, {}};
  socket->SetRecvCallback(ns3::MakeCallback(&TcpResponder::OnData, this));
  socket->SetCloseCallbacks(ns3::MakeCallback(&TcpResponder::Forget, this),
                            ns3::MakeCallback(&TcpResponder::Forget, this));
  // Nothing holds a connection longer than a probe waits for it.
  ns3::Simulator::Schedule(ToNs3(kTcpProbeLifetime), &TcpResponder::Forget, this, socket);
}

void TcpResponder::OnData(ns3::Ptr<ns3::Socket> socket) {
  auto it = open_.find(ns3::PeekPointer(socket));
  if (it == open_.end()) return;
  core::Bytes& buffer = it->second.second;
  const core::Bytes more = Drain(socket);
  buffer.insert(buffer.end(), more.begin(), more.end());
  if (!IsProbeRequest(buffer)) {
    if (buffer.size() >= kProbeRequestSize) socket->Close();  // not ours
    return;
  }
  const std::optional<core::IpAddr> local = LocalAddress(socket);
  if (local && (!admit_ || admit_(*local))) {
    const core::Bytes reply = ProbeReply(buffer, host_);
    socket->Send(MakePacket(reply.data(), reply.size()));
  }
  socket->Close();
}

void TcpResponder::Forget(ns3::Ptr<ns3::Socket> socket) {
  auto it = open_.find(ns3::PeekPointer(socket));
  if (it == open_.end()) return;
  Silence(socket);
  open_.erase(it);
}

TcpProbeSender::TcpProbeSender(ns3::Ptr<ns3::Node> node, Probe probe, uint32_t id,
                               Resolver resolve, Recorder record)
    : probe_(std::move(probe)),
      id_(id),
      resolve_(std::move(resolve)),
      record_(std::move(record)),
      node_(node) {}

TcpProbeSender::~TcpProbeSender() {
  ns3::Simulator::Cancel(next_);
  for (auto& [raw, c] : open_) {
    ns3::Simulator::Cancel(c.expiry);
    Silence(c.socket);
    c.socket->Close();
  }
}

void TcpProbeSender::Start() { Open(); }

void TcpProbeSender::Open() {
  next_ = ns3::Simulator::Schedule(ToNs3(probe_.every), &TcpProbeSender::Open, this);
  const std::optional<core::IpAddr> target = resolve_();
  if (!target) return;
  ++seq_;
  ns3::Ptr<ns3::Socket> socket =
      ns3::Socket::CreateSocket(node_, ns3::TcpSocketFactory::GetTypeId());
  if (target->is_v4()) {
    socket->Bind();
  } else {
    socket->Bind6();
  }
  socket->SetConnectCallback(ns3::MakeCallback(&TcpProbeSender::OnConnected, this),
                             ns3::MakeCallback(&TcpProbeSender::OnClosed, this));
  socket->SetRecvCallback(ns3::MakeCallback(&TcpProbeSender::OnData, this));
  socket->SetCloseCallbacks(ns3::MakeCallback(&TcpProbeSender::OnClosed, this),
                            ns3::MakeCallback(&TcpProbeSender::OnClosed, this));
  TimelineEvent sent{SimNow(),       TimelineEvent::Kind::kProbeSent, probe_.from, probe_.service,
                     *target,        seq_,
                     probe_.name};
  record_(std::move(sent));
  const int rc = target->is_v4()
                     ? socket->Connect(ns3::InetSocketAddress(ToNs3(target->v4()), probe_.port))
                     : socket->Connect(ns3::Inet6SocketAddress(ToNs3(target->v6()), probe_.port));
  if (rc != 0) {  // no route: ns-3 fails synchronously; the request is lost
    Silence(socket);
    socket->Close();
    return;
  }
  Connection& c = open_[ns3::PeekPointer(socket)];
  c.socket = socket;
  c.seq = seq_;
  c.expiry = ns3::Simulator::Schedule(ToNs3(kTcpProbeLifetime), &TcpProbeSender::Drop, this,
                                      ns3::PeekPointer(socket));
}

void TcpProbeSender::OnConnected(ns3::Ptr<ns3::Socket> socket) {
  auto it = open_.find(ns3::PeekPointer(socket));
  if (it == open_.end()) return;
  const core::Bytes request = ProbeRequest(id_, it->second.seq);
  socket->Send(MakePacket(request.data(), request.size()));
}

void TcpProbeSender::OnData(ns3::Ptr<ns3::Socket> socket) {
  auto it = open_.find(ns3::PeekPointer(socket));
  if (it == open_.end()) return;
  Connection& c = it->second;
  const core::Bytes more = Drain(socket);
  c.received.insert(c.received.end(), more.begin(), more.end());
  // The responder sends its whole reply in one segment: request + name.
  if (c.received.size() <= kProbeRequestSize) return;
  const std::optional<ParsedReply> reply = ParseProbeReply(c.received);
  if (reply && reply->id == id_ && reply->seq == c.seq) {
    TimelineEvent answered{SimNow(),     TimelineEvent::Kind::kProbeAnswered,
                           reply->host,  probe_.service,
                           std::nullopt, reply->seq,
                           probe_.name};
    record_(std::move(answered));
  }
  // Done with it; erased outside ns-3's socket callback.
  ns3::Simulator::ScheduleNow(&TcpProbeSender::Drop, this, ns3::PeekPointer(socket));
}

void TcpProbeSender::OnClosed(ns3::Ptr<ns3::Socket> socket) {
  ns3::Simulator::ScheduleNow(&TcpProbeSender::Drop, this, ns3::PeekPointer(socket));
}

void TcpProbeSender::Drop(ns3::Socket* socket) {
  auto it = open_.find(socket);
  if (it == open_.end()) return;
  ns3::Simulator::Cancel(it->second.expiry);
  Silence(it->second.socket);
  it->second.socket->Close();
  open_.erase(it);
}

}  // namespace vipcast::sim
