// The node's network interfaces as the speaker should see them, read from
// the kernel (getifaddrs) each time it is asked.
//
// Eligible, as MetalLB's speaker chooses the interfaces it answers ARP/NDP on
// (internal/layer2/announcer.go and the speaker's interface filter): not the
// loopback, ARP-capable (no IFF_NOARP), not enslaved to a bridge or a bond
// (an address there is answered by the master), and not matching the names
// of container plumbing: docker*, veth*, cali*, kube-ipvs*, flannel*, cni*,
// lxc*. Interfaces that are down are listed with up=false so that the
// engine stops answering on them (the responder's rule), rather than
// vanishing.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/core/io.h"

namespace vipcast::prod {

struct LinkInfo {
  core::InterfaceInfo info;  // name, MAC, addresses, up
  int index = 0;             // if_nametoindex
};

// True for names MetalLB never announces on (see the file comment).
bool IsExcludedInterfaceName(std::string_view name);

// The eligible interfaces in name order. With `only` non-empty, exactly the
// interfaces named there that exist and are Ethernet-like (the operator's
// choice wins over the name exclusions); otherwise every eligible one.
std::vector<LinkInfo> ListInterfaces(const std::vector<std::string>& only);

}  // namespace vipcast::prod
