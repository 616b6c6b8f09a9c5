// bgp::Router's exports (router.h Export) on the deterministic harness: a
// three-tier chain node -> leaf -> spine as in an RFC 7938 fabric. The node
// originates a VIP to the leaf; the leaf exports its FIB and its own subnet
// to the spine with itself as next hop, never back to where a route came
// from (split horizon).
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/bgp/router.h"
#include "tests/harness/harness.h"

namespace vipcast::bgp {
namespace {

core::IpAddr Ip(const char* t) { return core::IpAddr::Parse(t).value(); }
core::Prefix Pfx(const char* t) { return core::Prefix::Parse(t).value(); }

const core::IpAddr kNode = Ip("10.0.0.10");
const core::IpAddr kLeaf = Ip("10.0.0.1");
const core::IpAddr kSpine = Ip("10.0.0.2");
const core::Prefix kVip = Pfx("192.168.1.240/32");
const core::Prefix kLeafSubnet = Pfx("10.0.0.0/24");

SessionConfig Peer(const char* name, core::IpAddr remote, uint32_t asn, bool passive) {
  SessionConfig c;
  c.name = name;
  c.peer_as = core::Asn(asn);
  c.remote = {remote, 179};
  c.passive = passive;
  c.local.hold_time = core::Duration::Seconds(9);
  return c;
}

// A core::Engine around a Router so the harness can run it. Peers and
// exports given before Start are applied with the first input (the
// interfaces), so that their Connects reach the harness.
class Host final : public core::Engine {
 public:
  Host(uint32_t asn, core::IpAddr self)
      : router_(core::Asn(asn), core::RouterId(self.v4().value())) {}
  void Handle(core::TimePoint now, const core::Input& input, core::Outbox& out) override {
    if (next_peers_) router_.SetPeers(now, *std::exchange(next_peers_, {}), out);
    if (next_exports_) router_.SetExports(now, *std::exchange(next_exports_, {}), out);
    router_.Handle(now, input, out);
  }
  void Advance(core::TimePoint now, core::Outbox& out) override { router_.Advance(now, out); }
  core::TimePoint NextDeadline() const override { return router_.NextDeadline(); }
  void SetPeersLater(std::vector<SessionConfig> peers) { next_peers_ = std::move(peers); }
  void SetExportsLater(std::map<std::string, Export> exports) { next_exports_ = exports; }
  Router& router() { return router_; }
  std::vector<core::IpAddr> Hops(const core::Prefix& p) const {
    auto it = router_.fib().find(p);
    return it == router_.fib().end() ? std::vector<core::IpAddr>{} : it->second;
  }

 private:
  Router router_;
  std::optional<std::vector<SessionConfig>> next_peers_;
  std::optional<std::map<std::string, Export>> next_exports_;
};

struct Chain {
  Chain() {
    auto add = [&](const char* name, core::IpAddr a, uint8_t mac) {
      return h.AddNode({name, {{"eth0", core::MacAddr({2, 0, 0, 0, 0, mac}), {a}, "lan"}}});
    };
    node_id = add("node", kNode, 0x10);
    leaf_id = add("leaf", kLeaf, 0x01);
    spine_id = add("spine", kSpine, 0x02);
    node.SetPeersLater({Peer("leaf", kLeaf, 64502, false)});
    node.SetExportsLater({{"leaf", Export{{{kVip, {}}}, false}}});
    leaf.SetPeersLater({Peer("node", kNode, 64500, true), Peer("spine", kSpine, 64501, false)});
    // The leaf also exports its FIB to the node: split horizon must keep
    // the node's own VIP from coming back to it.
    leaf.SetExportsLater(
        {{"spine", Export{{{kLeafSubnet, {}}}, true}}, {"node", Export{{}, true}}});
    spine.SetPeersLater({Peer("leaf", kLeaf, 64502, true)});
    h.Start(node_id, &node);
    h.Start(leaf_id, &leaf);
    h.Start(spine_id, &spine);
  }
  bool RunUntil(const std::function<bool()>& done) {
    return h.RunUntil(done, h.now() + core::Duration::Seconds(30));
  }

  harness::Harness h;
  harness::NodeId node_id, leaf_id, spine_id;
  Host node{64500, kNode};
  Host leaf{64502, kLeaf};
  Host spine{64501, kSpine};
};

size_t Received(Router& r, const char* peer, const core::Prefix& p) {
  Session* s = r.sessions().Find(peer);
  return s == nullptr ? 0 : s->rib_in().routes().count(p);
}

TEST(RouterExport, LeafReadvertisesLearnedAndOriginatedPrefixesWithItselfAsNextHop) {
  Chain c;
  ASSERT_TRUE(c.RunUntil([&] { return c.spine.router().fib().size() == 2; }));
  EXPECT_EQ(c.leaf.Hops(kVip), std::vector<core::IpAddr>{kNode});
  EXPECT_EQ(c.spine.Hops(kVip), std::vector<core::IpAddr>{kLeaf});
  EXPECT_EQ(c.spine.Hops(kLeafSubnet), std::vector<core::IpAddr>{kLeaf});
  // Split horizon: the node's VIP is not sent back to it; the leaf's
  // subnet is exported to the spine only.
  c.h.RunFor(core::Duration::Seconds(2));
  EXPECT_EQ(Received(c.node.router(), "leaf", kVip), 0u);
  EXPECT_EQ(Received(c.node.router(), "leaf", kLeafSubnet), 0u);
  EXPECT_TRUE(c.node.router().fib().empty());
}

TEST(RouterExport, WithdrawnWhenTheLearnedRouteGoes) {
  Chain c;
  ASSERT_TRUE(c.RunUntil([&] { return c.spine.router().fib().count(kVip) == 1; }));
  // The node dies: the leaf loses the VIP at hold time expiry and
  // withdraws it from the spine; the leaf's own subnet stays.
  c.h.Crash(c.node_id);
  ASSERT_TRUE(c.RunUntil([&] { return c.spine.router().fib().count(kVip) == 0; }));
  EXPECT_TRUE(c.leaf.Hops(kVip).empty());
  EXPECT_EQ(c.spine.Hops(kLeafSubnet), std::vector<core::IpAddr>{kLeaf});
}

TEST(RouterExport, UnexportingAPeerWithdrawsEverythingSentToIt) {
  Chain c;
  ASSERT_TRUE(c.RunUntil([&] { return c.spine.router().fib().size() == 2; }));
  // An unchanged interface list is a no-op input that carries the change.
  c.leaf.SetExportsLater({});
  c.h.Inject(c.leaf_id, core::InterfacesChanged{c.h.interfaces(c.leaf_id)});
  ASSERT_TRUE(c.RunUntil([&] { return c.spine.router().fib().empty(); }));
  EXPECT_EQ(c.leaf.Hops(kVip), std::vector<core::IpAddr>{kNode});
}

}  // namespace
}  // namespace vipcast::bgp
