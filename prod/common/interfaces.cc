#include "prod/common/interfaces.h"

#include <ifaddrs.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <map>

namespace vipcast::prod {

namespace {

constexpr std::array<std::string_view, 7> kExcludedPrefixes = {
    "docker", "veth", "cali", "kube-ipvs", "flannel", "cni", "lxc"};

// A bridge port or bond slave has a "master" link in sysfs.
bool IsEnslaved(const std::string& name) {
  const std::string path = "/sys/class/net/" + name + "/master";
  struct stat st {};
  return lstat(path.c_str(), &st) == 0;
}

}  // namespace

bool IsExcludedInterfaceName(std::string_view name) {
  if (name == "lo") return true;
  return std::any_of(kExcludedPrefixes.begin(), kExcludedPrefixes.end(),
                     [&](std::string_view p) { return name.substr(0, p.size()) == p; });
}

std::vector<LinkInfo> ListInterfaces(const std::vector<std::string>& only) {
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return {};
  std::map<std::string, LinkInfo> links;
  // Pass 1: the links themselves (AF_PACKET entries carry the MAC and flags).
  for (ifaddrs* ifa = list; ifa != nullptr; ifa = ifa->ifa_next) {
    if (ifa->ifa_addr == nullptr || ifa->ifa_addr->sa_family != AF_PACKET) continue;
    const std::string name = ifa->ifa_name;
    const auto* ll = reinterpret_cast<const sockaddr_ll*>(ifa->ifa_addr);
    const bool is_ether = ll->sll_hatype == ARPHRD_ETHER && ll->sll_halen == 6;
    const unsigned flags = ifa->ifa_flags;
    const bool wanted = only.empty() ? !(flags & IFF_LOOPBACK) && !(flags & IFF_NOARP) &&
                                           !IsExcludedInterfaceName(name) && !IsEnslaved(name)
                                     : std::find(only.begin(), only.end(), name) != only.end();
    if (!wanted || !is_ether) continue;
    std::array<uint8_t, 6> mac{};
    std::memcpy(mac.data(), ll->sll_addr, 6);
    LinkInfo link;
    link.info.name = name;
    link.info.mac = core::MacAddr(mac);
    // IFF_RUNNING: carrier present (a veth whose peer is down is not).
    link.info.up = (flags & IFF_UP) && (flags & IFF_RUNNING);
    link.index = static_cast<int>(if_nametoindex(name.c_str()));
    links.emplace(name, std::move(link));
  }
  // Pass 2: their addresses.
  for (ifaddrs* ifa = list; ifa != nullptr; ifa = ifa->ifa_next) {
    if (ifa->ifa_addr == nullptr) continue;
    auto it = links.find(ifa->ifa_name);
    if (it == links.end()) continue;
    if (ifa->ifa_addr->sa_family == AF_INET) {
      const auto* in = reinterpret_cast<const sockaddr_in*>(ifa->ifa_addr);
      it->second.info.addresses.push_back(core::Ipv4Addr(ntohl(in->sin_addr.s_addr)));
    } else if (ifa->ifa_addr->sa_family == AF_INET6) {
      const auto* in6 = reinterpret_cast<const sockaddr_in6*>(ifa->ifa_addr);
      std::array<uint8_t, 16> bytes{};
      std::memcpy(bytes.data(), in6->sin6_addr.s6_addr, 16);
      it->second.info.addresses.push_back(core::Ipv6Addr(bytes));
    }
  }
  freeifaddrs(list);
  std::vector<LinkInfo> out;
  for (auto& [name, link] : links) {
    std::sort(link.info.addresses.begin(), link.info.addresses.end());
    out.push_back(std::move(link));
  }
  return out;
}

}  // namespace vipcast::prod
