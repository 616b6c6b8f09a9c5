// A reader for MRT routing dumps (RFC 6396): walks the records of an
// uncompressed MRT byte stream and extracts the BGP messages of BGP4MP /
// BGP4MP_ET MESSAGE records (RFC 6396 4.4). Used by the BGP codec's data
// tests, `vipcastctl bgp-decode` and the codec benchmarks. Decompression
// (the dumps are usually gzip) is the caller's business.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "engine/core/asn.h"
#include "engine/core/bytes.h"
#include "engine/core/ip.h"
#include "engine/core/result.h"

namespace vipcast::mrt {

// RFC 6396 2, 4.
inline constexpr uint16_t kTypeBgp4mp = 16;
inline constexpr uint16_t kTypeBgp4mpEt = 17;  // extended (microsecond) timestamp

// RFC 6396 4.4, RFC 8050 (ADD-PATH variants).
namespace bgp4mp_subtype {
inline constexpr uint16_t kStateChange = 0;
inline constexpr uint16_t kMessage = 1;
inline constexpr uint16_t kMessageAs4 = 4;
inline constexpr uint16_t kStateChangeAs4 = 5;
inline constexpr uint16_t kMessageLocal = 6;
inline constexpr uint16_t kMessageAs4Local = 7;
inline constexpr uint16_t kMessageAddpath = 8;
inline constexpr uint16_t kMessageAs4Addpath = 9;
inline constexpr uint16_t kMessageLocalAddpath = 10;
inline constexpr uint16_t kMessageAs4LocalAddpath = 11;
}  // namespace bgp4mp_subtype

// One record. `body` views the reader's input (valid while it lives) and
// excludes the microsecond field of _ET records.
struct MrtRecord {
  uint32_t timestamp = 0;
  uint32_t microseconds = 0;
  uint16_t type = 0;
  uint16_t subtype = 0;
  core::ByteSpan body;
};

// Invariant: never reads outside `data`; a truncated record is an error
// and ends the walk.
class MrtReader {
 public:
  explicit MrtReader(core::ByteSpan data) : reader_(data) {}
  // The next record, nullopt at the clean end of input, or an error.
  core::Result<std::optional<MrtRecord>, std::string> Next();
  size_t position() const { return reader_.position(); }

 private:
  core::ByteReader reader_;
  bool failed_ = false;
};

// The BGP message inside a BGP4MP MESSAGE record.
struct Bgp4mpMessage {
  core::Asn peer_as;
  core::Asn local_as;
  uint16_t interface_index = 0;
  uint16_t afi = 0;
  core::IpAddr peer_ip;
  core::IpAddr local_ip;
  // The subtype used 4-octet AS numbers: the session negotiated 4-octet AS
  // (RFC 6396 4.4.3), so its AS_PATHs are 4-octet too.
  bool four_octet_as = false;
  bool add_path = false;   // RFC 8050 subtypes
  core::ByteSpan message;  // the whole BGP message, header included
};

// nullopt when the record is not a BGP4MP message (e.g. STATE_CHANGE);
// an error when it is one but is malformed.
std::optional<core::Result<Bgp4mpMessage, std::string>> ParseBgp4mpMessage(const MrtRecord& record);

}  // namespace vipcast::mrt
