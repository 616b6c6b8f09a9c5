#include "prod/common/mrt/mrt_reader.h"

#include <array>

namespace vipcast::mrt {

core::Result<std::optional<MrtRecord>, std::string> MrtReader::Next() {
  if (failed_) return core::MakeErr(std::string("reader stopped after an error"));
  if (reader_.empty()) return std::optional<MrtRecord>();
  // RFC 6396 2: timestamp, type, subtype, length.
  auto timestamp = reader_.U32();
  auto type = reader_.U16();
  auto subtype = reader_.U16();
  auto length = reader_.U32();
  if (!length) {
    failed_ = true;
    return core::MakeErr("truncated MRT header at offset " + std::to_string(reader_.position()));
  }
  auto body = reader_.Take(*length);
  if (!body) {
    failed_ = true;
    return core::MakeErr("MRT record length " + std::to_string(*length) + " overruns the input");
  }
  MrtRecord record;
  record.timestamp = *timestamp;
  record.type = *type;
  record.subtype = *subtype;
  record.body = *body;
  if (record.type == kTypeBgp4mpEt) {
    // RFC 6396 3: the microsecond timestamp is counted in the length.
    core::ByteReader r(*body);
    auto micro = r.U32();
    if (!micro) {
      failed_ = true;
      return core::MakeErr(std::string("_ET record too short for microseconds"));
    }
    record.microseconds = *micro;
    record.body = r.Rest();
  }
  return std::optional<MrtRecord>(record);
}

namespace {

std::optional<core::IpAddr> ReadAddress(core::ByteReader& r, uint16_t afi) {
  if (afi == 1) {
    auto v = r.U32();
    if (!v) return std::nullopt;
    return core::IpAddr(core::Ipv4Addr(*v));
  }
  if (afi == 2) {
    std::array<uint8_t, 16> a{};
    auto bytes = r.Take(16);
    if (!bytes) return std::nullopt;
    std::copy(bytes->begin(), bytes->end(), a.begin());
    return core::IpAddr(core::Ipv6Addr(a));
  }
  return std::nullopt;
}

}  // namespace

std::optional<core::Result<Bgp4mpMessage, std::string>> ParseBgp4mpMessage(
    const MrtRecord& record) {
  using namespace bgp4mp_subtype;
  if (record.type != kTypeBgp4mp && record.type != kTypeBgp4mpEt) return std::nullopt;
  Bgp4mpMessage m;
  switch (record.subtype) {
    case kMessage:
    case kMessageLocal:
      break;
    case kMessageAs4:
    case kMessageAs4Local:
      m.four_octet_as = true;
      break;
    case kMessageAddpath:
    case kMessageLocalAddpath:
      m.add_path = true;
      break;
    case kMessageAs4Addpath:
    case kMessageAs4LocalAddpath:
      m.four_octet_as = true;
      m.add_path = true;
      break;
    default:
      return std::nullopt;
  }
  core::ByteReader r(record.body);
  using R = core::Result<Bgp4mpMessage, std::string>;
  std::optional<uint32_t> peer_as, local_as;
  if (m.four_octet_as) {
    peer_as = r.U32();
    local_as = r.U32();
  } else {
    if (auto v = r.U16()) peer_as = *v;
    if (auto v = r.U16()) local_as = *v;
  }
  auto ifindex = r.U16();
  auto afi = r.U16();
  if (!peer_as || !local_as || !afi) {
    return R(core::MakeErr(std::string("truncated BGP4MP message header")));
  }
  auto peer_ip = ReadAddress(r, *afi);
  auto local_ip = peer_ip ? ReadAddress(r, *afi) : std::nullopt;
  if (!local_ip) {
    return R(
        core::MakeErr("BGP4MP addresses truncated or AFI " + std::to_string(*afi) + " unknown"));
  }
  m.peer_as = core::Asn(*peer_as);
  m.local_as = core::Asn(*local_as);
  m.interface_index = *ifindex;
  m.afi = *afi;
  m.peer_ip = *peer_ip;
  m.local_ip = *local_ip;
  m.message = r.Rest();
  return R(m);
}

}  // namespace vipcast::mrt
