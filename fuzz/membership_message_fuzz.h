// The body of the membership_message fuzz target, shared with the gtest that
// replays the corpus and committed crashes
// (tests/unit/membership/fuzz_regressions_test.cc).
//
// The first input byte picks a mode (byte % 4); the rest is the data:
//  0  payload: the inner message decoder (message.h) directly, as if the MAC
//     had verified, so the fuzzer need not forge HMACs to reach it;
//  1  datagram: Open() with the test key (the MAC almost never verifies:
//     the pre-authentication path) and ParseUnauthenticated() plus decoding
//     of whatever payload it finds;
//  2  re-sealed datagram: the data is header + payload, the correct MAC is
//     appended, then Open() and the payload decoder run: the
//     post-authentication path of a sender holding the key;
//  3  engine: a live Membership engine fed a sequence of records
//       [flags u8][length u8][bytes...]
//     each sealed as a payload from one of a few senders (flags pick the
//     sender, a replayed or fresh sequence number, an older boot id, or raw
//     unsealed bytes), then time advances by a flags-derived step.
// Invariants: whatever decodes re-encodes to exactly the input bytes (the
// format has one encoding per message) with EncodedSize equal to its length;
// a correctly sealed datagram never fails with bad_mac; every datagram the
// engine sends is at most 1400 bytes, opens with the key and decodes; after
// Advance(now), NextDeadline() is later than now.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>

#include "engine/core/rng.h"
#include "engine/membership/membership.h"
#include "engine/wire/membership/envelope.h"
#include "engine/wire/membership/message.h"

namespace vipcast::fuzz {

inline core::Bytes MembershipFuzzKey() { return core::Bytes(32, 0x5a); }

inline const wire::membership::MacKey& MembershipFuzzMacKey() {
  static const wire::membership::MacKey key(MembershipFuzzKey());
  return key;
}

inline std::string CheckMembershipPayload(core::ByteSpan payload) {
  namespace wm = wire::membership;
  auto decoded = wm::DecodeMessage(payload);
  if (!decoded.ok()) {
    if (decoded.error().offset > payload.size()) return "error offset past the input";
    return "";
  }
  const core::Bytes again = wm::EncodeMessage(*decoded);
  if (again.size() != wm::EncodedSize(*decoded)) return "EncodedSize mismatch";
  if (!std::equal(again.begin(), again.end(), payload.begin(), payload.end())) {
    return "decode/encode is not the identity";
  }
  return "";
}

inline std::string CheckMembershipOutput(const core::Outbox& out, const core::NodeName& self) {
  namespace wm = wire::membership;
  for (const core::Action& action : out.actions()) {
    const auto* send = std::get_if<core::SendDatagram>(&action);
    if (send == nullptr) continue;
    if (send->payload.size() > wm::kMaxDatagramSize) return "engine sent an oversized datagram";
    auto opened = wm::Open(send->payload, MembershipFuzzMacKey());
    if (!opened.ok()) return "engine sent a datagram that does not open: " + opened.error().detail;
    if (opened->header.sender != self) return "engine sent under another name";
    auto decoded = wm::DecodeMessage(opened->payload);
    if (!decoded.ok()) return "engine sent an undecodable payload: " + decoded.error().detail;
  }
  return "";
}

inline std::string FuzzMembershipEngine(core::ByteSpan data) {
  namespace wm = wire::membership;
  using membership::Membership;
  const auto name = [](const char* s) { return core::NodeName::Parse(s).value(); };
  const core::NodeName self = name("fuzz-self");
  membership::MembershipConfig config;
  config.self = self;
  config.endpoint = core::Endpoint{core::Ipv4Addr::FromOctets(10, 0, 0, 1), 7946};
  config.seeds = {core::Endpoint{core::Ipv4Addr::FromOctets(10, 0, 0, 2), 7946}};
  config.key = MembershipFuzzKey();
  config.boot_id = 1;
  // Small bounds, so that inputs can reach them.
  config.limits.max_members = 8;
  config.limits.max_gossip_queue = 4;
  config.limits.max_relays = 2;
  config.limits.max_pending_changes = 4;
  config.limits.max_replay_senders = 2;
  core::Rng rng(1);
  Membership engine(config, rng);
  const core::NodeName senders[] = {name("fuzz-a"), name("fuzz-b"), name("fuzz-c"), self};
  uint64_t sequence[4] = {0, 0, 0, 0};

  core::TimePoint now = core::TimePoint::Epoch();
  core::Outbox out;
  engine.Advance(now, out);
  if (auto f = CheckMembershipOutput(out, self); !f.empty()) return f;
  core::ByteReader r(data);
  while (r.remaining() >= 2) {
    const uint8_t flags = *r.U8();
    const uint8_t length = *r.U8();
    const core::ByteSpan chunk = r.Take(std::min<size_t>(length, r.remaining())).value();
    const size_t who = flags & 3;
    core::DatagramReceived d;
    d.local = config.endpoint;
    d.remote =
        core::Endpoint{core::Ipv4Addr::FromOctets(10, 0, 0, static_cast<uint8_t>(2 + who)), 7946};
    if (flags & 0x10) {
      d.payload.assign(chunk.begin(), chunk.end());
    } else {
      if ((flags & 0x04) == 0 || sequence[who] == 0) ++sequence[who];  // else a replay
      const uint64_t boot = (flags & 0x08) ? 0 : 1;                    // 0: an older boot
      d.payload = wm::Seal(wm::EnvelopeHeader{boot, sequence[who], senders[who]}, chunk,
                           MembershipFuzzMacKey());
    }
    out = core::Outbox();
    engine.Handle(now, core::Input(std::move(d)), out);
    if (auto f = CheckMembershipOutput(out, self); !f.empty()) return f;
    if (flags == 0xff) {
      out = core::Outbox();
      engine.Leave(now, out);
      if (auto f = CheckMembershipOutput(out, self); !f.empty()) return f;
    }
    now += core::Duration::Milliseconds(7 * (flags >> 5));
    out = core::Outbox();
    engine.Advance(now, out);
    if (auto f = CheckMembershipOutput(out, self); !f.empty()) return f;
    if (engine.NextDeadline() <= now) return "NextDeadline not after now following Advance";
  }
  (void)engine.Members();
  (void)engine.DrainChanges();
  return "";
}

inline std::string FuzzMembershipMessage(const uint8_t* data, size_t size) {
  namespace wm = wire::membership;
  if (size == 0) return "";
  const core::ByteSpan rest(data + 1, size - 1);
  switch (data[0] % 4) {
    case 0:
      return CheckMembershipPayload(rest);
    case 1: {
      auto opened = wm::Open(rest, MembershipFuzzMacKey());
      if (opened.ok()) return CheckMembershipPayload(opened->payload);
      auto parsed = wm::ParseUnauthenticated(rest);
      if (parsed.ok()) return CheckMembershipPayload(parsed->payload);
      return "";
    }
    case 2: {
      core::Bytes sealed(rest.begin(), rest.end());
      const wm::Mac mac = MembershipFuzzMacKey().Compute(sealed);
      sealed.insert(sealed.end(), mac.begin(), mac.end());
      auto opened = wm::Open(sealed, MembershipFuzzMacKey());
      if (!opened.ok()) {
        if (opened.error().kind == wm::DecodeErrorKind::kBadMac) return "sealed datagram: bad_mac";
        return "";
      }
      return CheckMembershipPayload(opened->payload);
    }
    default:
      return FuzzMembershipEngine(rest);
  }
}

}  // namespace vipcast::fuzz
