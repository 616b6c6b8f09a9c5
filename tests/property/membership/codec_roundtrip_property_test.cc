// Codec properties: every message survives Encode/Decode and Seal/Open
// unchanged, EncodedSize is exact, and arbitrary bytes either decode to
// something that re-encodes to exactly those bytes or fail with a reason.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <string>
#include <vector>

#include "engine/wire/membership/envelope.h"
#include "engine/wire/membership/message.h"

namespace vipcast::wire::membership {
namespace {

rc::Gen<core::NodeName> GenName() {
  return rc::gen::map(
      rc::gen::pair(rc::gen::nonEmpty(rc::gen::container<std::string>(
                        rc::gen::elementOf(std::string("abcdefghijklmnopqrstuvwxyz0123456789")))),
                    rc::gen::inRange(0, 3)),
      [](const std::pair<std::string, int>& p) {
        std::string s = p.first.substr(0, 60);
        if (p.second == 1 && s.size() > 2) s[s.size() / 2] = '-';
        if (p.second == 2 && s.size() > 2) s[s.size() / 2] = '.';
        return core::NodeName::Parse(s).value();
      });
}

rc::Gen<core::Endpoint> GenEndpoint() {
  return rc::gen::apply(
      [](bool v6, uint32_t a, uint64_t hi, uint64_t lo, uint16_t port) {
        core::Endpoint e;
        if (v6) {
          e.address = core::Ipv6Addr::FromUint128((core::Uint128{hi} << 64) | lo);
        } else {
          e.address = core::Ipv4Addr(a);
        }
        e.port = port;
        return e;
      },
      rc::gen::arbitrary<bool>(), rc::gen::arbitrary<uint32_t>(), rc::gen::arbitrary<uint64_t>(),
      rc::gen::arbitrary<uint64_t>(), rc::gen::arbitrary<uint16_t>());
}

rc::Gen<MemberUpdate> GenUpdate() {
  return rc::gen::apply(
      [](int status, uint32_t inc, core::NodeName node, core::Endpoint ep, core::NodeName from) {
        MemberUpdate u{std::move(node), static_cast<MemberStatus>(status), inc, ep, {}};
        if (HasFrom(u.status)) u.from = std::move(from);
        return u;
      },
      rc::gen::inRange(0, 4), rc::gen::arbitrary<uint32_t>(), GenName(), GenEndpoint(), GenName());
}

rc::Gen<std::vector<MemberUpdate>> GenUpdates() {
  return rc::gen::resize(20, rc::gen::container<std::vector<MemberUpdate>>(GenUpdate()));
}

rc::Gen<Body> GenBody() {
  return rc::gen::oneOf(
      rc::gen::map(rc::gen::pair(rc::gen::arbitrary<uint32_t>(), GenName()),
                   [](auto p) {
                     return Body(Ping{p.first, p.second});
                   }),
      rc::gen::map(rc::gen::arbitrary<uint32_t>(), [](uint32_t id) { return Body(Ack{id}); }),
      rc::gen::apply(
          [](uint32_t id, bool nack, core::NodeName t, core::Endpoint e) {
            return Body(PingReq{id, nack, t, e});
          },
          rc::gen::arbitrary<uint32_t>(), rc::gen::arbitrary<bool>(), GenName(), GenEndpoint()),
      rc::gen::map(rc::gen::arbitrary<uint32_t>(), [](uint32_t id) { return Body(Nack{id}); }),
      rc::gen::apply(
          [](bool resp, bool join, bool has_begin, core::NodeName b, bool has_end, core::NodeName e,
             std::vector<MemberUpdate> entries) {
            return Body(PushPull{resp, join, has_begin ? b : core::NodeName(),
                                 has_end ? e : core::NodeName(), std::move(entries)});
          },
          rc::gen::arbitrary<bool>(), rc::gen::arbitrary<bool>(), rc::gen::arbitrary<bool>(),
          GenName(), rc::gen::arbitrary<bool>(), GenName(), GenUpdates()),
      rc::gen::just(Body(Gossip{})));
}

rc::Gen<SenderState> GenSender() {
  return rc::gen::apply(
      [](bool left, uint32_t inc, core::Endpoint e) {
        return SenderState{left ? MemberStatus::kLeft : MemberStatus::kAlive, inc, e};
      },
      rc::gen::arbitrary<bool>(), rc::gen::arbitrary<uint32_t>(), GenEndpoint());
}

RC_GTEST_PROP(MembershipCodecProperty, MessagesRoundTrip, ()) {
  const Message m{*GenBody(), *GenUpdates(), *GenSender()};
  const core::Bytes bytes = EncodeMessage(m);
  RC_ASSERT(bytes.size() == EncodedSize(m));
  auto decoded = DecodeMessage(bytes);
  RC_ASSERT(decoded.ok());
  RC_ASSERT(*decoded == m);

  const MacKey key(core::Bytes(32, 7));
  const EnvelopeHeader header{*rc::gen::arbitrary<uint64_t>(), *rc::gen::arbitrary<uint64_t>(),
                              *GenName()};
  const core::Bytes datagram = Seal(header, bytes, key);
  if (datagram.size() <= kMaxDatagramSize) {
    auto opened = Open(datagram, key);
    RC_ASSERT(opened.ok());
    RC_ASSERT(opened->header == header);
    RC_ASSERT(core::Bytes(opened->payload.begin(), opened->payload.end()) == bytes);
  }
}

RC_GTEST_PROP(MembershipCodecProperty, ArbitraryBytesDecodeCanonicallyOrFail,
              (std::vector<uint8_t> bytes)) {
  auto decoded = DecodeMessage(bytes);
  if (!decoded.ok()) {
    RC_ASSERT(!ToString(decoded.error().kind).empty());
    return;
  }
  RC_ASSERT(EncodeMessage(*decoded) == bytes);
}

}  // namespace
}  // namespace vipcast::wire::membership
