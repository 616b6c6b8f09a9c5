// Shared set-up for the responder tests: a node with eth0
// (02:00:00:00:00:0b, the MAC of the Linux capture in test_frames.h) and
// eth1, and helpers to build requests and read the outbox.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <set>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "engine/core/io.h"
#include "engine/l2/responder.h"
#include "engine/wire/l2/frame.h"
#include "engine/wire/l2/multicast.h"
#include "tests/unit/wire/l2/test_frames.h"

namespace vipcast::l2::testing {

inline core::Ipv4Addr V4(std::string_view s) { return core::Ipv4Addr::Parse(s).value(); }
inline core::Ipv6Addr V6(std::string_view s) { return core::Ipv6Addr::Parse(s).value(); }
inline core::MacAddr Mac(std::string_view s) { return core::MacAddr::Parse(s).value(); }

template <typename A>
std::vector<A> All(const std::vector<core::Action>& actions) {
  std::vector<A> out;
  for (const auto& a : actions) {
    if (const auto* x = std::get_if<A>(&a)) out.push_back(*x);
  }
  return out;
}

inline wire::L2Frame MustParse(const core::Bytes& bytes) {
  auto f = wire::ParseFrame(bytes);
  EXPECT_TRUE(f.ok()) << (f.ok() ? "" : wire::ToString(f.error()));
  return f.ok() ? *f : wire::L2Frame{};
}

class ResponderTest : public ::testing::Test {
 protected:
  const core::MacAddr kMac0 = Mac("02:00:00:00:00:0b");
  const core::MacAddr kMac1 = Mac("02:00:00:00:00:0c");
  const core::MacAddr kClient = Mac("02:00:00:00:00:0a");
  const core::IpAddr kVip4 = V4("192.0.2.2");
  const core::IpAddr kVip6 = V6("2001:db8::2");
  const core::TimePoint kT0 = core::TimePoint::Epoch() + core::Duration::Seconds(100);

  explicit ResponderTest(AnnounceSchedule schedule = AnnounceSchedule::Default())
      : responder_(schedule) {}
  explicit ResponderTest(ResponderOptions options) : responder_(options) {}

  void SetUp() override {
    responder_.SetInterfaces(kT0, Interfaces(), out_);
    out_.Drain();
  }

  std::vector<core::InterfaceInfo> Interfaces(bool eth0_up = true) const {
    return {{"eth0", kMac0, {}, eth0_up}, {"eth1", kMac1, {}, true}};
  }

  // Owns `vip` on eth0 at kT0 and discards the resulting announcements.
  void OwnQuietly(const core::IpAddr& vip, std::set<std::string> ifaces = {"eth0"}) {
    responder_.Own(kT0, vip, std::move(ifaces), "default/web", out_);
    out_.Drain();
  }

  std::vector<core::Action> Feed(const core::Bytes& frame, const std::string& iface = "eth0") {
    responder_.Handle(now_, core::FrameReceived{iface, frame}, out_);
    return out_.Drain();
  }

  std::vector<core::Action> AdvanceTo(core::TimePoint t) {
    responder_.Advance(t, out_);
    return out_.Drain();
  }

  uint64_t Dropped(DropReason reason) const { return responder_.Dropped(reason); }

  // An ARP request frame as a client would send it.
  core::Bytes ArpRequest(core::Ipv4Addr target, core::MacAddr eth_dst = core::MacAddr::Broadcast(),
                         core::Ipv4Addr sender_ip = V4("192.0.2.1"),
                         std::optional<core::MacAddr> sender_mac = std::nullopt,
                         wire::ArpOperation op = wire::ArpOperation::kRequest) const {
    wire::EthernetHeader eth{eth_dst, sender_mac.value_or(kClient), std::nullopt, 0};
    wire::ArpPacket arp{op, sender_mac.value_or(kClient), sender_ip, core::MacAddr(), target};
    return wire::EncodeFrame(wire::L2Frame{eth, arp});
  }

  // A Neighbor Solicitation for `target`; multicast to its solicited-node
  // group unless `ip_dst` says otherwise.
  core::Bytes Solicitation(core::Ipv6Addr target, core::Ipv6Addr src = V6("2001:db8::1"),
                           std::optional<core::Ipv6Addr> ip_dst = std::nullopt,
                           std::optional<core::MacAddr> eth_dst = std::nullopt,
                           std::optional<core::MacAddr> slla = Mac("02:00:00:00:00:0a")) const {
    wire::NdpPacket p;
    p.ip.src = src;
    p.ip.dst = ip_dst.value_or(wire::SolicitedNodeAddress(target));
    p.message = wire::NeighborSolicitation{target, slla};
    const core::MacAddr dst_mac =
        eth_dst.value_or(p.ip.dst.IsMulticast() ? wire::MulticastMac(p.ip.dst) : kMac0);
    return wire::EncodeFrame(wire::L2Frame{{dst_mac, kClient, std::nullopt, 0}, p});
  }

  Responder responder_;
  core::Outbox out_;
  core::TimePoint now_ = kT0;  // when Feed delivers frames
};

}  // namespace vipcast::l2::testing
