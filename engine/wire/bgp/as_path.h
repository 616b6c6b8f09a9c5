// AS_PATH and AS4_PATH values (RFC 4271 4.3, 5.1.2; RFC 5065 3; RFC 6793).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/core/asn.h"
#include "engine/core/bytes.h"
#include "engine/core/result.h"

namespace vipcast::wire::bgp {

enum class AsSegmentType : uint8_t {
  kSet = 1,             // RFC 4271 4.3
  kSequence = 2,        // RFC 4271 4.3
  kConfedSequence = 3,  // RFC 5065 3
  kConfedSet = 4,       // RFC 5065 3
};

// Invariant after decoding: 1 to 255 AS numbers.
struct AsPathSegment {
  AsSegmentType type = AsSegmentType::kSequence;
  std::vector<core::Asn> asns;
  bool operator==(const AsPathSegment&) const = default;
};

// The segment structure is kept as received so that a path re-encodes to the
// same bytes.
struct AsPath {
  std::vector<AsPathSegment> segments;

  // RFC 4271 9.1.2.2 a / RFC 5065 5.3: a SET counts 1, confederation
  // segments count 0.
  size_t Length() const;
  bool Contains(core::Asn asn) const;
  // "64500 64501 {1,2} (65000 65001) [65002]": sets in braces, confederation
  // sequences in parentheses, confederation sets in brackets.
  std::string ToString() const;

  bool operator==(const AsPath&) const = default;
};

// Decodes an AS_PATH value with 2- or 4-octet AS numbers. Fails on an unknown
// segment type, an empty segment, or a segment that overruns or underruns
// the attribute (RFC 7606 7.2).
core::Result<AsPath, std::string> DecodeAsPath(core::ByteSpan value, bool four_octet);

// Writes an AS_PATH value. In 2-octet form, AS numbers above 65535 become
// AS_TRANS (RFC 6793 4.2.2). Segments longer than 255 are split.
void EncodeAsPath(const AsPath& path, bool four_octet, core::ByteWriter& out);

// RFC 6793 4.2.3: the path a NEW speaker reconstructs from a 2-octet peer's
// AS_PATH and AS4_PATH. Confederation segments in AS4_PATH are dropped
// (RFC 6793 6); if AS_PATH is shorter than AS4_PATH, AS4_PATH is ignored.
AsPath MergeAs4Path(const AsPath& as_path, const AsPath& as4_path);

}  // namespace vipcast::wire::bgp
