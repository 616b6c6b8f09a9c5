// RFC 4271 4.3 UPDATE message: withdrawn IPv4 routes, path attributes in
// wire order, IPv4 NLRI. Other families travel in MP_REACH_NLRI /
// MP_UNREACH_NLRI attributes (RFC 4760).
#pragma once

#include <optional>
#include <vector>

#include "engine/core/bytes.h"
#include "engine/core/ip.h"
#include "engine/core/result.h"
#include "engine/wire/bgp/attributes.h"
#include "engine/wire/bgp/decode_error.h"
#include "engine/wire/bgp/session_options.h"

namespace vipcast::wire::bgp {

// Invariant after a successful decode: no attribute type appears twice, and
// `withdrawn` / `nlri` hold IPv4 prefixes only.
struct UpdateMessage {
  std::vector<core::Prefix> withdrawn;
  std::vector<PathAttribute> attributes;
  std::vector<core::Prefix> nlri;

  // The first attribute holding a T, or null.
  template <typename T>
  const T* Find() const {
    for (const auto& a : attributes) {
      if (const T* found = std::get_if<T>(&a.value)) return found;
    }
    return nullptr;
  }
  // RFC 4724 2: an empty UPDATE (IPv4 unicast) or one whose only content is
  // an empty MP_UNREACH_NLRI.
  std::optional<AfiSafi> EndOfRib() const;

  bool operator==(const UpdateMessage&) const = default;
};

// Decodes the body after the header, applying RFC 7606 (see the table in
// update.cc). On error, DecodeError::handling says what the session must do;
// for handlings short of session reset the error also carries the prefixes
// to withdraw and the usable rest of the message.
core::Result<UpdateMessage, DecodeError> DecodeUpdateBody(core::ByteSpan body,
                                                          const SessionOptions& options);

void EncodeUpdateBody(const UpdateMessage& update, const SessionOptions& options,
                      core::ByteWriter& out);

// RFC 6793 4.2.3: the AS path and aggregator a NEW speaker uses for an UPDATE
// from an OLD (2-octet) speaker, merging AS4_PATH and AS4_AGGREGATOR.
struct As4Reconstruction {
  AsPath as_path;
  std::optional<AggregatorAttribute> aggregator;
  bool operator==(const As4Reconstruction&) const = default;
};
As4Reconstruction ReconstructAs4(const UpdateMessage& update);

}  // namespace vipcast::wire::bgp
