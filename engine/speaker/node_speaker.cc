#include "engine/speaker/node_speaker.h"

#include <algorithm>
#include <utility>
#include <variant>

#include "engine/bfd/transport.h"

namespace vipcast::speaker {

using core::TimePoint;

NodeSpeaker::NodeSpeaker(NodeSpeakerOptions options, core::Rng& rng)
    : membership_port_(options.l2.membership.endpoint.port),
      l2_(std::move(options.l2), rng),
      bgp_(std::move(options.bgp), rng) {}

void NodeSpeaker::Handle(TimePoint now, const core::Input& input, core::Outbox& out) {
  if (const auto* d = std::get_if<core::DatagramReceived>(&input)) {
    if (d->local.port == membership_port_) {
      l2_.Handle(now, input, out);
    } else if (d->local.port == bfd::kSingleHopControlPort ||
               d->local.port == bfd::kMultiHopControlPort) {
      bgp_.Handle(now, input, out);
    }
    return;
  }
  if (std::holds_alternative<core::FrameReceived>(input)) {
    l2_.Handle(now, input, out);
    return;
  }
  if (std::holds_alternative<core::StreamAccepted>(input) ||
      std::holds_alternative<core::StreamConnected>(input) ||
      std::holds_alternative<core::StreamData>(input) ||
      std::holds_alternative<core::StreamWritable>(input) ||
      std::holds_alternative<core::StreamClosed>(input)) {
    bgp_.Handle(now, input, out);
    return;
  }
  // InterfacesChanged, ConfigApplied, ServicesChanged, NodesChanged,
  // ShutdownRequested: both parts.
  l2_.Handle(now, input, out);
  bgp_.Handle(now, input, out);
}

void NodeSpeaker::Advance(TimePoint now, core::Outbox& out) {
  // L2Speaker::Advance also starts its join grace on the first call, so it
  // runs whenever the node is advanced; BGP only when due.
  l2_.Advance(now, out);
  if (bgp_.NextDeadline() <= now) bgp_.Advance(now, out);
}

TimePoint NodeSpeaker::NextDeadline() const {
  return std::min(l2_.NextDeadline(), bgp_.NextDeadline());
}

}  // namespace vipcast::speaker
