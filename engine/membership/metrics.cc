#include "engine/membership/metrics.h"

namespace vipcast::membership {

std::string_view ToString(DropReason reason) {
  switch (reason) {
    case DropReason::kReplayed:
      return "replayed";
    case DropReason::kTooOld:
      return "too_old";
    case DropReason::kStaleBoot:
      return "stale_boot";
    case DropReason::kSelfSender:
      return "self_sender";
    case DropReason::kMisdirected:
      return "misdirected";
    case DropReason::kRelayTableFull:
      return "relay_table_full";
    case DropReason::kMemberTableFull:
      return "member_table_full";
    case DropReason::kOversized:
      return "oversized";
  }
  return "unknown";
}

void MembershipMetrics::Sent(MessageType type, size_t bytes) {
  Bump(sent_[Index(type)]);
  Bump(bytes_sent_, static_cast<double>(bytes));
}

void MembershipMetrics::Received(MessageType type) { Bump(received_[Index(type)]); }

void MembershipMetrics::Dropped(std::string_view reason) {
  auto it = dropped_.find(reason);
  if (it == dropped_.end()) it = dropped_.emplace(std::string(reason), Value{}).first;
  Bump(it->second);
}

void MembershipMetrics::SetMembers(MemberState state, size_t count) {
  Set(members_[static_cast<size_t>(state)], static_cast<double>(count));
}

uint64_t MembershipMetrics::sent(MessageType type) const {
  return static_cast<uint64_t>(sent_[Index(type)].value);
}

uint64_t MembershipMetrics::received(MessageType type) const {
  return static_cast<uint64_t>(received_[Index(type)].value);
}

uint64_t MembershipMetrics::total_sent() const {
  double n = 0;
  for (const auto& v : sent_) n += v.value;
  return static_cast<uint64_t>(n);
}

uint64_t MembershipMetrics::total_received() const {
  double n = 0;
  for (const auto& v : received_) n += v.value;
  return static_cast<uint64_t>(n);
}

uint64_t MembershipMetrics::dropped(std::string_view reason) const {
  auto it = dropped_.find(reason);
  return it == dropped_.end() ? 0 : static_cast<uint64_t>(it->second.value);
}

uint64_t MembershipMetrics::total_dropped() const {
  double n = 0;
  for (const auto& [reason, v] : dropped_) n += v.value;
  return static_cast<uint64_t>(n);
}

std::map<std::string, uint64_t> MembershipMetrics::dropped_by_reason() const {
  std::map<std::string, uint64_t> out;
  for (const auto& [reason, v] : dropped_) out[reason] = static_cast<uint64_t>(v.value);
  return out;
}

void MembershipMetrics::Flush(core::Outbox& out) {
  auto emit = [&out](Value& v, const char* name, core::Labels labels) {
    if (!v.dirty) return;
    v.dirty = false;
    out.Emit(core::MetricChanged{name, std::move(labels), v.value});
  };
  for (MessageType t : wire::membership::kAllMessageTypes) {
    Value& sent = sent_[Index(t)];
    Value& received = received_[Index(t)];
    if (!sent.dirty && !received.dirty) continue;
    const std::string type(wire::membership::ToString(t));
    emit(sent, "vipcast_membership_messages_sent_total", {{"type", type}});
    emit(received, "vipcast_membership_messages_received_total", {{"type", type}});
  }
  emit(bytes_sent_, "vipcast_membership_bytes_sent_total", {});
  for (auto& [reason, v] : dropped_) {
    emit(v, "vipcast_membership_dropped_total", {{"reason", reason}});
  }
  for (MemberState s : kAllMemberStates) {
    Value& v = members_[static_cast<size_t>(s)];
    if (v.dirty) emit(v, "vipcast_membership_members", {{"state", std::string(ToString(s))}});
  }
  emit(refutations_, "vipcast_membership_refutations_total", {});
  emit(probe_failures_, "vipcast_membership_probe_failures_total", {});
  emit(changes_dropped_, "vipcast_membership_changes_dropped_total", {});
  emit(health_, "vipcast_membership_health_score", {});
  emit(incarnation_, "vipcast_membership_incarnation", {});
}

}  // namespace vipcast::membership
