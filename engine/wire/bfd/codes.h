// The two small code spaces of a BFD Control packet (RFC 5880 4.1): the
// session state carried in "Sta" and the diagnostic carried in "Diag".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace vipcast::wire::bfd {

// RFC 5880 4.1 "State (Sta)": two bits, so every value is named.
enum class State : uint8_t {
  kAdminDown = 0,
  kDown = 1,
  kInit = 2,
  kUp = 3,
};

// RFC 5880 4.1 "Diagnostic (Diag)": five bits; 9-31 are reserved for future
// use and are carried through unchanged (an enum class may hold any value).
enum class Diag : uint8_t {
  kNone = 0,
  kControlDetectionTimeExpired = 1,
  kEchoFunctionFailed = 2,
  kNeighborSignaledSessionDown = 3,
  kForwardingPlaneReset = 4,
  kPathDown = 5,
  kConcatenatedPathDown = 6,
  kAdministrativelyDown = 7,
  kReverseConcatenatedPathDown = 8,
};

// "AdminDown", "Down", "Init", "Up" (the RFC's names).
std::string_view ToString(State state);
// "No Diagnostic", "Control Detection Time Expired", ...; "Reserved (n)" for
// values the RFC leaves unassigned.
std::string ToString(Diag diag);

}  // namespace vipcast::wire::bfd
