// The BGP sessions of one node as an Engine: listens for peers (RFC 4271 8:
// passive TCP establishment on port 179), routes stream events to the session
// that owns the stream (accepted streams by the peer's address), retires
// deconfigured peers gracefully, and hands every session the node's
// addresses for next hops. The speaker and router roles compose it.
//
// Listening: once the node's interfaces are known, one Listen per address
// family (the wildcard address) carrying the RFC 2385 TCP-MD5 key of every
// configured peer of that family that has a password, so that a peer with a
// password can connect to us (the kernel drops its SYNs otherwise). When
// SetPeers changes that key set, the family's Listen is emitted again with the
// new keys, which replaces the listener's options (core::Listen).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/bgp/session.h"
#include "engine/core/io.h"

namespace vipcast::bgp {

// Invariants: session names are unique; a stream belongs to at most one
// session (active or retiring).
class SessionSet : public core::Engine {
 public:
  explicit SessionSet(uint16_t listen_port = 179);

  // Adds, keeps or replaces sessions by name. A session whose configuration
  // changed is stopped (Cease) and started anew; a removed one is stopped
  // gracefully (RFC 4486 3: Peer De-configured).
  void SetPeers(core::TimePoint now, std::vector<SessionConfig> peers, core::Outbox& out);
  void SetDesired(core::TimePoint now, const std::string& peer, RibOut desired, core::Outbox& out);
  void StopAll(core::TimePoint now, const std::string& message, core::Outbox& out);

  Session* Find(const std::string& name);
  const std::map<std::string, std::unique_ptr<Session>>& sessions() const { return sessions_; }

  void Handle(core::TimePoint now, const core::Input& input, core::Outbox& out) override;
  void Advance(core::TimePoint now, core::Outbox& out) override;
  core::TimePoint NextDeadline() const override;

 private:
  Session* Owner(core::StreamId stream);
  void Retire(core::TimePoint now, std::unique_ptr<Session> session, const std::string& why,
              uint8_t cease_subcode, core::Outbox& out);
  // Emits the Listen of each family whose key set differs from the one last
  // emitted (all of them the first time); nothing before the interfaces are
  // known.
  void UpdateListeners(core::Outbox& out);

  using Md5Keys = std::vector<std::pair<core::IpAddr, std::string>>;
  uint16_t port_;
  bool listening_ = false;
  // The keys last emitted per family ([0] IPv4, [1] IPv6) while listening_.
  std::array<Md5Keys, 2> listen_keys_;
  bool shut_down_ = false;
  uint64_t next_stream_ = 1;
  std::optional<core::Ipv4Addr> local_v4_;
  std::optional<core::Ipv6Addr> local_v6_;
  std::map<std::string, std::unique_ptr<Session>> sessions_;
  std::vector<std::unique_ptr<Session>> retiring_;
};

}  // namespace vipcast::bgp
