// AsioRuntime on the loopback interface: the timer calls Advance at the
// engine's deadline, SendDatagram leaves with the engine's TTL and comes
// back as DatagramReceived carrying that TTL, the local address and the
// interface; a Connect to a closed port is answered with
// StreamClosed(kConnectFailed); a stream with TCP-MD5 on both sides carries
// bytes both ways and its close reaches the other side.
// RawFrameSocket on the loopback (needs CAP_NET_RAW, skipped without it):
// the NDP socket's kernel filter passes Neighbor Solicitations and
// Advertisements and nothing else, and link-layer multicast memberships and
// IPv6 groups appear in and leave the kernel's lists with Join/Leave and
// with close. Interface changes come from rtnetlink when its socket opens,
// from the poll when it is turned off, and the start-up log says which.
#include "prod/common/asio_runtime.h"

#include <gtest/gtest.h>
#include <net/if.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "prod/common/raw_frame_socket.h"

namespace vipcast::prod {
namespace {

class LoopbackEngine final : public core::Engine {
 public:
  explicit LoopbackEngine(uint16_t port) : port_(port) {}

  void Handle(core::TimePoint now, const core::Input& input, core::Outbox& out) override {
    EXPECT_GE(now, last_now_);
    last_now_ = now;
    if (std::holds_alternative<core::InterfacesChanged>(input)) {
      ++interface_reports;
      core::Connect connect;
      connect.stream = core::StreamId{1};
      connect.remote = {core::Ipv4Addr::FromOctets(127, 0, 0, 1), 179};
      out.Emit(connect);
    } else if (const auto* d = std::get_if<core::DatagramReceived>(&input)) {
      received = *d;
    } else if (const auto* c = std::get_if<core::StreamClosed>(&input)) {
      closed = *c;
    }
  }
  void Advance(core::TimePoint now, core::Outbox& out) override {
    EXPECT_GE(now, deadline_);  // never called early
    last_now_ = now;
    deadline_ = core::TimePoint::Never();
    ++advances;
    const core::Endpoint self{core::Ipv4Addr::FromOctets(127, 0, 0, 1), port_};
    out.Emit(core::SendDatagram{self, self, 7, {'h', 'i'}, ""});
  }
  core::TimePoint NextDeadline() const override { return deadline_; }

  int interface_reports = 0;
  int advances = 0;
  std::optional<core::DatagramReceived> received;
  std::optional<core::StreamClosed> closed;

 private:
  uint16_t port_;
  core::TimePoint deadline_ = core::TimePoint::Epoch() + core::Duration::Milliseconds(20);
  core::TimePoint last_now_ = core::TimePoint::Epoch();
};

TEST(AsioRuntimeTest, TimerDatagramsAndStreamsOnLoopback) {
  boost::asio::io_context io;
  const uint16_t port = static_cast<uint16_t>(30000 + getpid() % 20000);
  LoopbackEngine engine(port);
  int logs = 0;
  AsioRuntime runtime(io, {{"lo"}, core::Duration::Seconds(1)},
                      [&](const core::Action& a) { logs += std::holds_alternative<core::Log>(a); });
  ASSERT_EQ(runtime.OpenUdp(port), "");
  runtime.Start(engine);
  // Bounded: stops as soon as the datagram is back.
  for (int i = 0; i < 200 && !(engine.received && engine.closed); ++i) {
    io.run_for(std::chrono::milliseconds(10));
  }
  runtime.Detach();

  EXPECT_EQ(engine.interface_reports, 1);  // lo is not Ethernet: an empty list, told once
  EXPECT_EQ(engine.advances, 1);
  ASSERT_TRUE(engine.received.has_value());
  EXPECT_EQ(engine.received->ttl, 7);
  EXPECT_EQ(engine.received->payload, (core::Bytes{'h', 'i'}));
  EXPECT_EQ(engine.received->local.ToString(), "127.0.0.1:" + std::to_string(port));
  EXPECT_EQ(engine.received->remote.ToString(), "127.0.0.1:" + std::to_string(port));
  EXPECT_EQ(engine.received->interface, "lo");
  ASSERT_TRUE(engine.closed.has_value());
  EXPECT_EQ(engine.closed->reason, core::StreamCloseReason::kConnectFailed);
  EXPECT_GT(logs, 0);
}

// Listens with an MD5 key for 127.0.0.1 and connects to itself with it;
// the connecting side writes "hello", the accepting side answers "bye" and
// closes; the connecting side sees the data and then kPeerClosed.
class StreamEngine final : public core::Engine {
 public:
  StreamEngine(uint16_t port, std::optional<std::string> connect_key)
      : local_{core::Ipv4Addr::FromOctets(127, 0, 0, 1), port},
        connect_key_(std::move(connect_key)) {}

  void Handle(core::TimePoint, const core::Input& input, core::Outbox& out) override {
    if (std::holds_alternative<core::InterfacesChanged>(input)) {
      if (started_) return;
      started_ = true;
      core::Listen listen;
      listen.local = local_;
      listen.md5_keys = {{local_.address, "s3cret"}};
      listen.min_ttl = 1;
      out.Emit(listen);
      core::Connect connect;
      connect.stream = core::StreamId{7};
      connect.remote = local_;
      connect.md5_key = connect_key_;
      out.Emit(connect);
    } else if (const auto* c = std::get_if<core::StreamConnected>(&input)) {
      connected = true;
      EXPECT_EQ(c->remote, local_);
    } else if (const auto* a = std::get_if<core::StreamAccepted>(&input)) {
      accepted = a->stream;
      EXPECT_NE(a->stream.value & core::StreamId::kAcceptedBit, 0u);
    } else if (const auto* w = std::get_if<core::StreamWritable>(&input)) {
      EXPECT_GT(w->capacity, 0u);
      if (w->stream.value == 7 && !wrote_) {
        wrote_ = true;
        out.Emit(core::WriteStream{w->stream, {'h', 'e', 'l', 'l', 'o'}});
      }
    } else if (const auto* d = std::get_if<core::StreamData>(&input)) {
      if (d->stream.value == 7) {
        client_data.insert(client_data.end(), d->data.begin(), d->data.end());
      } else {
        server_data.insert(server_data.end(), d->data.begin(), d->data.end());
        if (server_data.size() == 5) {
          out.Emit(core::WriteStream{d->stream, {'b', 'y', 'e'}});
          out.Emit(core::CloseStream{d->stream, false});
        }
      }
    } else if (const auto* c = std::get_if<core::StreamClosed>(&input)) {
      closed = *c;
    }
  }
  void Advance(core::TimePoint, core::Outbox&) override {}
  core::TimePoint NextDeadline() const override { return core::TimePoint::Never(); }

  bool connected = false;
  std::optional<core::StreamId> accepted;
  std::string client_data;
  std::string server_data;
  std::optional<core::StreamClosed> closed;

 private:
  core::Endpoint local_;
  std::optional<std::string> connect_key_;
  bool started_ = false;
  bool wrote_ = false;
};

TEST(AsioRuntimeTest, TcpStreamWithMd5BothWaysThenPeerClose) {
  boost::asio::io_context io;
  const uint16_t port = static_cast<uint16_t>(30000 + (getpid() + 1) % 20000);
  StreamEngine engine(port, "s3cret");
  std::vector<std::string> errors;
  AsioRuntime runtime(io, {{"lo"}, core::Duration::Seconds(1)}, [&](const core::Action& a) {
    if (const auto* log = std::get_if<core::Log>(&a); log && log->level == core::LogLevel::kError) {
      errors.push_back(log->message);
    }
  });
  runtime.Start(engine);
  for (int i = 0; i < 300 && !engine.closed; ++i) io.run_for(std::chrono::milliseconds(10));
  runtime.Detach();

  EXPECT_TRUE(errors.empty()) << errors.front();
  EXPECT_TRUE(engine.connected);
  EXPECT_TRUE(engine.accepted.has_value());
  EXPECT_EQ(engine.server_data, "hello");
  EXPECT_EQ(engine.client_data, "bye");
  ASSERT_TRUE(engine.closed.has_value());
  EXPECT_EQ(engine.closed->stream.value, 7u);
  EXPECT_EQ(engine.closed->reason, core::StreamCloseReason::kPeerClosed);
}

// RFC 2385: a listener with a key drops unsigned and wrongly signed SYNs,
// so neither connect completes (the engine's own timers give up on them).
TEST(AsioRuntimeTest, Md5MismatchNeverConnects) {
  for (const std::optional<std::string>& key :
       {std::optional<std::string>("wrong"), std::optional<std::string>()}) {
    boost::asio::io_context io;
    const uint16_t port = static_cast<uint16_t>(30000 + (getpid() + 2) % 20000);
    StreamEngine engine(port, key);
    AsioRuntime runtime(io, {{"lo"}, core::Duration::Seconds(1)}, nullptr);
    runtime.Start(engine);
    io.run_for(std::chrono::milliseconds(300));
    runtime.Detach();
    EXPECT_FALSE(engine.connected) << key.value_or("(no key)");
    EXPECT_FALSE(engine.accepted.has_value()) << key.value_or("(no key)");
  }
}

TEST(FrameProtocolTest, SendsArpAndIpv6OnTheirSockets) {
  core::Bytes frame(60, 0);
  frame[12] = 0x08, frame[13] = 0x06;
  EXPECT_EQ(FrameProtocolOf(frame), FrameProtocol::kArp);
  frame[12] = 0x86, frame[13] = 0xdd;
  EXPECT_EQ(FrameProtocolOf(frame), FrameProtocol::kNdp);
  frame[12] = 0x08, frame[13] = 0x00;  // IPv4 is no frame of ours
  EXPECT_EQ(FrameProtocolOf(frame), std::nullopt);
  // 802.1Q: the EtherType after the tag decides.
  frame[12] = 0x81, frame[13] = 0x00, frame[16] = 0x86, frame[17] = 0xdd;
  EXPECT_EQ(FrameProtocolOf(frame), FrameProtocol::kNdp);
  EXPECT_EQ(FrameProtocolOf(core::Bytes(frame.begin(), frame.begin() + 16)), std::nullopt);
  EXPECT_EQ(FrameProtocolOf(core::Bytes(13, 0)), std::nullopt);
  EXPECT_EQ(FrameProtocolOf(core::Bytes{}), std::nullopt);
}

TEST(FrameProtocolTest, EthernetMulticastMacs) {
  auto mac = [](const char* ip) {
    auto parsed = core::IpAddr::Parse(ip);
    EXPECT_TRUE(parsed.ok()) << ip;
    if (!parsed) return std::string("unparsed");
    const auto m = EthernetMulticastMac(parsed.value());
    return m ? m->ToString() : std::string("none");
  };
  // RFC 2464 7; a solicited-node group keeps the low 24 bits of the VIP.
  EXPECT_EQ(mac("ff02::1:ff00:f0"), "33:33:ff:00:00:f0");
  EXPECT_EQ(mac("ff02::1:ffab:cdef"), "33:33:ff:ab:cd:ef");
  EXPECT_EQ(mac("ff02::1"), "33:33:00:00:00:01");
  // RFC 1112 6.4: the high bit of the second byte is not mapped.
  EXPECT_EQ(mac("224.0.0.251"), "01:00:5e:00:00:fb");
  EXPECT_EQ(mac("239.255.255.250"), "01:00:5e:7f:ff:fa");
  EXPECT_EQ(mac("fd00:10::f0"), "none");
  EXPECT_EQ(mac("10.0.0.1"), "none");
}

// Frames this test sends on the loopback carry its own source MAC and a tag
// byte, so that anything else on the machine's loopback is ignored.
class LoopbackFrames {
 public:
  LoopbackFrames()
      : source_({0x02, 0x76, 0x63, static_cast<uint8_t>(getpid() >> 16),
                 static_cast<uint8_t>(getpid() >> 8), static_cast<uint8_t>(getpid())}) {}

  static constexpr size_t kTagOffset = 14 + 40 + 8;  // inside the ICMPv6 body

  // Ethernet + a 40-byte IPv6 header (unspecified addresses, which the
  // kernel's own stack drops) + a 24-byte ICMPv6 message.
  core::Bytes Ipv6(const core::MacAddr& dst, uint8_t next_header, uint8_t icmp_type,
                   uint8_t tag) const {
    core::Bytes f(14 + 40 + 24, 0);
    std::copy(dst.bytes().begin(), dst.bytes().end(), f.begin());
    std::copy(source_.bytes().begin(), source_.bytes().end(), f.begin() + 6);
    f[12] = 0x86, f[13] = 0xdd;
    f[14] = 0x60;  // version 6
    f[19] = 24;    // payload length
    f[20] = next_header;
    f[21] = 255;  // hop limit
    f[54] = icmp_type;
    f[kTagOffset] = tag;
    return f;
  }
  core::Bytes Arp(uint8_t tag) const {
    core::Bytes f(kTagOffset + 2, 0);  // ARP, then Ethernet padding that holds the tag
    std::fill(f.begin(), f.begin() + 6, 0xff);
    std::copy(source_.bytes().begin(), source_.bytes().end(), f.begin() + 6);
    f[12] = 0x08, f[13] = 0x06;
    f[kTagOffset] = tag;
    return f;
  }
  // The tag of a frame this test sent, or nullopt.
  std::optional<uint8_t> TagOf(const core::Bytes& frame) const {
    if (frame.size() <= kTagOffset) return std::nullopt;
    if (!std::equal(source_.bytes().begin(), source_.bytes().end(), frame.begin() + 6)) {
      return std::nullopt;
    }
    return frame[kTagOffset];
  }

 private:
  core::MacAddr source_;
};

// Opens `socket`, or returns the reason to skip (no CAP_NET_RAW).
std::optional<std::string> OpenOrSkip(RawFrameSocket& socket) {
  const std::string error = socket.Open();
  if (error.empty()) return std::nullopt;
  if (error.find(std::strerror(EPERM)) != std::string::npos) return error;
  ADD_FAILURE() << error;
  return error;
}

TEST(RawFrameSocketTest, NdpSocketPassesOnlySolicitationsAndAdvertisements) {
  boost::asio::io_context io;
  const int lo = static_cast<int>(if_nametoindex("lo"));
  ASSERT_GT(lo, 0);
  LoopbackFrames frames;
  std::set<uint8_t> ndp_tags, arp_tags;
  auto collect = [&](std::set<uint8_t>& into) {
    return [&frames, &into](const std::string& interface, core::Bytes frame) {
      EXPECT_EQ(interface, "lo");
      if (auto tag = frames.TagOf(frame)) into.insert(*tag);
    };
  };
  RawFrameSocket ndp(io, "lo", lo, FrameProtocol::kNdp, collect(ndp_tags));
  RawFrameSocket arp(io, "lo", lo, FrameProtocol::kArp, collect(arp_tags));
  if (auto skip = OpenOrSkip(ndp)) GTEST_SKIP() << *skip;
  ASSERT_EQ(arp.Open(), "");

  const core::MacAddr group({0x33, 0x33, 0xff, 0x00, 0x00, 0xf0});
  const core::MacAddr stranger({0x02, 0x00, 0x00, 0x00, 0x00, 0x01});
  // Rejected: an echo request; UDP whose byte at the ICMPv6 type offset
  // says 135; a solicitation to another host's MAC (PACKET_OTHERHOST).
  EXPECT_TRUE(ndp.Send(frames.Ipv6(group, 58, 128, 1)));
  EXPECT_TRUE(ndp.Send(frames.Ipv6(group, 17, 135, 2)));
  EXPECT_TRUE(ndp.Send(frames.Ipv6(stranger, 58, 135, 3)));
  EXPECT_TRUE(arp.Send(frames.Arp(4)));  // the ARP socket's, not the NDP socket's
  EXPECT_TRUE(ndp.Send(frames.Ipv6(group, 58, 136, 5)));
  EXPECT_TRUE(ndp.Send(frames.Ipv6(group, 58, 135, 6)));
  EXPECT_EQ(ndp.sent(), 5u);
  EXPECT_EQ(arp.sent(), 1u);
  // Bounded: until the last frame of each socket is in.
  for (int i = 0; i < 200 && !(ndp_tags.count(6) && arp_tags.count(4)); ++i) {
    io.run_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(ndp_tags, (std::set<uint8_t>{5, 6}));
  EXPECT_EQ(arp_tags, (std::set<uint8_t>{4}));
}

// The users of `mac` on `interface` in /proc/net/dev_mcast (0: absent).
int DeviceMulticastUsers(const std::string& interface, const core::MacAddr& mac) {
  std::string hex = mac.ToString();
  hex.erase(std::remove(hex.begin(), hex.end(), ':'), hex.end());
  std::ifstream in("/proc/net/dev_mcast");
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    int index = 0, users = 0, global = 0;
    std::string name, address;
    if (fields >> index >> name >> users >> global >> address && name == interface &&
        address == hex) {
      return users;
    }
  }
  return 0;
}

TEST(RawFrameSocketTest, MulticastMembershipsFollowJoinLeaveAndClose) {
  boost::asio::io_context io;
  const int lo = static_cast<int>(if_nametoindex("lo"));
  ASSERT_GT(lo, 0);
  // A solicited-node MAC no one else on this machine uses.
  const core::MacAddr mac({0x33, 0x33, 0xff, static_cast<uint8_t>(getpid() >> 16),
                           static_cast<uint8_t>(getpid() >> 8), static_cast<uint8_t>(getpid())});
  auto socket = std::make_unique<RawFrameSocket>(io, "lo", lo, FrameProtocol::kNdp,
                                                 [](const std::string&, core::Bytes) {});
  if (auto skip = OpenOrSkip(*socket)) GTEST_SKIP() << *skip;
  ASSERT_EQ(DeviceMulticastUsers("lo", mac), 0);

  EXPECT_EQ(socket->JoinLinkMulticast(mac), "");
  EXPECT_EQ(DeviceMulticastUsers("lo", mac), 1);
  // The kernel counts a socket's joins of one address; the device keeps
  // one entry until the last leave.
  EXPECT_EQ(socket->JoinLinkMulticast(mac), "");
  EXPECT_EQ(socket->LeaveLinkMulticast(mac), "");
  EXPECT_EQ(DeviceMulticastUsers("lo", mac), 1);
  EXPECT_EQ(socket->LeaveLinkMulticast(mac), "");
  EXPECT_EQ(DeviceMulticastUsers("lo", mac), 0);
  // The kernel ignores a leave of what is not held (packet_mc_drop).
  EXPECT_EQ(socket->LeaveLinkMulticast(mac), "");
  EXPECT_EQ(DeviceMulticastUsers("lo", mac), 0);

  // A closing socket (a killed speaker) leaves nothing behind.
  EXPECT_EQ(socket->JoinLinkMulticast(mac), "");
  EXPECT_EQ(DeviceMulticastUsers("lo", mac), 1);
  socket.reset();
  EXPECT_EQ(DeviceMulticastUsers("lo", mac), 0);

  RawFrameSocket closed(io, "lo", lo, FrameProtocol::kNdp, [](const std::string&, core::Bytes) {});
  EXPECT_EQ(closed.JoinLinkMulticast(mac), "socket not open");
}

// The users of IPv6 group `group` on `interface` in /proc/net/igmp6 (0:
// absent): joined at the IPv6 level, so the kernel speaks MLD for it.
int Ipv6GroupUsers(const std::string& interface, const core::Ipv6Addr& group) {
  std::string hex;
  for (uint8_t b : group.bytes()) {
    static constexpr char kDigits[] = "0123456789abcdef";
    hex += kDigits[b >> 4];
    hex += kDigits[b & 0xf];
  }
  std::ifstream in("/proc/net/igmp6");
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    int index = 0, users = 0;
    std::string name, address;
    if (fields >> index >> name >> address >> users && name == interface && address == hex) {
      return users;
    }
  }
  return 0;
}

TEST(RawFrameSocketTest, Ipv6GroupsFollowJoinLeaveAndClose) {
  boost::asio::io_context io;
  const int lo = static_cast<int>(if_nametoindex("lo"));
  ASSERT_GT(lo, 0);
  // A solicited-node group no one else on this machine uses.
  const uint32_t low = static_cast<uint32_t>(getpid()) & 0xffffff;
  const core::Ipv6Addr group(std::array<uint8_t, 16>{
      0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff, static_cast<uint8_t>(low >> 16),
      static_cast<uint8_t>(low >> 8), static_cast<uint8_t>(low)});
  auto socket = std::make_unique<RawFrameSocket>(io, "lo", lo, FrameProtocol::kNdp,
                                                 [](const std::string&, core::Bytes) {});
  if (auto skip = OpenOrSkip(*socket)) GTEST_SKIP() << *skip;
  ASSERT_EQ(Ipv6GroupUsers("lo", group), 0);

  EXPECT_EQ(socket->JoinIpv6Group(group), "");
  EXPECT_EQ(Ipv6GroupUsers("lo", group), 1);
  EXPECT_NE(socket->JoinIpv6Group(group), "");  // one socket joins a group once (EADDRINUSE)
  EXPECT_EQ(socket->LeaveIpv6Group(group), "");
  EXPECT_EQ(Ipv6GroupUsers("lo", group), 0);
  EXPECT_NE(socket->LeaveIpv6Group(group), "");  // not joined

  EXPECT_EQ(socket->JoinIpv6Group(group), "");
  EXPECT_EQ(Ipv6GroupUsers("lo", group), 1);
  socket.reset();
  EXPECT_EQ(Ipv6GroupUsers("lo", group), 0);

  // ARP sockets hold no IPv6 groups.
  RawFrameSocket arp(io, "lo", lo, FrameProtocol::kArp, [](const std::string&, core::Bytes) {});
  ASSERT_EQ(arp.Open(), "");
  EXPECT_EQ(arp.JoinIpv6Group(group), "not an NDP socket");
}

// Engine that only counts InterfacesChanged.
class InterfaceCountingEngine final : public core::Engine {
 public:
  void Handle(core::TimePoint, const core::Input& input, core::Outbox&) override {
    reports += std::holds_alternative<core::InterfacesChanged>(input);
  }
  void Advance(core::TimePoint, core::Outbox&) override {}
  core::TimePoint NextDeadline() const override { return core::TimePoint::Never(); }
  int reports = 0;
};

// The value of `key` in the first Log action named `message`, if any.
std::optional<std::string> LogField(const std::vector<core::Log>& logs, std::string_view message,
                                    std::string_view key) {
  for (const core::Log& log : logs) {
    if (log.message != message) continue;
    for (const auto& [k, v] : log.fields) {
      if (k == key) return v;
    }
  }
  return std::nullopt;
}

TEST(AsioRuntimeTest, InterfaceChangesComeFromNetlinkOrThePoll) {
  for (const bool netlink : {true, false}) {
    SCOPED_TRACE(netlink ? "netlink" : "poll");
    boost::asio::io_context io;
    std::vector<core::Log> logs;
    AsioRuntimeOptions options;
    options.interfaces = {"lo"};
    options.netlink = netlink;
    AsioRuntime runtime(io, options, [&](const core::Action& a) {
      if (const auto* log = std::get_if<core::Log>(&a)) logs.push_back(*log);
    });
    InterfaceCountingEngine engine;
    runtime.Start(engine);
    EXPECT_EQ(engine.reports, 1);
    EXPECT_EQ(LogField(logs, "interfaces", "trigger"), "start");
    const auto mode = LogField(logs, "runtime started", "interface_changes");
    ASSERT_TRUE(mode.has_value());
    if (netlink && *mode == "poll") {
      // The socket could not be opened here: said once, with the reason.
      EXPECT_TRUE(LogField(logs,
                           std::string_view("no netlink notifications: interfaces are "
                                            "polled, a link change is seen up to one "
                                            "poll late"),
                           "error")
                      .has_value());
      EXPECT_FALSE(runtime.netlink_active());
      continue;
    }
    EXPECT_EQ(*mode, netlink ? "netlink" : "poll");
    EXPECT_EQ(runtime.netlink_active(), netlink);
    runtime.Detach();
    EXPECT_FALSE(runtime.netlink_active());
  }
}

TEST(InterfacesTest, ExcludesMetallbNames) {
  for (const char* name :
       {"lo", "docker0", "veth1234", "cali9", "kube-ipvs0", "flannel.1", "cni0", "lxcbr0"}) {
    EXPECT_TRUE(IsExcludedInterfaceName(name)) << name;
  }
  for (const char* name : {"eth0", "ens3", "bond0", "br-lan", "enp0s31f6"}) {
    EXPECT_FALSE(IsExcludedInterfaceName(name)) << name;
  }
  // Never lists the loopback, whatever the machine has.
  for (const LinkInfo& link : ListInterfaces({})) EXPECT_NE(link.info.name, "lo");
}

}  // namespace
}  // namespace vipcast::prod
