#include "engine/wire/bgp/decode_error.h"

#include "engine/wire/bgp/update.h"

namespace vipcast::wire::bgp {

std::string_view ToString(ErrorHandling handling) {
  switch (handling) {
    case ErrorHandling::kAttributeDiscard:
      return "attribute-discard";
    case ErrorHandling::kTreatAsWithdraw:
      return "treat-as-withdraw";
    case ErrorHandling::kAfiSafiDisable:
      return "afi-safi-disable";
    case ErrorHandling::kSessionReset:
      return "session-reset";
  }
  return "session-reset";
}

bool DecodeError::operator==(const DecodeError& other) const {
  if (code != other.code || subcode != other.subcode || data != other.data ||
      handling != other.handling || reason != other.reason || withdraw != other.withdraw ||
      afi_safi != other.afi_safi) {
    return false;
  }
  if (!update || !other.update) return update == other.update;
  return *update == *other.update;
}

DecodeError MakeDecodeError(uint8_t code, uint8_t subcode, std::string reason, core::Bytes data) {
  DecodeError error;
  error.code = code;
  error.subcode = subcode;
  error.data = std::move(data);
  error.handling = ErrorHandling::kSessionReset;
  error.reason = std::move(reason);
  return error;
}

}  // namespace vipcast::wire::bgp
