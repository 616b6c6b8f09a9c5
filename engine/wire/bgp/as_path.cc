#include "engine/wire/bgp/as_path.h"

#include <algorithm>

namespace vipcast::wire::bgp {

size_t AsPath::Length() const {
  size_t length = 0;
  for (const auto& s : segments) {
    if (s.type == AsSegmentType::kSequence) length += s.asns.size();
    if (s.type == AsSegmentType::kSet) length += 1;
  }
  return length;
}

bool AsPath::Contains(core::Asn asn) const {
  for (const auto& s : segments) {
    if (std::find(s.asns.begin(), s.asns.end(), asn) != s.asns.end()) return true;
  }
  return false;
}

std::string AsPath::ToString() const {
  std::string out;
  for (const auto& s : segments) {
    if (!out.empty()) out += ' ';
    const char* open = "";
    const char* close = "";
    const char* sep = " ";
    switch (s.type) {
      case AsSegmentType::kSequence:
        break;
      case AsSegmentType::kSet:
        open = "{", close = "}", sep = ",";
        break;
      case AsSegmentType::kConfedSequence:
        open = "(", close = ")";
        break;
      case AsSegmentType::kConfedSet:
        open = "[", close = "]", sep = ",";
        break;
    }
    out += open;
    for (size_t i = 0; i < s.asns.size(); ++i) {
      if (i) out += sep;
      out += s.asns[i].ToString();
    }
    out += close;
  }
  return out;
}

core::Result<AsPath, std::string> DecodeAsPath(core::ByteSpan value, bool four_octet) {
  AsPath path;
  core::ByteReader r(value);
  const size_t width = four_octet ? 4 : 2;
  while (!r.empty()) {
    auto type = r.U8();
    auto count = r.U8();
    if (!count) return core::MakeErr(std::string("truncated AS_PATH segment header"));
    if (*type < 1 || *type > 4) {
      return core::MakeErr("unknown AS_PATH segment type " + std::to_string(*type));
    }
    if (*count == 0) return core::MakeErr(std::string("empty AS_PATH segment"));
    if (r.remaining() < *count * width) {
      return core::MakeErr(std::string("AS_PATH segment overruns the attribute"));
    }
    AsPathSegment segment;
    segment.type = static_cast<AsSegmentType>(*type);
    segment.asns.reserve(*count);
    for (size_t i = 0; i < *count; ++i) {
      segment.asns.emplace_back(four_octet ? *r.U32() : uint32_t{*r.U16()});
    }
    path.segments.push_back(std::move(segment));
  }
  return path;
}

void EncodeAsPath(const AsPath& path, bool four_octet, core::ByteWriter& out) {
  for (const auto& s : path.segments) {
    size_t start = 0;
    do {
      size_t n = std::min<size_t>(255, s.asns.size() - start);
      out.U8(static_cast<uint8_t>(s.type));
      out.U8(static_cast<uint8_t>(n));
      for (size_t i = start; i < start + n; ++i) {
        uint32_t asn = s.asns[i].value();
        if (four_octet) {
          out.U32(asn);
        } else {
          out.U16(static_cast<uint16_t>(asn <= 0xffff ? asn : core::Asn::Trans().value()));
        }
      }
      start += n;
    } while (start < s.asns.size());
  }
}

AsPath MergeAs4Path(const AsPath& as_path, const AsPath& as4_path) {
  AsPath as4;
  for (const auto& s : as4_path.segments) {
    if (s.type == AsSegmentType::kSequence || s.type == AsSegmentType::kSet) {
      as4.segments.push_back(s);
    }
  }
  size_t length = as_path.Length();
  size_t length4 = as4.Length();
  if (length < length4) return as_path;
  size_t keep = length - length4;
  AsPath merged;
  for (const auto& s : as_path.segments) {
    if (keep == 0) break;
    switch (s.type) {
      case AsSegmentType::kConfedSequence:
      case AsSegmentType::kConfedSet:
        merged.segments.push_back(s);
        break;
      case AsSegmentType::kSet:
        merged.segments.push_back(s);
        keep -= 1;
        break;
      case AsSegmentType::kSequence: {
        size_t n = std::min(keep, s.asns.size());
        AsPathSegment head;
        head.type = s.type;
        head.asns.assign(s.asns.begin(), s.asns.begin() + static_cast<std::ptrdiff_t>(n));
        merged.segments.push_back(std::move(head));
        keep -= n;
        break;
      }
    }
  }
  for (auto& s : as4.segments) {
    // Join a leading AS4 sequence onto a trailing kept sequence.
    if (!merged.segments.empty() && s.type == AsSegmentType::kSequence &&
        merged.segments.back().type == AsSegmentType::kSequence &&
        merged.segments.back().asns.size() + s.asns.size() <= 255) {
      auto& back = merged.segments.back().asns;
      back.insert(back.end(), s.asns.begin(), s.asns.end());
    } else {
      merged.segments.push_back(s);
    }
  }
  return merged;
}

}  // namespace vipcast::wire::bgp
