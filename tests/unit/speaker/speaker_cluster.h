// L2 speakers of several nodes on one LAN segment of the deterministic
// harness (tests/harness), with the world (configuration, Nodes, Services)
// handed to every running speaker, and a record of every ARP/NDP frame the
// speakers send, classified as gratuitous announcement or answer. Shared by
// the speaker unit tests and the multi-node convergence property.
//
// Invariants: node i is "node-<i>" with eth0 (MAC MacOf(i)) at
// EndpointOf(i).address on segment "lan", membership on UDP 7946; every node
// has every other node as a membership seed; a run is a pure function of the
// options and the calls made.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/config/model.h"
#include "engine/core/io.h"
#include "engine/core/ip.h"
#include "engine/core/mac.h"
#include "engine/core/time.h"
#include "engine/election/election.h"
#include "engine/l2/announce_schedule.h"
#include "engine/membership/profile.h"
#include "engine/speaker/l2_speaker.h"
#include "tests/harness/harness.h"

namespace vipcast::speaker::testing {

struct ClusterOptions {
  uint64_t seed = 1;
  size_t nodes = 3;
  membership::TimingProfile profile = membership::DefaultProfile();
  harness::LinkModel link{.delay = core::Duration::Microseconds(200),
                          .jitter = core::Duration::Microseconds(100)};
  l2::AnnounceSchedule schedule = l2::AnnounceSchedule::Default();
  core::Duration join_grace = core::Duration::Seconds(2);
  // Passed to the harness (HarnessOptions::trace_filter): unset records
  // every fact.
  std::function<bool(const harness::Fact&)> trace_filter;
  // Keep the send time of every datagram for DatagramsSince; off, only the
  // per-node totals (DatagramsSent) are kept, so that long runs of many
  // nodes do not grow without bound.
  bool keep_datagram_times = true;
};

// One ARP or NDP frame a speaker sent for a VIP.
struct SentFrame {
  core::TimePoint at;
  size_t node = 0;
  core::IpAddr vip;
  // Gratuitous ARP (broadcast) or unsolicited NA; otherwise an answer.
  bool gratuitous = false;
};

class SpeakerCluster {
 public:
  explicit SpeakerCluster(ClusterOptions options);

  static core::MacAddr MacOf(size_t node);
  static core::Endpoint EndpointOf(size_t node);
  static std::string NameOf(size_t node) { return "node-" + std::to_string(node); }

  // Starts every node at now().
  void StartAll();
  // A fresh speaker (boot id + 1), given the current world.
  void Start(size_t node);
  void Crash(size_t node);
  void Restart(size_t node);
  // ShutdownRequested to a running node; it stays running (draining its
  // leave) and counts as gone for Live().
  void Shutdown(size_t node);

  // Replaces the world and hands it to every running speaker now.
  void SetWorld(config::ClusterConfig config, config::NodeSet nodes, config::ServiceSet services);

  harness::Harness& h() { return h_; }
  const harness::Harness& h() const { return h_; }
  core::TimePoint now() const { return h_.now(); }
  void RunFor(core::Duration d) { h_.RunFor(d); }
  size_t size() const { return slots_.size(); }
  bool running(size_t node) const;
  bool shut_down(size_t node) const { return slots_[node].shut_down; }
  // Running and not shut down.
  bool live(size_t node) const { return running(node) && !slots_[node].shut_down; }
  std::set<core::NodeName> Live() const;
  L2Speaker& speaker(size_t node) { return *slots_[node].speaker; }
  harness::NodeId id(size_t node) const { return slots_[node].id; }

  // Running nodes whose responder answers for `vip` on eth0.
  std::vector<size_t> Announcers(const core::IpAddr& vip) const;
  // What a fresh election over the current world and `members` says.
  std::unique_ptr<election::Election> Reference(const std::set<core::NodeName>& members) const;

  const std::vector<SentFrame>& frames() const { return frames_; }
  // Datagrams a node sent at or after `since` (needs keep_datagram_times).
  size_t DatagramsSince(size_t node, core::TimePoint since) const;
  // Datagrams a node sent since the cluster was made.
  uint64_t DatagramsSent(size_t node) const { return datagrams_sent_[node]; }
  // Delivers a frame to every running node's eth0, as a client on the LAN.
  void Broadcast(const core::Bytes& frame);
  // Frames every node sent in reply to Broadcast (not announcements).
  const std::vector<std::pair<size_t, core::Bytes>>& replies() const { return replies_; }

 private:
  struct Slot {
    harness::NodeId id;
    uint64_t boot_id = 0;
    bool shut_down = false;
    std::unique_ptr<L2Speaker> speaker;
  };
  void Observe(core::TimePoint at, harness::NodeId node, const core::Action& action);
  void Tell(size_t node);

  ClusterOptions options_;
  harness::Harness h_;
  std::vector<Slot> slots_;
  std::shared_ptr<const config::ClusterConfig> config_;
  std::shared_ptr<const config::NodeSet> nodes_;
  std::shared_ptr<const config::ServiceSet> services_;
  std::vector<SentFrame> frames_;
  std::vector<std::pair<size_t, core::Bytes>> replies_;
  std::vector<std::vector<core::TimePoint>> datagrams_;
  std::vector<uint64_t> datagrams_sent_;
};

// The 32-byte membership key every node shares.
core::Bytes TestKey();

}  // namespace vipcast::speaker::testing
