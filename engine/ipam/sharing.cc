#include "engine/ipam/sharing.h"

namespace vipcast::ipam {
namespace {

std::string Join(const std::vector<const std::string*>& items) {
  std::string out;
  for (const auto* item : items) {
    if (!out.empty()) out += ",";
    out += *item;
  }
  return out;
}

bool KeysCompatible(const AddressUse& use, const SharingIdentity& identity) {
  return !identity.sharing_key.empty() && use.sharing_key == identity.sharing_key &&
         use.backend_key == identity.backend_key;
}

}  // namespace

bool CanShare(const AddressUse& use, const SharingIdentity& identity) {
  if (!KeysCompatible(use, identity)) return false;
  for (const auto& port : identity.ports) {
    if (use.port_owners.count(port) != 0) return false;
  }
  return true;
}

core::Status<> CheckShare(const core::IpAddr& address, const AddressUse& use,
                          const SharingIdentity& identity) {
  const std::string ip = address.ToString();
  const std::string holders = Join(use.holders);
  if (identity.sharing_key.empty()) {
    return core::MakeErr("IP " + ip + " is already used by " + holders +
                         " and this service does not set metallb.io/allow-shared-ip");
  }
  if (use.sharing_key.empty()) {
    return core::MakeErr("IP " + ip + " is already used by " + holders +
                         ", which does not allow sharing");
  }
  if (use.sharing_key != identity.sharing_key) {
    return core::MakeErr("IP " + ip + " is used by " + holders + " with sharing key \"" +
                         use.sharing_key + "\", not \"" + identity.sharing_key + "\"");
  }
  if (use.backend_key != identity.backend_key) {
    return core::MakeErr("IP " + ip + " is shared by " + holders +
                         " with a different backend (externalTrafficPolicy Local needs the "
                         "same selector on every service of a shared IP: \"" +
                         use.backend_key + "\" vs \"" + identity.backend_key + "\")");
  }
  for (const auto& port : identity.ports) {
    if (auto it = use.port_owners.find(port); it != use.port_owners.end()) {
      return core::MakeErr("port " + port.ToString() + " is already in use on " + ip + " by " +
                           *it->second);
    }
  }
  return core::Ok();
}

}  // namespace vipcast::ipam
