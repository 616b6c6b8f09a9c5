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
