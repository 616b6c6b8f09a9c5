#include "engine/wire/bfd/codes.h"

namespace vipcast::wire::bfd {

std::string_view ToString(State state) {
  switch (state) {
    case State::kAdminDown:
      return "AdminDown";
    case State::kDown:
      return "Down";
    case State::kInit:
      return "Init";
    case State::kUp:
      return "Up";
  }
  return "Invalid";
}

std::string ToString(Diag diag) {
  switch (diag) {
    case Diag::kNone:
      return "No Diagnostic";
    case Diag::kControlDetectionTimeExpired:
      return "Control Detection Time Expired";
    case Diag::kEchoFunctionFailed:
      return "Echo Function Failed";
    case Diag::kNeighborSignaledSessionDown:
      return "Neighbor Signaled Session Down";
    case Diag::kForwardingPlaneReset:
      return "Forwarding Plane Reset";
    case Diag::kPathDown:
      return "Path Down";
    case Diag::kConcatenatedPathDown:
      return "Concatenated Path Down";
    case Diag::kAdministrativelyDown:
      return "Administratively Down";
    case Diag::kReverseConcatenatedPathDown:
      return "Reverse Concatenated Path Down";
  }
  return "Reserved (" + std::to_string(static_cast<unsigned>(diag)) + ")";
}

}  // namespace vipcast::wire::bfd
