// Counters and gauges of one Membership engine. Updated on every message but
// emitted as MetricChanged only by Flush() (from Advance, so at least once per
// gossip interval), and only those that changed, so metrics add a bounded
// number of actions per period rather than one per datagram.
//
// Names (Prometheus conventions):
//   vipcast_membership_members{state}                  gauge
//   vipcast_membership_messages_sent_total{type}       counter
//   vipcast_membership_messages_received_total{type}   counter (accepted)
//   vipcast_membership_bytes_sent_total                counter
//   vipcast_membership_dropped_total{reason}           counter (datagrams and updates)
//   vipcast_membership_refutations_total               counter
//   vipcast_membership_probe_failures_total            counter
//   vipcast_membership_changes_dropped_total           counter (DrainChanges backlog full)
//   vipcast_membership_health_score                    gauge (Lifeguard awareness)
//   vipcast_membership_incarnation                     gauge
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "engine/core/io.h"
#include "engine/membership/member.h"
#include "engine/wire/membership/message.h"

namespace vipcast::membership {

// Reasons an engine drops a datagram (besides wire::membership decode
// errors, counted under their own names) or an update.
enum class DropReason : uint8_t {
  kReplayed,         // RFC 4303 3.4.3: sequence number already seen in the window
  kTooOld,           // below the replay window
  kStaleBoot,        // boot id lower than one already seen from that sender
  kSelfSender,       // claims to come from this node
  kMisdirected,      // a ping for another node reached us
  kRelayTableFull,   // too many ping-req probes in flight for others
  kMemberTableFull,  // an update about an unknown node while the table is full
  kOversized,        // an outgoing message that cannot fit (pathologically long names)
};

std::string_view ToString(DropReason reason);

class MembershipMetrics {
 public:
  using MessageType = wire::membership::MessageType;

  void Sent(MessageType type, size_t bytes);
  void Received(MessageType type);
  void Dropped(std::string_view reason);
  void Dropped(DropReason reason) { Dropped(ToString(reason)); }
  void SetMembers(MemberState state, size_t count);
  void Refuted() { Bump(refutations_); }
  void ProbeFailed() { Bump(probe_failures_); }
  void ChangeDropped() { Bump(changes_dropped_); }
  void SetHealth(int score) { Set(health_, score); }
  void SetIncarnation(uint32_t incarnation) { Set(incarnation_, incarnation); }

  uint64_t sent(MessageType type) const;
  uint64_t received(MessageType type) const;
  uint64_t total_sent() const;
  uint64_t total_received() const;
  uint64_t bytes_sent() const { return static_cast<uint64_t>(bytes_sent_.value); }
  uint64_t dropped(std::string_view reason) const;
  uint64_t total_dropped() const;
  std::map<std::string, uint64_t> dropped_by_reason() const;
  uint64_t refutations() const { return static_cast<uint64_t>(refutations_.value); }
  uint64_t probe_failures() const { return static_cast<uint64_t>(probe_failures_.value); }

  // Emits every value changed since the last Flush.
  void Flush(core::Outbox& out);

 private:
  struct Value {
    double value = 0;
    bool dirty = false;
  };
  static void Bump(Value& v, double by = 1) {
    v.value += by;
    v.dirty = true;
  }
  static void Set(Value& v, double to) {
    if (v.value != to) v.dirty = true;
    v.value = to;
  }
  static size_t Index(MessageType type) { return static_cast<size_t>(type); }

  static constexpr size_t kTypes = 8;  // indexed by MessageType value (1..6)
  std::array<Value, kTypes> sent_{};
  std::array<Value, kTypes> received_{};
  Value bytes_sent_;
  std::map<std::string, Value, std::less<>> dropped_;
  std::array<Value, 4> members_{};
  Value refutations_;
  Value probe_failures_;
  Value changes_dropped_;
  Value health_;
  Value incarnation_;
};

}  // namespace vipcast::membership
