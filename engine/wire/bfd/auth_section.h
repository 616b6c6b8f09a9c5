// The optional Authentication Section of a BFD Control packet (RFC 5880
// 4.2-4.4). vipcast does not authenticate BFD: the section is parsed only so
// that its structure can be checked and the packet reported precisely as
// "authentication not supported" rather than as garbage.
#pragma once

#include <compare>
#include <cstdint>
#include <string_view>

#include "engine/core/bytes.h"

namespace vipcast::wire::bfd {

// RFC 5880 4.1 "Auth Type".
enum class AuthType : uint8_t {
  kReserved = 0,
  kSimplePassword = 1,
  kKeyedMd5 = 2,
  kMeticulousKeyedMd5 = 3,
  kKeyedSha1 = 4,
  kMeticulousKeyedSha1 = 5,
};

std::string_view ToString(AuthType type);

// Field sizes from RFC 5880 4.2-4.4.
inline constexpr size_t kAuthHeaderLength = 3;   // Auth Type, Auth Len, Auth Key ID
inline constexpr size_t kMinPasswordLength = 1;  // 4.2: "from 1 to 16 bytes"
inline constexpr size_t kMaxPasswordLength = 16;
inline constexpr size_t kMd5AuthLength = 24;  // 4.3: "Auth Len ... is 24"
inline constexpr size_t kMd5DigestLength = 16;
inline constexpr size_t kSha1AuthLength = 28;  // 4.4: "Auth Len ... is 28"
inline constexpr size_t kSha1HashLength = 20;

// Invariant (for sections produced by the parser): `value` has the length the
// type prescribes (1-16 password bytes, 16 digest bytes, 20 hash bytes) and
// `sequence` is 0 for Simple Password, which has none.
struct AuthSection {
  AuthType type = AuthType::kSimplePassword;
  uint8_t key_id = 0;
  // 4.3/4.4 "Sequence Number"; absent (0) for Simple Password.
  uint32_t sequence = 0;
  // The password (4.2), MD5 digest (4.3) or SHA1 hash (4.4).
  core::Bytes value;

  // The Auth Len this section encodes to.
  size_t EncodedLength() const;
  bool operator==(const AuthSection&) const = default;
};

}  // namespace vipcast::wire::bfd
