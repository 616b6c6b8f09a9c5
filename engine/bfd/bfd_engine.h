// The BFD engine of one speaker: many RFC 5880 sessions over the UDP
// encapsulations of RFC 5881 (single-hop) and RFC 5883 (multihop), driven
// through the sans-IO Engine contract.
//
// Inputs: DatagramReceived on local port 3784 (single-hop) or 4784
// (multihop); other ports are not BFD and are ignored. ShutdownRequested
// takes every session AdminDown and tells the peers (RFC 5880 6.8.16).
// Outputs: SendDatagram (TTL 255, source port 49152-65535 fixed per
// session), Listen/StopListening for the UDP control ports in use,
// SessionStateChanged{protocol "bfd"}, MetricChanged (metrics.h) and Log.
// Clients in the same process (BGP) read state changes with
// DrainStateChanges() so that they can react in the same step.
//
// Invariants: at most limits.max_sessions sessions; local discriminators are
// nonzero and unique, source ports unique; sessions are visited in key
// order, so output depends only on inputs and the Rng seed.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/bfd/metrics.h"
#include "engine/bfd/session.h"
#include "engine/bfd/session_config.h"
#include "engine/bfd/state_change.h"
#include "engine/core/io.h"
#include "engine/core/result.h"
#include "engine/core/rng.h"

namespace vipcast::bfd {

struct EngineLimits {
  size_t max_sessions = 1024;
  // Oldest changes are dropped (and counted) when clients do not drain.
  size_t max_pending_state_changes = 4096;
};

struct SessionInfo {
  SessionKey key;
  SessionParameters params;
  wire::bfd::State state = wire::bfd::State::kDown;
  wire::bfd::State remote_state = wire::bfd::State::kDown;
  wire::bfd::Diag local_diag = wire::bfd::Diag::kNone;
  uint32_t local_discriminator = 0;
  uint32_t remote_discriminator = 0;
  uint16_t source_port = 0;
  core::Duration transmit_interval;
  core::Duration detection_time;
  bool poll_active = false;
  SessionCounters counters;
};

class BfdEngine : public core::Engine {
 public:
  // `rng` draws discriminators, source ports and jitter; it must outlive
  // the engine.
  explicit BfdEngine(core::Rng& rng, EngineLimits limits = {});

  // Fails when the key exists, the addresses' families differ, the
  // parameters are invalid (ValidateParameters) or the session limit is
  // reached. Emits Listen for a control port first used,
  // the session's initial metrics and, for echo mode, a warning Log.
  core::Status<std::string> AddSession(core::TimePoint now, const SessionConfig& config,
                                       core::Outbox& out);
  // Sends one AdminDown packet if the peer may be listening (RFC 5880
  // 6.8.16), then forgets the session. False when the key is unknown.
  bool RemoveSession(core::TimePoint now, const SessionKey& key, core::Outbox& out);
  // New profile values; interval changes run a Poll Sequence while Up.
  // Fails for an unknown key or parameters ValidateParameters rejects.
  core::Status<std::string> UpdateSession(core::TimePoint now, const SessionKey& key,
                                          const SessionParameters& params, core::Outbox& out);
  // RFC 5880 6.8.16 administrative control.
  bool SetAdminDown(core::TimePoint now, const SessionKey& key, bool admin_down, core::Outbox& out);

  std::optional<SessionInfo> GetSession(const SessionKey& key) const;
  std::optional<wire::bfd::State> GetState(const SessionKey& key) const;
  std::vector<SessionInfo> Sessions() const;  // in key order
  size_t session_count() const { return sessions_.size(); }

  // State changes since the last call, oldest first.
  std::vector<StateChange> DrainStateChanges();
  uint64_t dropped_state_changes() const { return dropped_state_changes_; }

  // Received datagrams discarded before reaching a session, by reason
  // (metrics.h kMetricPacketsDropped).
  uint64_t dropped(std::string_view reason) const;
  const std::map<std::string, uint64_t, std::less<>>& drops() const { return drops_; }

  void Handle(core::TimePoint now, const core::Input& input, core::Outbox& out) override;
  void Advance(core::TimePoint now, core::Outbox& out) override;
  core::TimePoint NextDeadline() const override;

 private:
  struct Entry {
    Entry(const SessionConfig& config, uint32_t discriminator, uint16_t port, core::TimePoint now,
          core::Rng& rng);
    SessionConfig config;
    Session session;
    uint16_t source_port;
    SessionCounters counters;
    std::string peer_label;
  };

  void HandleDatagram(core::TimePoint now, const core::DatagramReceived& datagram,
                      core::Outbox& out);
  // Turns a session's output into actions, counters and state changes.
  void Flush(core::TimePoint now, Entry& entry, SessionOutput& produced, core::Outbox& out);
  void Drop(std::string_view reason, core::Outbox& out);

  core::Rng& rng_;
  EngineLimits limits_;
  std::map<SessionKey, Entry> sessions_;
  std::map<uint32_t, SessionKey> by_discriminator_;
  std::set<uint32_t> discriminators_;
  std::set<uint16_t> source_ports_;
  std::map<core::Endpoint, size_t> listeners_;  // control endpoint -> sessions using it
  std::deque<StateChange> pending_changes_;
  uint64_t dropped_state_changes_ = 0;
  std::map<std::string, uint64_t, std::less<>> drops_;
};

}  // namespace vipcast::bfd
