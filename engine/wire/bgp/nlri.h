// RFC 4271 4.3 prefix encoding, shared by Withdrawn Routes, NLRI and the
// MP_REACH_NLRI / MP_UNREACH_NLRI unicast fields (RFC 4760 5): one length
// octet in bits, then the fewest octets that hold that many bits.
#pragma once

#include <string>
#include <vector>

#include "engine/core/bytes.h"
#include "engine/core/ip.h"
#include "engine/core/result.h"

namespace vipcast::wire::bgp {

// Decodes a whole field of prefixes of one family. Fails when a length
// exceeds the family's bit count or the prefix bytes run past the field
// (RFC 7606 5.3). Host bits past the length are cleared (core::Prefix holds
// only masked networks), so such a prefix re-encodes with them zeroed.
core::Result<std::vector<core::Prefix>, std::string> DecodePrefixes(core::ByteSpan field,
                                                                    core::IpFamily family);

void EncodePrefix(const core::Prefix& prefix, core::ByteWriter& out);
void EncodePrefixes(const std::vector<core::Prefix>& prefixes, core::ByteWriter& out);

}  // namespace vipcast::wire::bgp
