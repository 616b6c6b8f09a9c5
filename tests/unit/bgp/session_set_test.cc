#include "engine/bgp/session_set.h"

#include <gtest/gtest.h>

namespace vipcast::bgp {
namespace {

namespace wb = wire::bgp;

core::IpAddr A(const char* t) { return core::IpAddr::Parse(t).value(); }

SessionConfig Config(const char* name, const char* remote) {
  SessionConfig c;
  c.name = name;
  c.local.asn = core::Asn(64500);
  c.local.router_id = core::RouterId(1);
  c.peer_as = core::Asn(64501);
  c.remote = {A(remote), 179};
  c.passive = true;
  return c;
}

TEST(SessionSet, ListensAndRefusesUnknownPeers) {
  SessionSet set;
  core::Outbox out;
  core::TimePoint now;
  set.Handle(now, core::InterfacesChanged{{{"eth0", {}, {A("10.0.0.1")}, true}}}, out);
  set.SetPeers(now, {Config("a", "10.0.0.2")}, out);
  bool listen = false;
  for (auto& a : out.Drain()) listen |= std::holds_alternative<core::Listen>(a);
  EXPECT_TRUE(listen);
  EXPECT_EQ(set.Find("a")->state(), FsmState::kActive);
  core::StreamId s{core::StreamId::kAcceptedBit | 1};
  set.Handle(now, core::StreamAccepted{s, {A("10.0.0.1"), 179}, {A("10.0.0.9"), 5000}}, out);
  bool closed = false;
  for (auto& a : out.Drain()) closed |= std::holds_alternative<core::CloseStream>(a);
  EXPECT_TRUE(closed);
  set.Handle(now, core::StreamAccepted{s, {A("10.0.0.1"), 179}, {A("10.0.0.2"), 5000}}, out);
  EXPECT_EQ(set.Find("a")->state(), FsmState::kOpenSent);
}

std::vector<core::Listen> Listens(core::Outbox& out) {
  std::vector<core::Listen> listens;
  for (auto& a : out.Drain()) {
    if (auto* l = std::get_if<core::Listen>(&a)) listens.push_back(*l);
  }
  return listens;
}

using Keys = std::vector<std::pair<core::IpAddr, std::string>>;

// RFC 2385: a passive peer with a password can only connect when its key is
// on the listening socket.
TEST(SessionSet, ListenCarriesTheMd5KeysOfPeersWithPasswordsPerFamily) {
  SessionSet set;
  core::Outbox out;
  core::TimePoint now;
  SessionConfig a = Config("a", "10.0.0.2");
  a.password = "secret-a";
  SessionConfig b = Config("b", "10.0.0.3");  // no password: no key
  SessionConfig c = Config("c", "2001:db8::2");
  c.password = "secret-c";
  set.SetPeers(now, {a, b, c}, out);
  EXPECT_TRUE(Listens(out).empty());  // not before the interfaces are known
  set.Handle(now, core::InterfacesChanged{{{"eth0", {}, {A("10.0.0.1")}, true}}}, out);
  auto listens = Listens(out);
  ASSERT_EQ(listens.size(), 2u);
  EXPECT_EQ(listens[0].local, (core::Endpoint{A("0.0.0.0"), 179}));
  EXPECT_EQ(listens[0].md5_keys, (Keys{{A("10.0.0.2"), "secret-a"}}));
  EXPECT_EQ(listens[1].local, (core::Endpoint{A("::"), 179}));
  EXPECT_EQ(listens[1].md5_keys, (Keys{{A("2001:db8::2"), "secret-c"}}));

  // Interfaces changing again do not repeat the Listen.
  set.Handle(now, core::InterfacesChanged{{{"eth0", {}, {A("10.0.0.1")}, true}}}, out);
  EXPECT_TRUE(Listens(out).empty());

  // A new password for b: the IPv4 Listen is emitted again with both keys
  // (replacing the listener's options); the IPv6 one is unchanged.
  b.password = "secret-b";
  set.SetPeers(now, {a, b, c}, out);
  listens = Listens(out);
  ASSERT_EQ(listens.size(), 1u);
  EXPECT_EQ(listens[0].local, (core::Endpoint{A("0.0.0.0"), 179}));
  EXPECT_EQ(listens[0].md5_keys, (Keys{{A("10.0.0.2"), "secret-a"}, {A("10.0.0.3"), "secret-b"}}));

  // Same peers again: nothing to re-emit.
  set.SetPeers(now, {a, b, c}, out);
  EXPECT_TRUE(Listens(out).empty());

  // c removed: the IPv6 listener loses its key.
  set.SetPeers(now, {a, b}, out);
  listens = Listens(out);
  ASSERT_EQ(listens.size(), 1u);
  EXPECT_EQ(listens[0].local, (core::Endpoint{A("::"), 179}));
  EXPECT_TRUE(listens[0].md5_keys.empty());
}

TEST(SessionSet, DeconfiguredPeerGetsCease3) {
  SessionSet set;
  core::Outbox out;
  core::TimePoint now;
  set.SetPeers(now, {Config("a", "10.0.0.2")}, out);
  core::StreamId s{core::StreamId::kAcceptedBit | 1};
  set.Handle(now, core::StreamAccepted{s, {A("10.0.0.1"), 179}, {A("10.0.0.2"), 5000}}, out);
  set.Handle(now, core::StreamWritable{s, 65536}, out);
  out.Drain();
  set.SetPeers(now, {}, out);
  EXPECT_EQ(set.Find("a"), nullptr);
  bool cease = false;
  for (auto& a : out.Drain()) {
    if (auto* w = std::get_if<core::WriteStream>(&a)) {
      auto m = wb::DecodeMessage(w->data, {});
      ASSERT_TRUE(m.ok());
      if (auto* n = std::get_if<wb::NotificationMessage>(&m.value())) {
        cease = n->code == 6 && n->subcode == 3;
      }
    }
  }
  EXPECT_TRUE(cease);
}

}  // namespace
}  // namespace vipcast::bgp
