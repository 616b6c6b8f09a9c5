#include "engine/wire/bfd/auth_section.h"

namespace vipcast::wire::bfd {

std::string_view ToString(AuthType type) {
  switch (type) {
    case AuthType::kReserved:
      return "Reserved";
    case AuthType::kSimplePassword:
      return "Simple Password";
    case AuthType::kKeyedMd5:
      return "Keyed MD5";
    case AuthType::kMeticulousKeyedMd5:
      return "Meticulous Keyed MD5";
    case AuthType::kKeyedSha1:
      return "Keyed SHA1";
    case AuthType::kMeticulousKeyedSha1:
      return "Meticulous Keyed SHA1";
  }
  return "Unknown";
}

size_t AuthSection::EncodedLength() const {
  switch (type) {
    case AuthType::kKeyedMd5:
    case AuthType::kMeticulousKeyedMd5:
      return kMd5AuthLength;
    case AuthType::kKeyedSha1:
    case AuthType::kMeticulousKeyedSha1:
      return kSha1AuthLength;
    default:
      return kAuthHeaderLength + value.size();
  }
}

}  // namespace vipcast::wire::bfd
