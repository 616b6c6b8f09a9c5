#include "tests/property/ipam/ipam_scenario.h"

#include <algorithm>
#include <set>
#include <sstream>

namespace vipcast::ipam::scenario {
namespace {

using core::IpAddr;
using core::IpFamily;

constexpr int kPoolSlots = 4;
constexpr int kKnobs = 24;
const char* const kPoolNames[] = {"a", "b", "c", "d", "nope"};

// Pool slot i owns v4 block 10.0.(2i).252 .. +7 (crossing a .255/.0
// boundary, so avoidBuggyIPs matters) and v6 block 2001:db8:i:: .. +7.
IpAddr V4Block(int slot, int offset) {
  return IpAddr::FromUint128(
      IpFamily::kV4, (core::Uint128{10} << 24) + (core::Uint128(2 * slot) << 8) + 252 + offset);
}
IpAddr V6Block(int slot, int offset) {
  auto base = core::IpAddr::Parse("2001:db8::").value().ToUint128();
  return IpAddr::FromUint128(IpFamily::kV6, base + (core::Uint128(slot) << 80) + offset);
}
// Any address of the universe, or one outside every pool.
IpAddr UniverseV4(int knob) {
  return knob >= 96 ? *IpAddr::Parse("10.9.9.9") : V4Block((knob / 8) % kPoolSlots, knob % 8);
}
IpAddr UniverseV6(int knob) {
  return knob >= 96 ? *IpAddr::Parse("2001:db8:ffff::1")
                    : V6Block((knob / 8) % kPoolSlots, knob % 8);
}

config::LabelSelector Selector(const std::string& key, const std::string& value) {
  return config::LabelSelector{{{key, value}}, {}};
}

std::string BackendOf(const config::Service& s) {
  if (s.external_traffic_policy != config::TrafficPolicy::kLocal) return "";
  std::string out;
  for (const auto& [k, v] : s.selector) out += k + "=" + v + ",";
  return out;
}

std::string SharingKeyOf(const config::Service& s) {
  auto it = s.meta.annotations.find(config::kAnnotationAllowSharedIp);
  return it == s.meta.annotations.end() ? "" : it->second;
}

// Naive restatement of the family rules documented in service_request.h.
std::set<IpFamily> AllowedFamilies(const config::Service& s, size_t* required) {
  std::vector<IpFamily> listed = s.ip_families;
  if (listed.empty()) {
    for (const auto& ip : s.cluster_ips) listed.push_back(ip.family());
  }
  const IpFamily primary = listed.empty() ? IpFamily::kV4 : listed[0];
  const auto policy = s.ip_family_policy.value_or(config::IpFamilyPolicy::kSingleStack);
  *required = 1;
  switch (policy) {
    case config::IpFamilyPolicy::kSingleStack:
      return {primary};
    case config::IpFamilyPolicy::kPreferDualStack:
      if (listed.size() == 1) return {primary};
      return {IpFamily::kV4, IpFamily::kV6};
    case config::IpFamilyPolicy::kRequireDualStack:
      *required = 2;
      return {IpFamily::kV4, IpFamily::kV6};
  }
  return {};
}

bool NaiveAllows(const config::IPAddressPool& pool, const config::Service& s,
                 const config::ClusterConfig& config) {
  if (!pool.service_allocation) return true;
  const auto& sa = *pool.service_allocation;
  if (!sa.namespaces.empty() || !sa.namespace_selectors.empty()) {
    bool ok = std::count(sa.namespaces.begin(), sa.namespaces.end(), s.meta.namespace_) > 0;
    for (const auto& ns : config.namespaces) {
      if (ns.meta.name != s.meta.namespace_) continue;
      for (const auto& sel : sa.namespace_selectors) ok = ok || sel.Matches(ns.meta.labels);
    }
    if (!ok) return false;
  }
  if (sa.service_selectors.empty()) return true;
  for (const auto& sel : sa.service_selectors) {
    if (sel.Matches(s.meta.labels)) return true;
  }
  return false;
}

uint64_t NaiveCapacity(const config::IPAddressPool& pool, IpFamily family) {
  uint64_t n = 0;
  for (const auto& range : pool.ranges) {
    if (range.family() != family) continue;
    for (auto v = range.first().ToUint128(); v <= range.last().ToUint128(); ++v) {
      const auto octet = static_cast<unsigned>(v & 0xff);
      if (pool.avoid_buggy_ips && family == IpFamily::kV4 && (octet == 0 || octet == 255)) continue;
      ++n;
    }
  }
  return n;
}

}  // namespace

OpKind KindOf(const Op& op) {
  if (op.kind < 12) return OpKind::kUpsert;
  if (op.kind < 15) return OpKind::kDelete;
  if (op.kind < 17) return OpKind::kSetConfig;
  return OpKind::kReplaceServices;
}

namespace {

// rapidcheck scales inRange with the size parameter; knobs must cover
// their whole range at every size or thresholds above the size never fire.
template <typename T>
rc::Gen<T> Full(rc::Gen<T> gen) {
  return rc::gen::resize(100, std::move(gen));
}

}  // namespace

rc::Gen<std::vector<int>> GenKnobs() {
  return Full(rc::gen::container<std::vector<int>>(kKnobs, rc::gen::inRange(0, 100)));
}

rc::Gen<Op> GenOp() {
  return rc::gen::build<Op>(rc::gen::set(&Op::kind, Full(rc::gen::inRange(0, 18))),
                            rc::gen::set(&Op::key, Full(rc::gen::inRange(0, 12))),
                            rc::gen::set(&Op::knobs, GenKnobs()));
}

rc::Gen<std::vector<Op>> GenOps() {
  // Always start from a configuration so most scenarios allocate something.
  return rc::gen::apply(
      [](std::vector<int> config_knobs, std::vector<Op> rest) {
        std::vector<Op> ops{Op{15, 0, std::move(config_knobs)}};
        ops.insert(ops.end(), rest.begin(), rest.end());
        return ops;
      },
      GenKnobs(), rc::gen::resize(40, rc::gen::container<std::vector<Op>>(GenOp())));
}

std::string ServiceKey(int key) {
  return "ns" + std::to_string(key % 3) + "/s" + std::to_string(key / 3);
}

config::Service DecodeService(int key, const std::vector<int>& k) {
  config::Service s;
  s.meta.namespace_ = "ns" + std::to_string(key % 3);
  s.meta.name = "s" + std::to_string(key / 3);
  s.type = k[0] < 8 ? config::ServiceType::kClusterIP : config::ServiceType::kLoadBalancer;
  if (k[1] < 5) s.load_balancer_class = "other";
  if (k[2] >= 40) {
    s.ip_family_policy = k[2] < 60   ? config::IpFamilyPolicy::kSingleStack
                         : k[2] < 80 ? config::IpFamilyPolicy::kPreferDualStack
                                     : config::IpFamilyPolicy::kRequireDualStack;
  }
  if (k[3] >= 85) {
    s.ip_families = {IpFamily::kV6, IpFamily::kV4};
  } else if (k[3] >= 70) {
    s.ip_families = {IpFamily::kV4, IpFamily::kV6};
  } else if (k[3] >= 50) {
    s.ip_families = {IpFamily::kV6};
  } else if (k[3] >= 30) {
    s.ip_families = {IpFamily::kV4};
  }
  if (k[4] >= 50) s.meta.annotations[config::kAnnotationAllowSharedIp] = k[4] < 75 ? "k1" : "k2";
  const config::ServicePort ports[] = {
      {"", "TCP", 80, ""}, {"", "TCP", 443, ""}, {"", "UDP", 53, ""}, {"", "TCP", 53, ""}};
  for (int bit = 0; bit < 4; ++bit) {
    if ((k[5] >> bit) & 1) s.ports.push_back(ports[bit]);
  }
  if (k[6] < 25) s.external_traffic_policy = config::TrafficPolicy::kLocal;
  s.selector = {{"app", k[7] < 50 ? "a" : "b"}};
  s.meta.labels = {{"tier", k[8] < 50 ? "web" : "db"}};
  const IpAddr v4 = UniverseV4(k[10]);
  const IpAddr v6 = UniverseV6(k[11]);
  if (k[9] >= 96) {
    s.meta.annotations[config::kAnnotationLoadBalancerIPs] = v4.ToString();
    s.load_balancer_ip = v4.ToString();
  } else if (k[9] >= 92) {
    s.load_balancer_ip = (k[11] < 50 ? v4 : v6).ToString();
  } else if (k[9] >= 85) {
    s.meta.annotations[config::kAnnotationLoadBalancerIPs] = v4.ToString() + "," + v6.ToString();
  } else if (k[9] >= 70) {
    s.meta.annotations[config::kAnnotationLoadBalancerIPs] = (k[11] < 50 ? v4 : v6).ToString();
  }
  if (k[12] >= 80) s.meta.annotations[config::kAnnotationAddressPool] = kPoolNames[k[12] % 5];
  if (k[13] >= 70) s.ingress_ips.push_back(UniverseV4(k[14]));
  if (k[13] >= 90) s.ingress_ips.push_back(UniverseV6(k[15]));
  return s;
}

config::ClusterConfig DecodeConfig(const std::vector<int>& k) {
  config::ClusterConfig config;
  const int pools = k[0] < 5 ? 0 : 1 + k[0] % kPoolSlots;
  for (int i = 0; i < pools; ++i) {
    const int* p = &k[1 + 4 * i];  // families/length, flags, allocation, priority
    config::IPAddressPool pool;
    pool.meta.name = kPoolNames[i];
    pool.meta.namespace_ = "metallb-system";
    const int length = 1 + p[0] % 8;
    if (p[0] < 70 || p[0] >= 90) {
      pool.ranges.push_back(*core::IpRange::Make(V4Block(i, 8 - length), V4Block(i, 7)));
    }
    if (p[0] >= 50)
      pool.ranges.push_back(*core::IpRange::Make(V6Block(i, 0), V6Block(i, length - 1)));
    for (const auto& r : pool.ranges) pool.addresses.push_back(r.ToString());
    pool.auto_assign = p[1] % 4 != 0;
    pool.avoid_buggy_ips = p[1] % 3 == 0;
    if (p[2] >= 40) {
      config::ServiceAllocation sa;
      if (p[3] % 4 != 0) sa.priority = p[3] % 4;
      if (p[2] >= 55 && p[2] < 70) sa.namespaces = {"ns" + std::to_string(p[2] % 3)};
      if (p[2] >= 70 && p[2] < 85) sa.namespace_selectors = {Selector("env", "prod")};
      if (p[2] >= 85) sa.service_selectors = {Selector("tier", "web")};
      pool.service_allocation = sa;
    }
    config.pools.push_back(std::move(pool));
  }
  for (int n = 0; n < 3; ++n) {
    config::Namespace ns;
    ns.meta.name = "ns" + std::to_string(n);
    ns.meta.labels = {{"env", k[20 + n] < 50 ? "prod" : "dev"}};
    config.namespaces.push_back(ns);
  }
  return config;
}

std::vector<Change> Apply(const Op& op, World& world, Allocator& allocator) {
  switch (KindOf(op)) {
    case OpKind::kUpsert: {
      auto service = DecodeService(op.key, op.knobs);
      world.services[service.meta.Key()] = service;
      return allocator.Upsert(service);
    }
    case OpKind::kDelete:
      world.services.erase(ServiceKey(op.key));
      return allocator.Delete(ServiceKey(op.key));
    case OpKind::kSetConfig:
      world.config = DecodeConfig(op.knobs);
      return allocator.SetConfig(world.config);
    case OpKind::kReplaceServices: {
      // Keep the services whose knob bit is set, plus one new one.
      std::vector<config::Service> services;
      int bit = 0;
      for (auto it = world.services.begin(); it != world.services.end(); ++bit) {
        if (op.knobs[bit % kKnobs] < 70) {
          services.push_back(it->second);
          ++it;
        } else {
          it = world.services.erase(it);
        }
      }
      auto added = DecodeService(op.key, op.knobs);
      world.services[added.meta.Key()] = added;
      services.push_back(added);
      return allocator.ReplaceServices(services);
    }
  }
  return {};
}

std::string CheckInvariants(const World& world, const Allocator& allocator) {
  std::ostringstream err;
  const auto results = allocator.Results();
  // Exactly the handled services are known to the allocator.
  std::set<std::string> handled;
  for (const auto& [key, s] : world.services) {
    if (s.type == config::ServiceType::kLoadBalancer && !s.load_balancer_class) handled.insert(key);
  }
  std::set<std::string> known;
  for (const auto& r : results) known.insert(r.service);
  if (known != handled) return "allocator knows a different set of services than were handled";

  std::map<IpAddr, std::vector<const config::Service*>> holders;
  std::map<std::string, std::array<std::set<IpAddr>, 2>> used_by_pool;
  std::map<std::string, uint64_t> services_by_pool;
  for (const auto& r : results) {
    const config::Service& s = world.services.at(r.service);
    if (r.ips.empty()) {
      if (r.pending_reason.empty()) err << r.service << " is pending without a reason";
      continue;
    }
    if (!r.pending_reason.empty()) err << r.service << " has addresses and a pending reason";
    size_t required = 1;
    const auto families = AllowedFamilies(s, &required);
    if (r.ips.size() < required || r.ips.size() > 2 ||
        (r.ips.size() == 2 && r.ips[0].family() == r.ips[1].family())) {
      err << r.service << " holds a wrong number of addresses";
    }
    const config::IPAddressPool* pool = nullptr;
    for (const auto& p : world.config.pools) {
      if (p.meta.name == r.pool) pool = &p;
    }
    if (!pool) {
      err << r.service << " holds addresses from missing pool " << r.pool;
      continue;
    }
    if (!NaiveAllows(*pool, s, world.config))
      err << r.service << ": pool " << r.pool << " forbids it";
    ++services_by_pool[r.pool];
    for (const auto& ip : r.ips) {
      holders[ip].push_back(&s);
      used_by_pool[r.pool][ip.is_v4() ? 0 : 1].insert(ip);
      if (!families.count(ip.family()))
        err << r.service << " holds " << ip.ToString() << " of a family it does not use";
      const bool inside =
          std::any_of(pool->ranges.begin(), pool->ranges.end(),
                      [&](const core::IpRange& range) { return range.Contains(ip); });
      if (!inside) err << r.service << " holds " << ip.ToString() << " outside pool " << r.pool;
      const auto octet = static_cast<unsigned>(ip.ToUint128() & 0xff);
      if (pool->avoid_buggy_ips && ip.is_v4() && (octet == 0 || octet == 255)) {
        err << r.service << " holds buggy " << ip.ToString();
      }
    }
    if (!err.str().empty()) return err.str();
  }
  // Sharing: every pair of holders of one address must be compatible.
  for (const auto& [ip, list] : holders) {
    for (size_t i = 0; i < list.size(); ++i) {
      for (size_t j = i + 1; j < list.size(); ++j) {
        const auto& x = *list[i];
        const auto& y = *list[j];
        const std::string kx = SharingKeyOf(x);
        if (kx.empty() || kx != SharingKeyOf(y) || BackendOf(x) != BackendOf(y)) {
          return ip.ToString() + " held by incompatible " + x.meta.Key() + " and " + y.meta.Key();
        }
        for (const auto& px : x.ports) {
          for (const auto& py : y.ports) {
            if (px.protocol == py.protocol && px.port == py.port) {
              return ip.ToString() + ": " + x.meta.Key() + " and " + y.meta.Key() + " share a port";
            }
          }
        }
      }
    }
  }
  // Stats equal a recount from the assignments and the pool definitions.
  for (const auto& c : allocator.PoolStats()) {
    const config::IPAddressPool* pool = nullptr;
    for (const auto& p : world.config.pools) {
      if (p.meta.name == c.pool) pool = &p;
    }
    if (!pool) return "stats for unknown pool " + c.pool;
    const auto& used = used_by_pool[c.pool];
    if (c.ipv4_addresses_in_use != used[0].size() || c.ipv6_addresses_in_use != used[1].size() ||
        c.addresses_in_use != used[0].size() + used[1].size()) {
      return "in-use counts of pool " + c.pool + " disagree with the assignments";
    }
    if (c.services != services_by_pool[c.pool])
      return "service count of pool " + c.pool + " is off";
    if (c.ipv4_addresses_total != NaiveCapacity(*pool, IpFamily::kV4) ||
        c.ipv6_addresses_total != NaiveCapacity(*pool, IpFamily::kV6) ||
        c.addresses_total != c.ipv4_addresses_total + c.ipv6_addresses_total) {
      return "capacity of pool " + c.pool + " is off";
    }
  }
  if (allocator.PoolStats().size() != world.config.pools.size()) return "stats miss a pool";
  return "";
}

std::string Describe(const std::vector<Op>& ops) {
  std::ostringstream out;
  for (const auto& op : ops) {
    switch (KindOf(op)) {
      case OpKind::kUpsert:
        out << "upsert " << ServiceKey(op.key);
        break;
      case OpKind::kDelete:
        out << "delete " << ServiceKey(op.key);
        break;
      case OpKind::kSetConfig:
        out << "config";
        break;
      case OpKind::kReplaceServices:
        out << "replace adding " << ServiceKey(op.key);
        break;
    }
    out << " [";
    for (int k : op.knobs) out << k << " ";
    out << "]\n";
  }
  return out.str();
}

}  // namespace vipcast::ipam::scenario
