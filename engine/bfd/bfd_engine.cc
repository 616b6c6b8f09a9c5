#include "engine/bfd/bfd_engine.h"

#include <algorithm>
#include <variant>

#include "engine/bfd/identifiers.h"
#include "engine/bfd/transport.h"
#include "engine/wire/bfd/codec.h"

namespace vipcast::bfd {

using wire::bfd::State;

BfdEngine::Entry::Entry(const SessionConfig& cfg, uint32_t discriminator, uint16_t port,
                        core::TimePoint now, core::Rng& rng)
    : config(cfg),
      session(discriminator, cfg.params, now, rng),
      source_port(port),
      peer_label(cfg.key.peer.ToString()) {}

namespace {

// The local control endpoint a session receives on (RFC 5881 4, RFC 5883 5).
core::Endpoint ListenEndpoint(const SessionKey& key) {
  return core::Endpoint{key.local, ControlPort(key.hop)};
}

// The last packet of a session that will not get another periodic slot
// (removed, or the speaker shutting down): its AdminDown state, sent at
// once so the peer goes Down with "Neighbor Signaled Session Down" and,
// following RFC 5882 3.2, keeps its client sessions. Not sent where the
// session may not transmit at all (Passive role before hearing the peer).
void AppendFarewell(const Session& session, SessionOutput& produced) {
  if (session.MayTransmitPeriodically()) produced.packets.push_back(session.MakePacket(false));
}

}  // namespace

BfdEngine::BfdEngine(core::Rng& rng, EngineLimits limits) : rng_(rng), limits_(limits) {}

core::Status<std::string> BfdEngine::AddSession(core::TimePoint now, const SessionConfig& config,
                                                core::Outbox& out) {
  const SessionKey& key = config.key;
  if (sessions_.contains(key)) {
    return core::MakeErr("BFD session " + key.ToString() + " already exists");
  }
  if (key.peer.family() != key.local.family()) {
    return core::MakeErr("BFD session " + key.ToString() + " mixes address families");
  }
  if (auto valid = ValidateParameters(config.params); !valid.ok()) {
    return core::MakeErr("BFD session " + key.ToString() + ": " + valid.error());
  }
  if (sessions_.size() >= limits_.max_sessions) {
    return core::MakeErr("BFD session limit of " + std::to_string(limits_.max_sessions) +
                         " reached; not adding " + key.ToString());
  }
  auto port = AllocateSourcePort(rng_, source_ports_);
  if (!port) return core::MakeErr(std::string("no free BFD source port"));
  const uint32_t discriminator = AllocateDiscriminator(rng_, discriminators_);

  auto [it, inserted] = sessions_.try_emplace(key, config, discriminator, *port, now, rng_);
  (void)inserted;
  discriminators_.insert(discriminator);
  by_discriminator_.emplace(discriminator, key);
  source_ports_.insert(*port);

  const core::Endpoint listen = ListenEndpoint(key);
  if (listeners_[listen]++ == 0) {
    // The engine applies the TTL rules itself (it must count discards), so
    // the socket is asked for no minimum TTL, only to report the TTL.
    out.Emit(core::Listen{core::Transport::kUdp, listen, {}, 0});
  }
  if (config.params.echo_mode) {
    out.Emit(core::Log{core::LogLevel::kWarning,
                       "BFD echo mode is not supported; the session runs in asynchronous mode "
                       "without echo",
                       {{"peer", it->second.peer_label}, {"session", key.ToString()}}});
  }
  EmitAllPeerMetrics(out, it->second.peer_label, false, it->second.counters);
  return core::Ok();
}

bool BfdEngine::RemoveSession(core::TimePoint now, const SessionKey& key, core::Outbox& out) {
  auto it = sessions_.find(key);
  if (it == sessions_.end()) return false;
  Entry& entry = it->second;
  SessionOutput produced;
  // RFC 5880 6.8.16: tell the peer the session is going away on purpose, so
  // that it goes Down with diag 3 instead of waiting out its Detection Time.
  entry.session.SetAdminDown(now, true, produced);
  AppendFarewell(entry.session, produced);
  Flush(now, entry, produced, out);
  EmitPeerMetric(out, kMetricSessionUp, entry.peer_label, 0);

  const core::Endpoint listen = ListenEndpoint(key);
  if (auto l = listeners_.find(listen); l != listeners_.end() && --l->second == 0) {
    listeners_.erase(l);
    out.Emit(core::StopListening{core::Transport::kUdp, listen});
  }
  const uint32_t discriminator = entry.session.local_discriminator();
  discriminators_.erase(discriminator);
  by_discriminator_.erase(discriminator);
  source_ports_.erase(entry.source_port);
  sessions_.erase(it);
  return true;
}

core::Status<std::string> BfdEngine::UpdateSession(core::TimePoint now, const SessionKey& key,
                                                   const SessionParameters& params,
                                                   core::Outbox& out) {
  auto it = sessions_.find(key);
  if (it == sessions_.end()) return core::MakeErr("no BFD session " + key.ToString());
  if (auto valid = ValidateParameters(params); !valid.ok()) {
    return core::MakeErr("BFD session " + key.ToString() + ": " + valid.error());
  }
  Entry& entry = it->second;
  if (params.echo_mode && !entry.config.params.echo_mode) {
    out.Emit(core::Log{core::LogLevel::kWarning,
                       "BFD echo mode is not supported; the session runs in asynchronous mode "
                       "without echo",
                       {{"peer", entry.peer_label}, {"session", key.ToString()}}});
  }
  entry.config.params = params;
  entry.session.SetParameters(now, params);
  return core::Ok();
}

bool BfdEngine::SetAdminDown(core::TimePoint now, const SessionKey& key, bool admin_down,
                             core::Outbox& out) {
  auto it = sessions_.find(key);
  if (it == sessions_.end()) return false;
  SessionOutput produced;
  it->second.session.SetAdminDown(now, admin_down, produced);
  Flush(now, it->second, produced, out);
  return true;
}

std::optional<SessionInfo> BfdEngine::GetSession(const SessionKey& key) const {
  auto it = sessions_.find(key);
  if (it == sessions_.end()) return std::nullopt;
  const Entry& e = it->second;
  SessionInfo info;
  info.key = key;
  info.params = e.config.params;
  info.state = e.session.state();
  info.remote_state = e.session.remote_state();
  info.local_diag = e.session.local_diag();
  info.local_discriminator = e.session.local_discriminator();
  info.remote_discriminator = e.session.remote_discriminator();
  info.source_port = e.source_port;
  info.transmit_interval = e.session.transmit_interval();
  info.detection_time = e.session.detection_time();
  info.poll_active = e.session.poll_active();
  info.counters = e.counters;
  return info;
}

std::optional<State> BfdEngine::GetState(const SessionKey& key) const {
  auto it = sessions_.find(key);
  if (it == sessions_.end()) return std::nullopt;
  return it->second.session.state();
}

std::vector<SessionInfo> BfdEngine::Sessions() const {
  std::vector<SessionInfo> out;
  out.reserve(sessions_.size());
  for (const auto& [key, entry] : sessions_) out.push_back(*GetSession(key));
  return out;
}

std::vector<StateChange> BfdEngine::DrainStateChanges() {
  std::vector<StateChange> out(pending_changes_.begin(), pending_changes_.end());
  pending_changes_.clear();
  return out;
}

uint64_t BfdEngine::dropped(std::string_view reason) const {
  auto it = drops_.find(reason);
  return it == drops_.end() ? 0 : it->second;
}

void BfdEngine::Drop(std::string_view reason, core::Outbox& out) {
  auto it = drops_.find(reason);
  if (it == drops_.end()) it = drops_.emplace(std::string(reason), 0).first;
  ++it->second;
  out.Emit(core::MetricChanged{std::string(kMetricPacketsDropped),
                               {{"reason", std::string(reason)}},
                               static_cast<double>(it->second)});
}

void BfdEngine::Handle(core::TimePoint now, const core::Input& input, core::Outbox& out) {
  if (const auto* datagram = std::get_if<core::DatagramReceived>(&input)) {
    HandleDatagram(now, *datagram, out);
  } else if (std::holds_alternative<core::ShutdownRequested>(input)) {
    // RFC 5880 6.8.16: a system going away takes its sessions AdminDown so
    // that peers do not mistake the shutdown for a path failure.
    for (auto& [key, entry] : sessions_) {
      SessionOutput produced;
      entry.session.SetAdminDown(now, true, produced);
      AppendFarewell(entry.session, produced);
      Flush(now, entry, produced, out);
    }
  }
}

void BfdEngine::HandleDatagram(core::TimePoint now, const core::DatagramReceived& datagram,
                               core::Outbox& out) {
  HopMode hop;
  if (datagram.local.port == kSingleHopControlPort) {
    hop = HopMode::kSingleHop;
  } else if (datagram.local.port == kMultiHopControlPort) {
    hop = HopMode::kMultiHop;
  } else {
    return;  // not a BFD control port
  }
  auto decoded = wire::bfd::Decode(datagram.payload);
  if (!decoded.ok()) {
    Drop(wire::bfd::ToString(decoded.error().kind), out);
    return;
  }
  const wire::bfd::ControlPacket& packet = decoded.value();

  // RFC 5880 6.8.6: "If the Your Discriminator field is nonzero, it MUST be
  // used to select the session with which this BFD packet is associated. If
  // no session is found, the packet MUST be discarded." Otherwise the
  // session is found by addresses: the source address (RFC 5881 3) or the
  // source and destination addresses (RFC 5883 3), and the port's hop mode.
  Entry* entry = nullptr;
  if (packet.your_discriminator != 0) {
    auto d = by_discriminator_.find(packet.your_discriminator);
    if (d != by_discriminator_.end()) entry = &sessions_.at(d->second);
  } else {
    auto s = sessions_.find(SessionKey{datagram.remote.address, datagram.local.address, hop});
    if (s != sessions_.end()) entry = &s->second;
  }
  if (entry == nullptr) {
    Drop("no_session", out);
    return;
  }
  // A discriminator is a session's name, not a credential: a packet naming
  // our session must still come from its peer and on its encapsulation.
  if (entry->config.key.hop != hop || entry->config.key.peer != datagram.remote.address) {
    Drop("address", out);
    return;
  }
  if (hop == HopMode::kSingleHop) {
    // RFC 5881 5: "All received BFD Control packets that are demultiplexed to
    // the session MUST be discarded if the received TTL or Hop Limit is not
    // equal to 255." (authentication, the exception, is not used).
    if (datagram.ttl != kSingleHopRequiredTtl) {
      ++entry->counters.dropped_ttl;
      Drop("ttl", out);
      return;
    }
  } else if (datagram.ttl < entry->config.params.minimum_ttl) {
    // RFC 5883 5 leaves the TTL check to configuration: packets that crossed
    // more hops than the profile's minimumTtl allows are discarded.
    ++entry->counters.dropped_ttl;
    Drop("ttl", out);
    return;
  }

  ++entry->counters.control_packet_input;
  EmitPeerMetric(out, kMetricControlPacketInput, entry->peer_label,
                 static_cast<double>(entry->counters.control_packet_input));
  SessionOutput produced;
  entry->session.Receive(now, packet, produced);
  Flush(now, *entry, produced, out);
}

void BfdEngine::Advance(core::TimePoint now, core::Outbox& out) {
  for (auto& [key, entry] : sessions_) {
    if (entry.session.NextDeadline() > now) continue;
    SessionOutput produced;
    entry.session.Advance(now, produced);
    Flush(now, entry, produced, out);
  }
}

core::TimePoint BfdEngine::NextDeadline() const {
  core::TimePoint next = core::TimePoint::Never();
  for (const auto& [key, entry] : sessions_) next = std::min(next, entry.session.NextDeadline());
  return next;
}

void BfdEngine::Flush(core::TimePoint now, Entry& entry, SessionOutput& produced,
                      core::Outbox& out) {
  const SessionKey& key = entry.config.key;
  for (const wire::bfd::ControlPacket& packet : produced.packets) {
    // RFC 5881 4 / RFC 5883 5: fixed source port per session, destination
    // 3784 or 4784; RFC 5881 5: TTL 255.
    out.Emit(core::SendDatagram{core::Endpoint{key.local, entry.source_port},
                                core::Endpoint{key.peer, ControlPort(key.hop)}, kTransmitTtl,
                                wire::bfd::Encode(packet), entry.config.interface});
    ++entry.counters.control_packet_output;
  }
  if (!produced.packets.empty()) {
    EmitPeerMetric(out, kMetricControlPacketOutput, entry.peer_label,
                   static_cast<double>(entry.counters.control_packet_output));
  }
  for (const Transition& t : produced.transitions) {
    out.Emit(core::SessionStateChanged{
        "bfd", entry.peer_label, std::string(wire::bfd::ToString(t.from)),
        std::string(wire::bfd::ToString(t.to)), wire::bfd::ToString(t.diag)});
    if (t.to == State::kUp) {
      ++entry.counters.session_up_events;
      EmitPeerMetric(out, kMetricSessionUpEvents, entry.peer_label,
                     static_cast<double>(entry.counters.session_up_events));
      EmitPeerMetric(out, kMetricSessionUp, entry.peer_label, 1);
    } else if (t.from == State::kUp) {
      // A down event is the end of an Up period, whatever ended it.
      ++entry.counters.session_down_events;
      EmitPeerMetric(out, kMetricSessionDownEvents, entry.peer_label,
                     static_cast<double>(entry.counters.session_down_events));
      EmitPeerMetric(out, kMetricSessionUp, entry.peer_label, 0);
    }
    if (pending_changes_.size() >= limits_.max_pending_state_changes) {
      pending_changes_.pop_front();
      ++dropped_state_changes_;
    }
    pending_changes_.push_back(StateChange{key, now, t.from, t.to, t.diag, t.remote_state});
  }
}

}  // namespace vipcast::bfd
