#include "tests/unit/speaker/speaker_cluster.h"

#include <cstdlib>
#include <iostream>
#include <utility>

#include "engine/wire/l2/frame.h"

namespace vipcast::speaker::testing {

using core::Duration;
using core::TimePoint;

core::Bytes TestKey() {
  core::Bytes key(32);
  for (size_t i = 0; i < key.size(); ++i) key[i] = static_cast<uint8_t>(0x5A ^ i);
  return key;
}

core::MacAddr SpeakerCluster::MacOf(size_t node) {
  return core::MacAddr({2, 0, 0, 0, static_cast<uint8_t>(node >> 8 & 0xff),
                        static_cast<uint8_t>((node & 0xff) + 1)});
}

core::Endpoint SpeakerCluster::EndpointOf(size_t node) {
  return core::Endpoint{core::Ipv4Addr::FromOctets(10, 0, static_cast<uint8_t>(node >> 8 & 0xff),
                                                   static_cast<uint8_t>(10 + (node & 0xff))),
                        7946};
}

SpeakerCluster::SpeakerCluster(ClusterOptions options)
    : options_(std::move(options)),
      h_(harness::HarnessOptions{.seed = options_.seed, .trace_filter = options_.trace_filter}) {
  h_.SetLinkModel("lan", options_.link);
  for (size_t i = 0; i < options_.nodes; ++i) {
    Slot slot;
    slot.id = h_.AddNode(harness::NodeSpec{
        NameOf(i), {harness::InterfaceSpec{"eth0", MacOf(i), {EndpointOf(i).address}, "lan"}}});
    slots_.push_back(std::move(slot));
  }
  datagrams_.resize(options_.nodes);
  datagrams_sent_.resize(options_.nodes);
  config_ = std::make_shared<config::ClusterConfig>();
  nodes_ = std::make_shared<config::NodeSet>();
  services_ = std::make_shared<config::ServiceSet>();
  h_.SetActionObserver([this](TimePoint at, harness::NodeId node, const core::Action& action) {
    Observe(at, node, action);
  });
}

void SpeakerCluster::StartAll() {
  for (size_t i = 0; i < slots_.size(); ++i) Start(i);
}

void SpeakerCluster::Start(size_t node) {
  Slot& slot = slots_[node];
  L2SpeakerOptions o;
  o.membership.self = core::NodeName::Parse(NameOf(node)).value();
  o.membership.endpoint = EndpointOf(node);
  for (size_t j = 0; j < slots_.size(); ++j) {
    if (j != node) o.membership.seeds.push_back(EndpointOf(j));
  }
  o.membership.profile = options_.profile;
  o.membership.key = TestKey();
  o.membership.boot_id = ++slot.boot_id;
  o.responder.schedule = options_.schedule;
  o.join_grace = options_.join_grace;
  slot.shut_down = false;
  slot.speaker = std::make_unique<L2Speaker>(std::move(o), h_.rng(slot.id));
  h_.Start(slot.id, slot.speaker.get());
  Tell(node);
}

void SpeakerCluster::Crash(size_t node) { h_.Crash(slots_[node].id); }

void SpeakerCluster::Restart(size_t node) {
  Crash(node);
  Start(node);
}

void SpeakerCluster::Shutdown(size_t node) {
  if (!running(node)) return;
  slots_[node].shut_down = true;
  h_.Inject(slots_[node].id, core::ShutdownRequested{});
}

void SpeakerCluster::SetWorld(config::ClusterConfig config, config::NodeSet nodes,
                              config::ServiceSet services) {
  config_ = std::make_shared<const config::ClusterConfig>(std::move(config));
  nodes_ = std::make_shared<const config::NodeSet>(std::move(nodes));
  services_ = std::make_shared<const config::ServiceSet>(std::move(services));
  for (size_t i = 0; i < slots_.size(); ++i) {
    if (running(i)) Tell(i);
  }
}

void SpeakerCluster::Tell(size_t node) {
  const harness::NodeId id = slots_[node].id;
  h_.Inject(id, core::ConfigApplied{config_});
  h_.Inject(id, core::NodesChanged{nodes_});
  h_.Inject(id, core::ServicesChanged{services_});
}

bool SpeakerCluster::running(size_t node) const { return h_.running(slots_[node].id); }

std::set<core::NodeName> SpeakerCluster::Live() const {
  std::set<core::NodeName> out;
  for (size_t i = 0; i < slots_.size(); ++i) {
    if (live(i)) out.insert(core::NodeName::Parse(NameOf(i)).value());
  }
  return out;
}

std::vector<size_t> SpeakerCluster::Announcers(const core::IpAddr& vip) const {
  std::vector<size_t> out;
  for (size_t i = 0; i < slots_.size(); ++i) {
    // What the responder does, not what the speaker believes it told it.
    if (running(i) && slots_[i].speaker->responder().Answers(vip, "eth0")) out.push_back(i);
  }
  return out;
}

std::unique_ptr<election::Election> SpeakerCluster::Reference(
    const std::set<core::NodeName>& members) const {
  auto e = std::make_unique<election::Election>();
  e->SetConfig(*config_);
  e->SetNodes(*nodes_);
  e->SetServices(*services_);
  e->SetMembers(members);
  return e;
}

size_t SpeakerCluster::DatagramsSince(size_t node, TimePoint since) const {
  size_t n = 0;
  for (TimePoint t : datagrams_[node]) n += t >= since ? 1 : 0;
  return n;
}

void SpeakerCluster::Broadcast(const core::Bytes& frame) {
  for (size_t i = 0; i < slots_.size(); ++i) {
    if (running(i)) h_.Inject(slots_[i].id, core::FrameReceived{"eth0", frame});
  }
}

void SpeakerCluster::Observe(TimePoint at, harness::NodeId id, const core::Action& action) {
  const size_t node = id.index;
  if (std::holds_alternative<core::SendDatagram>(action)) {
    ++datagrams_sent_[node];
    if (options_.keep_datagram_times) datagrams_[node].push_back(at);
    return;
  }
  const auto* send = std::get_if<core::SendFrame>(&action);
  if (send == nullptr) return;
  auto parsed = wire::ParseFrame(send->frame);
  if (!parsed) {
    std::cerr << "speaker sent an undecodable frame\n";
    std::abort();  // a test bug or an engine bug; either way stop loudly
  }
  if (const auto* arp = std::get_if<wire::ArpPacket>(&parsed->payload)) {
    const bool gratuitous = parsed->ethernet.dst.IsBroadcast();
    frames_.push_back({at, node, arp->sender_ip, gratuitous});
    if (!gratuitous) replies_.emplace_back(node, send->frame);
    return;
  }
  const auto& ndp = std::get<wire::NdpPacket>(parsed->payload);
  if (const auto* na = std::get_if<wire::NeighborAdvertisement>(&ndp.message)) {
    const bool gratuitous = !na->solicited_flag;
    frames_.push_back({at, node, na->target, gratuitous});
    if (!gratuitous) replies_.emplace_back(node, send->frame);
  }
}

}  // namespace vipcast::speaker::testing
