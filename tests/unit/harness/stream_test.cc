// The harness's in-process byte streams (tests/harness/stream_model.h).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/harness/harness.h"
#include "tests/unit/harness/test_engines.h"

namespace vipcast::harness {
namespace {

using core::Duration;
using core::StreamCloseReason;
using core::StreamId;
using core::TimePoint;
using testing::ScriptedEngine;
using testing::StreamEngine;
using testing::ToBytes;
using testing::ToText;

core::IpAddr Ip(std::string_view text) { return core::IpAddr::Parse(text).value(); }
core::Endpoint Ep(std::string_view ip, uint16_t port) { return core::Endpoint{Ip(ip), port}; }
TimePoint At(Duration d) { return TimePoint::Epoch() + d; }
Duration Ms(int64_t n) { return Duration::Milliseconds(n); }

NodeSpec Host(int host, std::string segment = "lan", int subnet = 0) {
  return NodeSpec{
      "node-" + std::to_string(host),
      {InterfaceSpec{"eth0",
                     core::MacAddr({0x02, 0, 0, 0, 0, static_cast<uint8_t>(host)}),
                     {Ip("10.0." + std::to_string(subnet) + "." + std::to_string(host))},
                     std::move(segment)}}};
}

core::Connect ConnectTo(uint64_t stream, core::Endpoint remote) {
  core::Connect c;
  c.stream = StreamId{stream};
  c.remote = remote;
  return c;
}

core::Listen ListenOn(core::Endpoint local) {
  core::Listen l;
  l.local = local;
  return l;
}

// A client (node-1) and a server (node-2) on one segment with a 1 ms link.
struct Pair {
  explicit Pair(HarnessOptions options = {}) : h(options) {
    a = h.AddNode(Host(1));
    b = h.AddNode(Host(2));
  }
  void Start() {
    h.Start(a, &client);
    h.Start(b, &server);
  }
  Harness h;
  NodeId a, b;
  ScriptedEngine client, server;
};

std::string Payload(size_t n) {
  std::string out;
  core::Rng rng(n);
  for (size_t i = 0; i < n; ++i) out.push_back(static_cast<char>('a' + rng.Uniform(26)));
  return out;
}

TEST(StreamTest, ConnectYieldsConnectedThenAcceptedEachWithTheWholeWindow) {
  Pair p;
  p.server.At(At(Ms(0)), ListenOn(Ep("10.0.0.2", 179)));
  p.client.At(At(Ms(10)), ConnectTo(1, Ep("10.0.0.2", 179)));
  p.Start();
  p.h.RunFor(Ms(100));

  auto connected = p.client.Received<core::StreamConnected>();
  ASSERT_EQ(connected.size(), 1u);
  EXPECT_EQ(connected[0].first, At(Ms(12))) << "SYN and SYN-ACK: two link delays";
  EXPECT_EQ(connected[0].second.stream, StreamId{1});
  EXPECT_EQ(connected[0].second.local, Ep("10.0.0.1", 49152)) << "first ephemeral port";
  EXPECT_EQ(connected[0].second.remote, Ep("10.0.0.2", 179));
  auto client_writable = p.client.Received<core::StreamWritable>();
  ASSERT_EQ(client_writable.size(), 1u);
  EXPECT_EQ(client_writable[0].first, At(Ms(12)));
  EXPECT_EQ(client_writable[0].second.capacity, 64u * 1024);

  auto accepted = p.server.Received<core::StreamAccepted>();
  ASSERT_EQ(accepted.size(), 1u);
  EXPECT_EQ(accepted[0].first, At(Ms(13))) << "the final ACK: three link delays";
  EXPECT_EQ(accepted[0].second.stream.value, StreamId::kAcceptedBit | 1);
  EXPECT_EQ(accepted[0].second.local, Ep("10.0.0.2", 179));
  EXPECT_EQ(accepted[0].second.remote, Ep("10.0.0.1", 49152));
  auto server_writable = p.server.Received<core::StreamWritable>();
  ASSERT_EQ(server_writable.size(), 1u);
  EXPECT_EQ(server_writable[0].second.stream, accepted[0].second.stream);
  EXPECT_EQ(p.h.open_streams(), 1u);
  EXPECT_TRUE(p.h.violations().empty());
}

TEST(StreamTest, ConnectHonoursABoundLocalEndpointAndWildcardListeners) {
  Pair p;
  p.server.At(At(Ms(0)), ListenOn(Ep("0.0.0.0", 179)));
  p.server.At(At(Ms(0)), ListenOn(Ep("::", 180)));
  core::Connect bound = ConnectTo(1, Ep("10.0.0.2", 179));
  bound.local = Ep("10.0.0.1", 179);
  p.client.At(At(Ms(10)), bound);
  p.client.At(At(Ms(10)), ConnectTo(2, Ep("10.0.0.2", 180)));
  p.Start();
  p.h.RunFor(Ms(100));
  auto connected = p.client.Received<core::StreamConnected>();
  ASSERT_EQ(connected.size(), 1u);
  EXPECT_EQ(connected[0].second.local, Ep("10.0.0.1", 179));
  auto closed = p.client.Received<core::StreamClosed>();
  ASSERT_EQ(closed.size(), 1u) << "an IPv6 wildcard does not take IPv4 connections";
  EXPECT_EQ(closed[0].second.stream, StreamId{2});
  EXPECT_EQ(closed[0].second.reason, StreamCloseReason::kConnectFailed);
}

TEST(StreamTest, ConnectToNothingFails) {
  Pair p;
  p.client.At(At(Ms(10)), ConnectTo(1, Ep("10.0.0.2", 179)));  // nobody listens
  p.client.At(At(Ms(10)), ConnectTo(2, Ep("10.9.9.9", 179)));  // nobody holds it
  p.Start();
  p.h.RunFor(Ms(100));
  auto closed = p.client.Received<core::StreamClosed>();
  ASSERT_EQ(closed.size(), 2u);
  EXPECT_EQ(closed[0].first, At(Ms(11)));
  EXPECT_EQ(closed[0].second.stream, StreamId{2});
  EXPECT_EQ(closed[0].second.reason, StreamCloseReason::kConnectFailed);
  EXPECT_EQ(closed[0].second.detail, "no route to host");
  EXPECT_EQ(closed[1].first, At(Ms(12))) << "RST answers the SYN after a round trip";
  EXPECT_EQ(closed[1].second.stream, StreamId{1});
  EXPECT_EQ(closed[1].second.reason, StreamCloseReason::kConnectFailed);
  EXPECT_EQ(closed[1].second.detail, "connection refused");
  EXPECT_TRUE(p.client.Received<core::StreamConnected>().empty());
  EXPECT_EQ(p.h.open_streams(), 0u);
}

TEST(StreamTest, StopListeningRefusesLaterConnects) {
  Pair p;
  p.server.At(At(Ms(0)), ListenOn(Ep("10.0.0.2", 179)));
  p.server.At(At(Ms(20)), core::StopListening{core::Transport::kTcp, Ep("10.0.0.2", 179)});
  p.client.At(At(Ms(10)), ConnectTo(1, Ep("10.0.0.2", 179)));
  p.client.At(At(Ms(30)), ConnectTo(2, Ep("10.0.0.2", 179)));
  p.Start();
  p.h.RunFor(Ms(100));
  EXPECT_EQ(p.client.Received<core::StreamConnected>().size(), 1u);
  ASSERT_EQ(p.client.Received<core::StreamClosed>().size(), 1u);
  EXPECT_EQ(p.client.Received<core::StreamClosed>()[0].second.stream, StreamId{2});
}

// The core promise: whatever the jitter and however writes are cut up, the
// receiver sees exactly the bytes written, in order.
TEST(StreamTest, BytesArriveInOrderAcrossRandomSplits) {
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    Harness h({.seed = seed});
    h.SetLinkModel("lan", LinkModel{.delay = Ms(1), .jitter = Ms(5), .loss = 0.3});
    NodeId a = h.AddNode(Host(1));
    NodeId b = h.AddNode(Host(2));
    StreamEngine client, server;
    server.ListenOn(Ep("10.0.0.2", 179));
    const std::string payload = Payload(150 * 1000);  // a few windows' worth
    client.SendAt(At(Ms(5)), ConnectTo(1, Ep("10.0.0.2", 179)), payload);
    client.set_max_write(1500);
    h.Start(a, &client);
    h.Start(b, &server);
    h.RunFor(Duration::Seconds(30));

    ASSERT_EQ(server.peers().size(), 1u);
    const auto& received = server.peers().begin()->second;
    EXPECT_EQ(received.received.size(), payload.size()) << "seed " << seed;
    EXPECT_TRUE(received.received == payload) << "seed " << seed << ": bytes reordered or lost";
    EXPECT_GT(received.writes_received, client.writes()) << "writes were split";
    EXPECT_TRUE(h.violations().empty()) << h.violations().front();
    for (size_t capacity : client.writable()) EXPECT_LE(capacity, 64u * 1024);
  }
}

TEST(StreamTest, SplittingCanBeTurnedOff) {
  Harness h({.streams = {.split_writes = false}});
  NodeId a = h.AddNode(Host(1));
  NodeId b = h.AddNode(Host(2));
  StreamEngine client, server;
  server.ListenOn(Ep("10.0.0.2", 179));
  client.SendAt(At(Ms(5)), ConnectTo(1, Ep("10.0.0.2", 179)), Payload(10000));
  h.Start(a, &client);
  h.Start(b, &server);
  h.RunFor(Duration::Seconds(1));
  ASSERT_EQ(server.peers().size(), 1u);
  EXPECT_EQ(server.peers().begin()->second.writes_received, client.writes());
}

TEST(StreamTest, BothDirectionsCarryData) {
  Pair p;
  p.server.At(At(Ms(0)), ListenOn(Ep("10.0.0.2", 179)));
  // At one instant the client (node 0) runs before the server: connect later.
  p.client.At(At(Ms(1)), ConnectTo(1, Ep("10.0.0.2", 179)));
  p.client.At(At(Ms(10)), core::WriteStream{StreamId{1}, ToBytes("OPEN")});
  p.server.At(At(Ms(10)),
              core::WriteStream{StreamId{StreamId::kAcceptedBit | 1}, ToBytes("OPEN-REPLY")});
  p.Start();
  p.h.RunFor(Ms(100));
  std::string at_server, at_client;
  for (const auto& [t, d] : p.server.Received<core::StreamData>()) at_server += ToText(d.data);
  for (const auto& [t, d] : p.client.Received<core::StreamData>()) at_client += ToText(d.data);
  EXPECT_EQ(at_server, "OPEN");
  EXPECT_EQ(at_client, "OPEN-REPLY");
  ASSERT_FALSE(p.server.Received<core::StreamData>().empty());
  EXPECT_EQ(p.server.Received<core::StreamData>().front().first, At(Ms(11)));
}

TEST(StreamTest, CapacityShrinksWithWritesAndReturnsAsBytesArrive) {
  Harness h({.streams = {.window = 1000}});
  h.SetLinkModel("lan", LinkModel{.delay = Ms(10)});
  NodeId a = h.AddNode(Host(1));
  NodeId b = h.AddNode(Host(2));
  StreamEngine client, server;
  server.ListenOn(Ep("10.0.0.2", 179));
  client.set_max_write(400);
  const std::string payload = Payload(5000);
  client.SendAt(At(Ms(1)), ConnectTo(1, Ep("10.0.0.2", 179)), payload);
  h.Start(a, &client);
  h.Start(b, &server);
  h.RunFor(Duration::Seconds(2));
  ASSERT_GE(client.writable().size(), 3u);
  EXPECT_EQ(client.writable()[0], 1000u) << "after connect: the whole window";
  EXPECT_EQ(client.writable()[1], 0u) << "400 + 400 + 200 written at once";
  for (size_t c : client.writable()) EXPECT_LE(c, 1000u);
  ASSERT_EQ(server.peers().size(), 1u);
  EXPECT_TRUE(server.peers().begin()->second.received == payload);
  EXPECT_TRUE(h.violations().empty());
}

TEST(StreamTest, WritingPastTheCapacityIsAContractViolation) {
  Pair p({.streams = {.window = 100}});
  p.server.At(At(Ms(0)), ListenOn(Ep("10.0.0.2", 179)));
  p.client.At(At(Ms(1)), ConnectTo(1, Ep("10.0.0.2", 179)));
  p.client.At(At(Ms(10)), core::WriteStream{StreamId{1}, core::Bytes(150, 'x')});
  p.Start();
  p.h.RunFor(Ms(100));
  ASSERT_EQ(p.h.violations().size(), 1u);
  EXPECT_EQ(p.h.violations()[0],
            "node-1: WriteStream of 150 bytes on stream #1 exceeds its capacity of 100");
  // The bytes still go through: the harness reports, it does not enforce.
  size_t received = 0;
  for (const auto& [t, d] : p.server.Received<core::StreamData>()) received += d.data.size();
  EXPECT_EQ(received, 150u);
}

TEST(StreamTest, CloseDeliversFinAfterTheDataAndAbortDeliversReset) {
  Pair p;
  p.server.At(At(Ms(0)), ListenOn(Ep("10.0.0.2", 179)));
  p.client.At(At(Ms(1)), ConnectTo(1, Ep("10.0.0.2", 179)));
  p.client.At(At(Ms(1)), ConnectTo(2, Ep("10.0.0.2", 179)));
  p.client.At(At(Ms(10)), core::WriteStream{StreamId{1}, ToBytes("last words")});
  p.client.At(At(Ms(10)), core::CloseStream{StreamId{1}, false});
  p.client.At(At(Ms(20)), core::CloseStream{StreamId{2}, true});
  p.client.At(At(Ms(30)), core::CloseStream{StreamId{2}, true});  // twice: harmless
  p.Start();
  p.h.RunFor(Ms(100));
  auto data = p.server.Received<core::StreamData>();
  std::string text;
  for (const auto& [t, d] : data) text += ToText(d.data);
  EXPECT_EQ(text, "last words");
  auto closed = p.server.Received<core::StreamClosed>();
  ASSERT_EQ(closed.size(), 2u);
  EXPECT_EQ(closed[0].second.stream.value, StreamId::kAcceptedBit | 1);
  EXPECT_EQ(closed[0].second.reason, StreamCloseReason::kPeerClosed);
  EXPECT_GE(closed[0].first, data.back().first) << "FIN never overtakes data";
  EXPECT_EQ(closed[1].second.stream.value, StreamId::kAcceptedBit | 2);
  EXPECT_EQ(closed[1].second.reason, StreamCloseReason::kReset);
  EXPECT_TRUE(p.client.Received<core::StreamClosed>().empty()) << "the closer is not told";
  EXPECT_EQ(p.h.open_streams(), 0u);
  EXPECT_TRUE(p.h.violations().empty());
}

TEST(StreamTest, WritingToAClosedStreamIsAContractViolation) {
  Pair p;
  p.server.At(At(Ms(0)), ListenOn(Ep("10.0.0.2", 179)));
  p.client.At(At(Ms(1)), ConnectTo(1, Ep("10.0.0.2", 179)));
  p.client.At(At(Ms(10)), core::CloseStream{StreamId{1}, false});
  p.client.At(At(Ms(20)), core::WriteStream{StreamId{1}, ToBytes("too late")});
  p.server.At(At(Ms(30)), core::WriteStream{StreamId{StreamId::kAcceptedBit | 1}, ToBytes("x")});
  p.Start();
  p.h.RunFor(Ms(100));
  EXPECT_EQ(p.h.violations(), (std::vector<std::string>{
                                  "node-1: WriteStream on unknown or closed stream #1",
                                  "node-2: WriteStream on unknown or closed stream accepted#1",
                              }));
}

TEST(StreamTest, ReusingAnOpenStreamIdIsAContractViolation) {
  Pair p;
  p.server.At(At(Ms(0)), ListenOn(Ep("10.0.0.2", 179)));
  p.client.At(At(Ms(1)), ConnectTo(1, Ep("10.0.0.2", 179)));
  p.client.At(At(Ms(10)), ConnectTo(1, Ep("10.0.0.2", 179)));
  p.client.At(At(Ms(20)), core::CloseStream{StreamId{1}, false});
  p.client.At(At(Ms(30)), ConnectTo(1, Ep("10.0.0.2", 179)));  // fine once closed
  p.Start();
  p.h.RunFor(Ms(100));
  EXPECT_EQ(p.h.violations(), (std::vector<std::string>{"node-1: Connect reuses open stream #1"}));
  EXPECT_EQ(p.client.Received<core::StreamConnected>().size(), 2u);
}

TEST(StreamTest, APartitionStallsTheStreamAndHealDeliversInOrder) {
  Pair p;
  p.server.At(At(Ms(0)), ListenOn(Ep("10.0.0.2", 179)));
  p.client.At(At(Ms(1)), ConnectTo(1, Ep("10.0.0.2", 179)));
  p.client.At(At(Ms(10)), core::WriteStream{StreamId{1}, ToBytes("a")});
  p.client.At(At(Ms(100)), core::WriteStream{StreamId{1}, ToBytes("b")});
  p.client.At(At(Ms(200)), core::WriteStream{StreamId{1}, ToBytes("c")});
  p.client.At(At(Ms(5000)), core::WriteStream{StreamId{1}, ToBytes("d")});
  p.Start();
  p.h.RunUntil(At(Ms(50)));
  p.h.Partition({{p.a}, {p.b}});
  p.h.RunUntil(At(Ms(3000)));
  std::string text;
  for (const auto& [t, d] : p.server.Received<core::StreamData>()) text += ToText(d.data);
  EXPECT_EQ(text, "a");
  p.h.Heal();
  p.h.RunUntil(At(Ms(4000)));
  auto data = p.server.Received<core::StreamData>();
  text.clear();
  for (const auto& [t, d] : data) text += ToText(d.data);
  EXPECT_EQ(text, "abc") << "nothing lost: TCP retransmits once the path is back";
  EXPECT_EQ(data.back().first, At(Ms(3001))) << "one link delay after the heal";
  p.h.RunUntil(At(Ms(6000)));
  text.clear();
  for (const auto& [t, d] : p.server.Received<core::StreamData>()) text += ToText(d.data);
  EXPECT_EQ(text, "abcd");
  EXPECT_TRUE(p.client.Received<core::StreamClosed>().empty()) << "streams survive outages";
}

TEST(StreamTest, ConnectAcrossAPartitionTimesOut) {
  Pair p({.streams = {.connect_timeout = Duration::Seconds(3)}});
  p.server.At(At(Ms(0)), ListenOn(Ep("10.0.0.2", 179)));
  p.client.At(At(Ms(10)), ConnectTo(1, Ep("10.0.0.2", 179)));
  p.Start();
  p.h.Partition({{p.a}});
  p.h.RunFor(Duration::Seconds(5));
  auto closed = p.client.Received<core::StreamClosed>();
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0].first, At(Ms(3010)));
  EXPECT_EQ(closed[0].second.reason, StreamCloseReason::kTimedOut);
}

TEST(StreamTest, TcpMd5KeysMustMatchOrTheConnectTimesOut) {
  Pair p;
  p.server.At(
      At(Ms(0)),
      core::Listen{core::Transport::kTcp, Ep("10.0.0.2", 179), {{Ip("10.0.0.1"), "s3cret"}}, 0});
  core::Connect none = ConnectTo(1, Ep("10.0.0.2", 179));
  core::Connect wrong = ConnectTo(2, Ep("10.0.0.2", 179));
  wrong.md5_key = "guess";
  core::Connect right = ConnectTo(3, Ep("10.0.0.2", 179));
  right.md5_key = "s3cret";
  p.client.At(At(Ms(1)), none);
  p.client.At(At(Ms(1)), wrong);
  p.client.At(At(Ms(1)), right);
  p.Start();
  p.h.RunFor(Duration::Seconds(10));
  auto connected = p.client.Received<core::StreamConnected>();
  ASSERT_EQ(connected.size(), 1u);
  EXPECT_EQ(connected[0].second.stream, StreamId{3});
  auto closed = p.client.Received<core::StreamClosed>();
  ASSERT_EQ(closed.size(), 2u);
  for (const auto& [t, c] : closed) {
    EXPECT_EQ(t, At(Ms(5001)));
    EXPECT_EQ(c.reason, StreamCloseReason::kTimedOut);
    EXPECT_EQ(c.detail, "no answer (TCP-MD5)");
  }
}

TEST(StreamTest, GtsmRejectsPeersBeyondOneHop) {
  Harness h;
  NodeId server_node = h.AddNode(
      {"server",
       {{"eth0", core::MacAddr({2, 0, 0, 0, 0, 1}), {Ip("10.0.0.1"), Ip("10.0.1.1")}, "lan"}}});
  NodeId near = h.AddNode(Host(2, "lan"));
  NodeId far = h.AddNode(Host(3, "far", 9));
  ScriptedEngine server, near_client, far_client;
  server.At(At(Ms(0)), core::Listen{core::Transport::kTcp, Ep("0.0.0.0", 179), {}, 255});
  core::Connect c = ConnectTo(1, Ep("10.0.0.1", 179));
  c.ttl = 255;
  near_client.At(At(Ms(0)), c);
  far_client.At(At(Ms(0)), c);
  h.Start(server_node, &server);
  h.Start(near, &near_client);
  h.Start(far, &far_client);
  h.RunFor(Duration::Seconds(10));
  EXPECT_EQ(near_client.Received<core::StreamConnected>().size(), 1u);
  ASSERT_EQ(far_client.Received<core::StreamClosed>().size(), 1u);
  EXPECT_EQ(far_client.Received<core::StreamClosed>()[0].second.detail, "no answer (GTSM)");
}

TEST(StreamTest, ACrashedPeerIsSilentUntilItRestartsThenResets) {
  Pair p;
  p.server.At(At(Ms(0)), ListenOn(Ep("10.0.0.2", 179)));
  p.client.At(At(Ms(1)), ConnectTo(1, Ep("10.0.0.2", 179)));
  p.client.At(At(Ms(100)), core::WriteStream{StreamId{1}, ToBytes("into the void")});
  p.client.At(At(Ms(300)), core::WriteStream{StreamId{1}, ToBytes("hello again")});
  p.Start();
  p.h.RunUntil(At(Ms(50)));
  p.h.Crash(p.b);
  p.h.RunUntil(At(Ms(200)));
  EXPECT_TRUE(p.client.Received<core::StreamClosed>().empty()) << "nobody tells a peer of a crash";
  ScriptedEngine restarted;
  p.h.Start(p.b, &restarted);
  p.h.RunUntil(At(Ms(400)));
  auto closed = p.client.Received<core::StreamClosed>();
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0].first, At(Ms(302)));
  EXPECT_EQ(closed[0].second.reason, StreamCloseReason::kReset);
  EXPECT_TRUE(restarted.Received<core::StreamData>().empty());
  EXPECT_EQ(p.h.open_streams(), 0u);
}

TEST(StreamTest, ConnectToACrashedHostTimesOut) {
  Pair p;
  p.server.At(At(Ms(0)), ListenOn(Ep("10.0.0.2", 179)));
  p.client.At(At(Ms(10)), ConnectTo(1, Ep("10.0.0.2", 179)));  // handshake under way
  p.client.At(At(Ms(20)), ConnectTo(2, Ep("10.0.0.2", 179)));  // host already down
  p.Start();
  p.h.RunUntil(At(Ms(11)));
  p.h.Crash(p.b);
  p.h.RunFor(Duration::Seconds(10));
  auto closed = p.client.Received<core::StreamClosed>();
  ASSERT_EQ(closed.size(), 2u);
  EXPECT_EQ(closed[0].second.stream, StreamId{1});
  EXPECT_EQ(closed[0].first, At(Ms(5011)));
  EXPECT_EQ(closed[1].second.stream, StreamId{2});
  EXPECT_EQ(closed[1].first, At(Ms(5020)));
  for (const auto& [t, c] : closed) EXPECT_EQ(c.reason, StreamCloseReason::kTimedOut);
  EXPECT_TRUE(p.client.Received<core::StreamConnected>().empty());
}

TEST(StreamTest, AConnectorCrashingMidHandshakeLeavesNothingBehind) {
  Pair p;
  p.server.At(At(Ms(0)), ListenOn(Ep("10.0.0.2", 179)));
  p.client.At(At(Ms(1)), ConnectTo(1, Ep("10.0.0.2", 179)));
  p.Start();
  p.h.RunUntil(At(Ms(2)));
  EXPECT_EQ(p.h.open_streams(), 1u);
  p.h.Crash(p.a);
  p.h.RunFor(Duration::Seconds(10));
  EXPECT_TRUE(p.server.Received<core::StreamAccepted>().empty());
  EXPECT_EQ(p.h.open_streams(), 0u);
}

TEST(StreamTest, StreamRunsAreDeterministic) {
  auto run = [](uint64_t seed) {
    Harness h({.seed = seed});
    h.SetLinkModel("lan", LinkModel{.delay = Ms(1), .jitter = Ms(4)});
    NodeId a = h.AddNode(Host(1));
    NodeId b = h.AddNode(Host(2));
    StreamEngine client;
    ScriptedEngine server;
    server.At(At(Ms(0)), ListenOn(Ep("10.0.0.2", 179)));
    client.SendAt(At(Ms(1)), ConnectTo(1, Ep("10.0.0.2", 179)), Payload(20000), true);
    h.Start(a, &client);
    h.Start(b, &server);
    h.RunFor(Duration::Seconds(1));
    std::string log;
    for (const auto& [t, in] : server.inputs()) {
      log += t.ToString() + " " + std::to_string(in.index());
      if (const auto* d = std::get_if<core::StreamData>(&in)) log += " " + ToText(d->data);
      log += "\n";
    }
    return log;
  };
  EXPECT_EQ(run(5), run(5));
  EXPECT_NE(run(5), run(6));
}

}  // namespace
}  // namespace vipcast::harness
