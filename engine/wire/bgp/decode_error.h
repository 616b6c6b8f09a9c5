// The error side of every BGP decode: what went wrong, the NOTIFICATION the
// RFCs prescribe, and how the session must handle it (RFC 7606 2).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/bytes.h"
#include "engine/core/ip.h"
#include "engine/wire/bgp/constants.h"

namespace vipcast::wire::bgp {

struct UpdateMessage;

// RFC 7606 2, ordered from weakest to strongest so that "the approach with the
// strongest action" (RFC 7606 3.h) is the maximum.
enum class ErrorHandling : uint8_t {
  // The offending attribute is dropped; the UPDATE is otherwise processed.
  kAttributeDiscard = 0,
  // Every route in the UPDATE is withdrawn (RFC 7606 2).
  kTreatAsWithdraw = 1,
  // RFC 4760 7: routes of this AFI/SAFI are dropped and ignored henceforth.
  kAfiSafiDisable = 2,
  // Send the NOTIFICATION and close the session.
  kSessionReset = 3,
};

// "session-reset", "afi-safi-disable", "treat-as-withdraw", "attribute-discard".
std::string_view ToString(ErrorHandling handling);

// Invariants: `code`/`subcode`/`data` are the NOTIFICATION to send when
// `handling` is kSessionReset (for other handlings they name the error for
// logs and counters; no NOTIFICATION is sent). For UPDATE errors of every
// handling but kSessionReset, `update` holds the message as far as it could
// be used: malformed and discarded attributes removed.
struct DecodeError {
  uint8_t code = 0;
  uint8_t subcode = 0;
  core::Bytes data;
  ErrorHandling handling = ErrorHandling::kSessionReset;
  std::string reason;

  // kTreatAsWithdraw: every prefix the UPDATE mentioned (Withdrawn Routes,
  // NLRI, MP_REACH_NLRI and MP_UNREACH_NLRI), all of which the session must
  // now withdraw (RFC 7606 2).
  std::vector<core::Prefix> withdraw;
  // kAfiSafiDisable: the family to disable (RFC 4760 7).
  std::optional<AfiSafi> afi_safi;
  // The usable rest of an UPDATE (see invariants); null otherwise.
  std::shared_ptr<const UpdateMessage> update;

  bool operator==(const DecodeError& other) const;
};

// A session-reset error with the given NOTIFICATION.
DecodeError MakeDecodeError(uint8_t code, uint8_t subcode, std::string reason,
                            core::Bytes data = {});

}  // namespace vipcast::wire::bgp
