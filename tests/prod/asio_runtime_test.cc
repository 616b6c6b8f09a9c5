// AsioRuntime on the loopback interface: the timer calls Advance at the
// engine's deadline, SendDatagram leaves with the engine's TTL and comes
// back as DatagramReceived carrying that TTL, the local address and the
// interface; a Connect to a closed port is answered with
// StreamClosed(kConnectFailed); a stream with TCP-MD5 on both sides carries
// bytes both ways and its close reaches the other side.
#include "prod/common/asio_runtime.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <variant>

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
