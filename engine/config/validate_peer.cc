// BGPPeer rules that tie fields together, in the spirit of MetalLB's
// peerFromCR/parseTimers, and the peer's references to a BFDProfile and a
// password Secret.
#include <map>

#include "engine/config/scalar.h"
#include "engine/config/validate.h"

namespace vipcast::config::detail {
namespace {

constexpr std::string_view kKind = "BGPPeer";

// True when the field was written (even if its value was rejected), so a
// missing-field rule does not pile onto a reported type error.
bool Written(const BGPPeer& peer, const std::string& field) {
  return peer.meta.source.field_lines.count(field) != 0;
}

void CheckAsns(const BGPPeer& peer, Reporter& report) {
  if (peer.peer_asn && peer.dynamic_asn) {
    report.Error(kKind, peer.meta, "spec.dynamicASN", "cannot be set together with spec.peerASN");
  } else if (!peer.peer_asn && !peer.dynamic_asn && !Written(peer, "spec.peerASN") &&
             !Written(peer, "spec.dynamicASN")) {
    report.Error(kKind, peer.meta, "spec", "one of peerASN or dynamicASN is required");
  }
  const bool ibgp =
      (peer.peer_asn && *peer.peer_asn == peer.my_asn) || peer.dynamic_asn == DynamicAsn::kInternal;
  if (peer.ebgp_multi_hop && ibgp) {
    // MetalLB: "invalid ebgp-multihop parameter set for an ibgp peer".
    report.Error(kKind, peer.meta, "spec.ebgpMultiHop",
                 "cannot be set for an iBGP peer (the peer's AS is myASN)");
  }
}

void CheckAddress(const BGPPeer& peer, Reporter& report) {
  if (peer.peer_address && !peer.interface.empty()) {
    report.Error(kKind, peer.meta, "spec.interface",
                 "cannot be set together with spec.peerAddress");
  } else if (!peer.peer_address && peer.interface.empty() && !Written(peer, "spec.peerAddress")) {
    report.Error(kKind, peer.meta, "spec", "one of peerAddress or interface is required");
  }
  if (peer.peer_address && peer.source_address &&
      peer.peer_address->family() != peer.source_address->family()) {
    report.Error(kKind, peer.meta, "spec.sourceAddress",
                 peer.source_address->ToString() + " is " +
                     std::string(core::ToString(peer.source_address->family())) +
                     " but peerAddress " + peer.peer_address->ToString() + " is " +
                     std::string(core::ToString(peer.peer_address->family())));
  }
}

// RFC 4271 4.2: the hold time is 0 or at least 3 seconds, in whole seconds,
// carried in 16 bits. MetalLB's parseTimers: an effective hold time of 1 or 2
// seconds fails; with only keepaliveTime set the hold time is 3x keepalive.
void CheckTimers(const BGPPeer& peer, Reporter& report) {
  const bool has_hold = peer.hold_time.has_value();
  const std::string hold_field = has_hold ? "spec.holdTime" : "spec.keepaliveTime";
  if (!peer.hold_time && !peer.keepalive_time) return;
  const core::Duration hold = peer.EffectiveHoldTime();
  const int64_t hold_s = hold.seconds();
  if (has_hold && hold.nanoseconds() % 1'000'000'000 != 0) {
    report.Warning(kKind, peer.meta, "spec.holdTime",
                   hold.ToString() + " is not a whole number of seconds; BGP uses " +
                       core::Duration::Seconds(hold_s).ToString());
  }
  if (hold_s == 1 || hold_s == 2) {
    report.Error(kKind, peer.meta, hold_field,
                 "hold time " + core::Duration::Seconds(hold_s).ToString() +
                     " is invalid: it must be 0 or at least 3s (RFC 4271 4.2)");
  } else if (hold_s > 65535) {
    report.Error(
        kKind, peer.meta, hold_field,
        "hold time " + hold.ToString() + " is too long: BGP carries at most 65535s (RFC 4271 4.2)");
  }
  if (!peer.keepalive_time || !peer.hold_time) return;
  const core::Duration keepalive = *peer.keepalive_time;
  // MetalLB only rejects keepalive > hold; vipcast also rejects keepalive ==
  // hold, which lets the peer's hold timer expire between two keepalives.
  // A zero keepalive means "hold time / 3" (MetalLB's native speaker ignores
  // the field and MetalLB's own generator writes 0s).
  if (hold_s > 0 && keepalive.seconds() >= hold_s) {
    report.Error(kKind, peer.meta, "spec.keepaliveTime",
                 "keepalive time " + keepalive.ToString() + " must be less than hold time " +
                     core::Duration::Seconds(hold_s).ToString());
  } else if (hold_s == 0 && keepalive > core::Duration::Zero()) {
    report.Error(kKind, peer.meta, "spec.keepaliveTime",
                 "keepalive time " + keepalive.ToString() +
                     " needs a non-zero hold time (RFC 4271 4.4: no KEEPALIVE messages when the "
                     "hold time is 0)");
  }
}

void CheckConnectTime(const BGPPeer& peer, Reporter& report) {
  if (!peer.connect_time) return;
  const core::Duration t = *peer.connect_time;
  // The CRD's CEL rules, with its messages' meaning.
  if (t.nanoseconds() % 1'000'000'000 != 0) {
    report.Error(kKind, peer.meta, "spec.connectTime",
                 t.ToString() + " is not a whole number of seconds");
  } else if (t.seconds() < 1 || t.seconds() > 65535) {
    report.Error(kKind, peer.meta, "spec.connectTime",
                 t.ToString() + " is out of range (1s-65535s)");
  }
}

template <typename T>
const T* FindIn(const std::vector<T>& list, const std::string& ns, const std::string& name) {
  for (const auto& item : list) {
    if (item.meta.namespace_ == ns && item.meta.name == name) return &item;
  }
  return nullptr;
}

void CheckReferences(const BGPPeer& peer, const ClusterConfig& config,
                     const std::map<std::pair<std::string, std::string>, const BFDProfile*>& bfd,
                     Reporter& report) {
  if (!peer.bfd_profile.empty() && bfd.count({peer.meta.namespace_, peer.bfd_profile}) == 0) {
    // MetalLB: "peer %s referencing non existing bfd profile %s" (transient).
    report.Error(kKind, peer.meta, "spec.bfdProfile",
                 "BFDProfile " + Quote(peer.bfd_profile) + " not found in namespace " +
                     peer.meta.namespace_);
  }
  if (!peer.password.empty() && peer.password_secret) {
    // MetalLB: "can not have both password and secret ref set in peer config".
    report.Error(kKind, peer.meta, "spec.passwordSecret",
                 "cannot be set together with spec.password");
  }
  if (!peer.password_secret) return;
  const auto& ref = *peer.password_secret;
  const std::string ns = ref.namespace_.empty() ? peer.meta.namespace_ : ref.namespace_;
  const Secret* secret = FindIn(config.secrets, ns, ref.name);
  if (secret == nullptr) {
    report.Error(kKind, peer.meta, "spec.passwordSecret.name",
                 "Secret " + Quote(ref.name) + " not found in namespace " + ns);
    return;
  }
  if (secret->type != "kubernetes.io/basic-auth") {
    report.Error(kKind, peer.meta, "spec.passwordSecret.name",
                 "Secret " + ns + "/" + ref.name + " has type " + Quote(secret->type) +
                     "; a BGP password Secret must be of type kubernetes.io/basic-auth");
  } else if (secret->data.count("password") == 0) {
    report.Error(kKind, peer.meta, "spec.passwordSecret.name",
                 "Secret " + ns + "/" + ref.name + " has no \"password\" key");
  }
}

}  // namespace

void ValidatePeers(const ClusterConfig& config, Reporter& report) {
  std::map<std::pair<std::string, std::string>, const BFDProfile*> bfd;
  for (const auto& p : config.bfd_profiles)
    bfd.emplace(std::pair(p.meta.namespace_, p.meta.name), &p);
  for (const auto& peer : config.bgp_peers) {
    CheckAsns(peer, report);
    CheckAddress(peer, report);
    CheckTimers(peer, report);
    CheckConnectTime(peer, report);
    CheckReferences(peer, config, bfd, report);
    if (peer.disable_mp) {
      // MetalLB's webhook: "disable mp is deprecated and has no effect since
      // it's the default behavior now".
      report.Warning(kKind, peer.meta, "spec.disableMP",
                     "deprecated and has no effect (separate sessions per address family are "
                     "the default); use dualStackAddressFamily to carry both families on one "
                     "session");
    }
  }
}

}  // namespace vipcast::config::detail
