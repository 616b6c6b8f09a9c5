#include "engine/wire/bgp/error_codes.h"

#include <array>

namespace vipcast::wire::bgp {
namespace {

template <size_t N>
std::string_view Lookup(const std::array<std::string_view, N>& names, uint8_t index) {
  return index < N ? names[index] : std::string_view();
}

// Index = subcode. Empty strings are unassigned values.
constexpr std::array<std::string_view, 4> kHeaderNames = {
    "Unspecific", "Connection Not Synchronized", "Bad Message Length", "Bad Message Type"};
constexpr std::array<std::string_view, 12> kOpenNames = {"Unspecific",
                                                         "Unsupported Version Number",
                                                         "Bad Peer AS",
                                                         "Bad BGP Identifier",
                                                         "Unsupported Optional Parameter",
                                                         "Authentication Failure (deprecated)",
                                                         "Unacceptable Hold Time",
                                                         "Unsupported Capability",
                                                         "",
                                                         "",
                                                         "",
                                                         "Role Mismatch"};
constexpr std::array<std::string_view, 12> kUpdateNames = {"Unspecific",
                                                           "Malformed Attribute List",
                                                           "Unrecognized Well-known Attribute",
                                                           "Missing Well-known Attribute",
                                                           "Attribute Flags Error",
                                                           "Attribute Length Error",
                                                           "Invalid ORIGIN Attribute",
                                                           "AS Routing Loop (deprecated)",
                                                           "Invalid NEXT_HOP Attribute",
                                                           "Optional Attribute Error",
                                                           "Invalid Network Field",
                                                           "Malformed AS_PATH"};
// RFC 6608.
constexpr std::array<std::string_view, 4> kFsmNames = {
    "Unspecified Error", "Receive Unexpected Message in OpenSent State",
    "Receive Unexpected Message in OpenConfirm State",
    "Receive Unexpected Message in Established State"};
constexpr std::array<std::string_view, 11> kCeaseNames = {"",
                                                          "Maximum Number of Prefixes Reached",
                                                          "Administrative Shutdown",
                                                          "Peer De-configured",
                                                          "Administrative Reset",
                                                          "Connection Rejected",
                                                          "Other Configuration Change",
                                                          "Connection Collision Resolution",
                                                          "Out of Resources",
                                                          "Hard Reset",
                                                          "BFD Down"};
// RFC 7313 5.
constexpr std::array<std::string_view, 2> kRouteRefreshNames = {"", "Invalid Message Length"};

}  // namespace

std::string_view ErrorCodeName(uint8_t code) {
  static constexpr std::array<std::string_view, 9> kNames = {"",
                                                             "Message Header Error",
                                                             "OPEN Message Error",
                                                             "UPDATE Message Error",
                                                             "Hold Timer Expired",
                                                             "Finite State Machine Error",
                                                             "Cease",
                                                             "ROUTE-REFRESH Message Error",
                                                             "Send Hold Timer Expired"};
  return Lookup(kNames, code);
}

std::string_view ErrorSubcodeName(uint8_t code, uint8_t subcode) {
  switch (code) {
    case 1:
      return Lookup(kHeaderNames, subcode);
    case 2:
      return Lookup(kOpenNames, subcode);
    case 3:
      return Lookup(kUpdateNames, subcode);
    case 4:
    case 8:
      return subcode == 0 ? "Unspecific" : "";
    case 5:
      return Lookup(kFsmNames, subcode);
    case 6:
      return Lookup(kCeaseNames, subcode);
    case 7:
      return Lookup(kRouteRefreshNames, subcode);
    default:
      return "";
  }
}

}  // namespace vipcast::wire::bgp
