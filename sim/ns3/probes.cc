#include "sim/ns3/probes.h"

#include <algorithm>
#include <array>
#include <utility>

#include "ns3/inet-socket-address.h"
#include "ns3/simulator.h"
#include "ns3/udp-socket-factory.h"
#include "sim/ns3/conversions.h"

namespace vipcast::sim {

namespace {

constexpr std::array<uint8_t, 4> kMagic{'V', 'C', 'P', 'R'};
constexpr size_t kRequestSize = 16;

core::Bytes Request(uint32_t id, uint64_t seq) {
  core::Bytes out(kMagic.begin(), kMagic.end());
  for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<uint8_t>(id >> s));
  for (int s = 56; s >= 0; s -= 8) out.push_back(static_cast<uint8_t>(seq >> s));
  return out;
}

bool IsRequest(const core::Bytes& b) {
  return b.size() >= kRequestSize && std::equal(kMagic.begin(), kMagic.end(), b.begin());
}

uint64_t ReadBe(const core::Bytes& b, size_t at, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v = v << 8 | b[at + i];
  return v;
}

}  // namespace

ns3::Ptr<ns3::Socket> OpenEchoResponder(ns3::Ptr<ns3::Node> node, uint16_t port,
                                        const std::string& host) {
  ns3::Ptr<ns3::Socket> socket =
      ns3::Socket::CreateSocket(node, ns3::UdpSocketFactory::GetTypeId());
  socket->Bind(ns3::InetSocketAddress(ns3::Ipv4Address::GetAny(), port));
  socket->SetRecvCallback(
      ns3::Callback<void, ns3::Ptr<ns3::Socket>>([host](ns3::Ptr<ns3::Socket> s) {
        ns3::Address from;
        while (ns3::Ptr<ns3::Packet> packet = s->RecvFrom(from)) {
          core::Bytes bytes = PacketBytes(packet);
          if (!IsRequest(bytes)) continue;
          bytes.resize(kRequestSize);
          bytes.insert(bytes.end(), host.begin(), host.end());
          s->SendTo(MakePacket(bytes.data(), bytes.size()), 0, from);
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
      socket_(ns3::Socket::CreateSocket(node, ns3::UdpSocketFactory::GetTypeId())) {
  socket_->Bind();
  socket_->SetRecvCallback(ns3::MakeCallback(&ProbeSender::OnReply, this));
}

ProbeSender::~ProbeSender() {
  ns3::Simulator::Cancel(next_);
  socket_->SetRecvCallback(ns3::MakeNullCallback<void, ns3::Ptr<ns3::Socket>>());
  socket_->Close();
}

void ProbeSender::Start() { Send(); }

void ProbeSender::Send() {
  next_ = ns3::Simulator::Schedule(ToNs3(probe_.every), &ProbeSender::Send, this);
  const std::optional<ns3::Ipv4Address> target = resolve_();
  if (!target) return;
  ++seq_;
  const core::Bytes request = Request(id_, seq_);
  socket_->SendTo(MakePacket(request.data(), request.size()), 0,
                  ns3::InetSocketAddress(*target, probe_.port));
  TimelineEvent e{SimNow(),       TimelineEvent::Kind::kProbeSent, probe_.from,
                  probe_.service, core::IpAddr(FromNs3(*target)),  seq_,
                  probe_.name};
  record_(std::move(e));
}

void ProbeSender::OnReply(ns3::Ptr<ns3::Socket> socket) {
  ns3::Address from;
  while (ns3::Ptr<ns3::Packet> packet = socket->RecvFrom(from)) {
    const core::Bytes bytes = PacketBytes(packet);
    if (!IsRequest(bytes) || ReadBe(bytes, 4, 4) != id_) continue;
    const uint64_t seq = ReadBe(bytes, 8, 8);
    std::string host(bytes.begin() + kRequestSize, bytes.end());
    TimelineEvent e{SimNow(),        TimelineEvent::Kind::kProbeAnswered,
                    std::move(host), probe_.service,
                    std::nullopt,    seq,
                    probe_.name};
    record_(std::move(e));
  }
}

}  // namespace vipcast::sim
