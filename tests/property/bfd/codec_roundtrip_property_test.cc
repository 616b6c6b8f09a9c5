// Codec properties: every packet the RFC allows survives Encode/Decode, and
// arbitrary bytes either decode to something that round-trips or fail with a
// reason.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "engine/wire/bfd/codec.h"

namespace vipcast::wire::bfd {
namespace {

rc::Gen<core::Duration> GenWireInterval() {
  return rc::gen::map(rc::gen::arbitrary<uint32_t>(),
                      [](uint32_t us) { return core::Duration::Microseconds(us); });
}

rc::Gen<AuthSection> GenAuth() {
  return rc::gen::apply(
      [](uint8_t type_index, uint8_t key_id, uint32_t sequence, std::vector<uint8_t> bytes) {
        AuthSection auth;
        const AuthType types[] = {AuthType::kSimplePassword, AuthType::kKeyedMd5,
                                  AuthType::kMeticulousKeyedMd5, AuthType::kKeyedSha1,
                                  AuthType::kMeticulousKeyedSha1};
        auth.type = types[type_index % 5];
        auth.key_id = key_id;
        size_t size = 0;
        switch (auth.type) {
          case AuthType::kSimplePassword:
            size = 1 + bytes.size() % kMaxPasswordLength;
            break;
          case AuthType::kKeyedMd5:
          case AuthType::kMeticulousKeyedMd5:
            size = kMd5DigestLength;
            auth.sequence = sequence;
            break;
          default:
            size = kSha1HashLength;
            auth.sequence = sequence;
            break;
        }
        bytes.resize(size, 0x42);
        auth.value = bytes;
        return auth;
      },
      rc::gen::arbitrary<uint8_t>(), rc::gen::arbitrary<uint8_t>(), rc::gen::arbitrary<uint32_t>(),
      rc::gen::arbitrary<std::vector<uint8_t>>());
}

// Packets that pass RFC 5880 6.8.6.
rc::Gen<ControlPacket> GenValidPacket() {
  return rc::gen::exec([] {
    ControlPacket p;
    p.diag = static_cast<Diag>(*rc::gen::inRange<int>(0, 32));
    p.state = static_cast<State>(*rc::gen::inRange<int>(0, 4));
    p.poll = *rc::gen::arbitrary<bool>();
    p.final = *rc::gen::arbitrary<bool>();
    p.control_plane_independent = *rc::gen::arbitrary<bool>();
    p.demand = *rc::gen::arbitrary<bool>();
    p.detect_mult = *rc::gen::inRange<int>(1, 256);
    p.my_discriminator = *rc::gen::inRange<uint32_t>(1, UINT32_MAX);
    const bool may_be_zero = p.state == State::kDown || p.state == State::kAdminDown;
    p.your_discriminator =
        may_be_zero ? *rc::gen::arbitrary<uint32_t>() : *rc::gen::inRange<uint32_t>(1, UINT32_MAX);
    p.desired_min_tx = *GenWireInterval();
    p.required_min_rx = *GenWireInterval();
    p.required_min_echo_rx = *GenWireInterval();
    if (*rc::gen::arbitrary<bool>()) p.auth = *GenAuth();
    return p;
  });
}

RC_GTEST_PROP(BfdCodecProperty, ValidPacketsRoundTrip, ()) {
  const ControlPacket p = *GenValidPacket();
  const core::Bytes bytes = Encode(p);
  RC_ASSERT(bytes.size() == p.EncodedLength());
  RC_ASSERT(bytes[3] == p.EncodedLength());
  auto decoded = Decode(bytes, AuthPolicy::kParse);
  RC_ASSERT(decoded.ok());
  RC_ASSERT(decoded.value() == p);
  // Without auth parsing, authenticated packets are refused, others accepted.
  auto strict = Decode(bytes);
  if (p.auth) {
    RC_ASSERT(!strict.ok());
    RC_ASSERT(strict.error().kind == DecodeErrorKind::kAuthenticationUnsupported);
  } else {
    RC_ASSERT(strict.ok());
  }
}

RC_GTEST_PROP(BfdCodecProperty, ArbitraryBytesNeverCrash, (const std::vector<uint8_t>& bytes)) {
  for (AuthPolicy policy : {AuthPolicy::kRejectAsUnsupported, AuthPolicy::kParse}) {
    auto decoded = Decode(bytes, policy);
    if (!decoded.ok()) {
      RC_ASSERT(!decoded.error().detail.empty());
      continue;
    }
    auto again = Decode(Encode(decoded.value()), policy);
    RC_ASSERT(again.ok());
    RC_ASSERT(again.value() == decoded.value());
  }
}

// Mutating a valid packet's header: decoding fails exactly when a 6.8.6 rule
// is broken.
RC_GTEST_PROP(BfdCodecProperty, HeaderMutationsFollowTheRules, ()) {
  ControlPacket p = *GenValidPacket();
  p.auth.reset();
  core::Bytes bytes = Encode(p);
  const size_t index = *rc::gen::inRange<size_t>(0, 12);
  bytes[index] = *rc::gen::arbitrary<uint8_t>();
  const unsigned version = bytes[0] >> 5;
  const bool a_bit = (bytes[1] & 0x04) != 0;
  const unsigned state = bytes[1] >> 6;
  const uint32_t my = (uint32_t{bytes[4]} << 24) | (uint32_t{bytes[5]} << 16) |
                      (uint32_t{bytes[6]} << 8) | bytes[7];
  const uint32_t your = (uint32_t{bytes[8]} << 24) | (uint32_t{bytes[9]} << 16) |
                        (uint32_t{bytes[10]} << 8) | bytes[11];
  const bool valid = version == 1 && !a_bit && bytes[3] >= 24 && bytes[3] <= bytes.size() &&
                     bytes[2] != 0 && (bytes[1] & 0x01) == 0 && my != 0 &&
                     (your != 0 || state <= 1);
  RC_ASSERT(Decode(bytes, AuthPolicy::kParse).ok() == valid);
}

}  // namespace
}  // namespace vipcast::wire::bfd
