// IP sharing (metallb.io/allow-shared-ip): several services may hold one
// address when they all carry the same non-empty sharing key, have the same
// backend, and use disjoint (protocol, port) pairs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "engine/core/ip.h"
#include "engine/core/result.h"

namespace vipcast::ipam {

// A service port as sharing sees it: TCP/53 and UDP/53 do not collide.
struct PortKey {
  std::string protocol;
  uint16_t port = 0;
  std::string ToString() const { return protocol + "/" + std::to_string(port); }
  auto operator<=>(const PortKey&) const = default;
};

// What decides whether a service can share an address with another.
struct SharingIdentity {
  std::string sharing_key;  // empty: the service never shares
  // With externalTrafficPolicy Local traffic only goes to nodes running the
  // service's pods, so services sharing an IP must select the same pods:
  // the selector as "k=v,k2=v2". Empty for Cluster (any node can forward).
  std::string backend_key;
  std::set<PortKey> ports;
  bool operator==(const SharingIdentity&) const = default;
};

// The services holding one address. Holders are pointers to the service
// keys the allocator owns (stable map keys), so holding an address copies
// no strings.
// Invariants: holders is non-empty and sorted by key; every holder has this
// sharing_key and backend_key; port_owners maps each port in use on the
// address to the single holder using it.
struct AddressUse {
  size_t pool = 0;   // index into the allocator's pools
  size_t range = 0;  // index into that pool's ranges
  std::vector<const std::string*> holders;
  std::string sharing_key;
  std::string backend_key;
  std::map<PortKey, const std::string*> port_owners;
};

// Whether a service with `identity`, not yet among use.holders, may also
// hold `address`. The error says why not, naming the holders.
core::Status<> CheckShare(const core::IpAddr& address, const AddressUse& use,
                          const SharingIdentity& identity);

// The same decision without building a message (the allocation hot path).
bool CanShare(const AddressUse& use, const SharingIdentity& identity);

}  // namespace vipcast::ipam
