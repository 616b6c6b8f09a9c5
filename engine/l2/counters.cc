#include "engine/l2/counters.h"

namespace vipcast::l2 {

std::string_view ToString(DropReason reason) {
  switch (reason) {
    case DropReason::kUnknownInterface:
      return "unknown_interface";
    case DropReason::kInterfaceDown:
      return "interface_down";
    case DropReason::kNotAddressResolution:
      return "not_address_resolution";
    case DropReason::kNotRequest:
      return "not_request";
    case DropReason::kEthernetDestination:
      return "ethernet_destination";
    case DropReason::kIpDestination:
      return "ip_destination";
    case DropReason::kNotOwned:
      return "not_owned";
    case DropReason::kNotOnInterface:
      return "not_on_interface";
    case DropReason::kInvalidSender:
      return "invalid_sender";
    case DropReason::kOwnFrame:
      return "own_frame";
    case DropReason::kConflict:
      return "conflict";
  }
  return "unknown";
}

}  // namespace vipcast::l2
