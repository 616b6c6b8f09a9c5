// The engine contract: every input is an event in the past tense, every
// output an action (or observable fact) appended to an Outbox. Runtimes (the
// test harness, sim/ns3, prod/common) translate between these and real or
// simulated I/O and make no protocol decisions of their own.
#pragma once

#include <compare>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "engine/core/bytes.h"
#include "engine/core/ip.h"
#include "engine/core/mac.h"
#include "engine/core/time.h"

namespace vipcast::config {
// Defined in engine/config. Inputs carry immutable snapshots so that a
// runtime can hand the same state to many engines without copying.
struct ClusterConfig;  // metallb.io resources, Secrets, Namespaces
struct ServiceSet;     // Services and EndpointSlices
struct NodeSet;        // Nodes
}  // namespace vipcast::config

namespace vipcast::core {

struct Endpoint {
  IpAddr address;
  uint16_t port = 0;
  std::string ToString() const;  // "10.0.0.1:179", "[2001:db8::1]:179"
  auto operator<=>(const Endpoint&) const = default;
};

// Identifies one byte stream (a TCP connection) for the lifetime of an engine.
// Engines allocate ids for streams they open; runtimes allocate ids for
// accepted streams from a disjoint range (high bit set).
struct StreamId {
  uint64_t value = 0;
  static constexpr uint64_t kAcceptedBit = uint64_t{1} << 63;
  auto operator<=>(const StreamId&) const = default;
};

enum class Transport : uint8_t { kUdp, kTcp };

// A network interface as the runtime sees it.
struct InterfaceInfo {
  std::string name;
  MacAddr mac;
  std::vector<IpAddr> addresses;
  bool up = true;
  auto operator<=>(const InterfaceInfo&) const = default;
};

// ---------------------------------------------------------------- inputs

struct InterfacesChanged {
  std::vector<InterfaceInfo> interfaces;
};
// A whole Ethernet II frame (destination MAC first), possibly padded.
struct FrameReceived {
  std::string interface;
  Bytes frame;
};
struct DatagramReceived {
  Endpoint local;
  Endpoint remote;
  uint8_t ttl = 64;  // IPv4 TTL / IPv6 hop limit as received (RFC 5881 5 checks 255)
  Bytes payload;
  std::string interface;
};
struct StreamAccepted {
  StreamId stream;
  Endpoint local;
  Endpoint remote;
};
struct StreamConnected {
  StreamId stream;
  Endpoint local;
  Endpoint remote;
};
struct StreamData {
  StreamId stream;
  Bytes data;
};
// Pull model. `capacity` is absolute: the number of bytes the runtime can take
// now (not an increment). The runtime sends one after StreamConnected or
// StreamAccepted and again whenever capacity frees up; the engine writes at
// most `capacity` bytes in total until the next report. Closing a stream
// locally (CloseStream) produces no StreamClosed for the closing engine.
struct StreamWritable {
  StreamId stream;
  size_t capacity = 0;
};
enum class StreamCloseReason : uint8_t { kPeerClosed, kReset, kConnectFailed, kTimedOut, kLocal };
struct StreamClosed {
  StreamId stream;
  StreamCloseReason reason = StreamCloseReason::kPeerClosed;
  std::string detail;
};
struct ConfigApplied {
  std::shared_ptr<const config::ClusterConfig> config;
};
struct ServicesChanged {
  std::shared_ptr<const config::ServiceSet> services;
};
struct NodesChanged {
  std::shared_ptr<const config::NodeSet> nodes;
};
struct ShutdownRequested {};

using Input = std::variant<InterfacesChanged, FrameReceived, DatagramReceived, StreamAccepted,
                           StreamConnected, StreamData, StreamWritable, StreamClosed, ConfigApplied,
                           ServicesChanged, NodesChanged, ShutdownRequested>;

// ---------------------------------------------------------------- actions

struct SendFrame {
  std::string interface;
  Bytes frame;  // whole Ethernet II frame
};
struct SendDatagram {
  Endpoint local;
  Endpoint remote;
  uint8_t ttl = 64;
  Bytes payload;
  std::string interface;  // empty: routed by the runtime
};
// A Listen for an endpoint already listened on replaces that listener's
// options (keys, minimum TTL) without closing it or the streams it accepted
// (Linux: setsockopt TCP_MD5SIG / IP_MINTTL on the listening socket).
struct Listen {
  Transport transport = Transport::kTcp;
  Endpoint local;
  // RFC 2385 TCP-MD5 keys by peer address, installed on the listening socket.
  std::vector<std::pair<IpAddr, std::string>> md5_keys;
  uint8_t min_ttl = 0;  // RFC 5082 GTSM; 0 = off
};
struct StopListening {
  Transport transport = Transport::kTcp;
  Endpoint local;
};
struct Connect {
  StreamId stream;
  std::optional<Endpoint> local;  // bind address (sourceAddress), port 0 = any
  Endpoint remote;
  std::optional<std::string> md5_key;
  uint8_t ttl = 64;     // sent TTL (ebgpMultiHop raises it; GTSM sends 255)
  uint8_t min_ttl = 0;  // RFC 5082 GTSM
  std::string interface;
  std::string vrf;
};
struct WriteStream {
  StreamId stream;
  Bytes data;
};
struct CloseStream {
  StreamId stream;
  bool abort = false;  // RST instead of FIN
};
struct JoinMulticast {
  std::string interface;
  IpAddr group;
};
struct LeaveMulticast {
  std::string interface;
  IpAddr group;
};

// ---------------------------------------------------------------- facts

enum class AnnounceMode : uint8_t { kLayer2, kBgp };
struct VipAnnounced {
  IpAddr vip;
  std::string service;  // "namespace/name"
  AnnounceMode mode = AnnounceMode::kLayer2;
  std::string interface;
};
struct VipWithdrawn {
  IpAddr vip;
  std::string service;
  AnnounceMode mode = AnnounceMode::kLayer2;
  std::string reason;
};
struct SessionStateChanged {
  std::string protocol;  // "bgp", "bfd", "membership"
  std::string peer;
  std::string from;
  std::string to;
  std::string reason;
};
using Labels = std::vector<std::pair<std::string, std::string>>;
struct MetricChanged {
  std::string name;
  Labels labels;
  double value = 0;
};
enum class LogLevel : uint8_t { kDebug, kInfo, kWarning, kError };
struct Log {
  LogLevel level = LogLevel::kInfo;
  std::string message;
  Labels fields;
};

using Action = std::variant<SendFrame, SendDatagram, Listen, StopListening, Connect, WriteStream,
                            CloseStream, JoinMulticast, LeaveMulticast, VipAnnounced, VipWithdrawn,
                            SessionStateChanged, MetricChanged, Log>;

// Where an engine writes its actions. The runtime drains it after each call.
class Outbox {
 public:
  template <typename A>
  void Emit(A&& action) {
    actions_.emplace_back(std::forward<A>(action));
  }
  const std::vector<Action>& actions() const { return actions_; }
  std::vector<Action> Drain() { return std::exchange(actions_, {}); }
  bool empty() const { return actions_.empty(); }
  size_t size() const { return actions_.size(); }

 private:
  std::vector<Action> actions_;
};

// Every engine component that a runtime drives directly implements this.
// Invariant: calls arrive with non-decreasing `now`.
class Engine {
 public:
  virtual ~Engine() = default;
  virtual void Handle(TimePoint now, const Input& input, Outbox& out) = 0;
  // Runs every timer due at or before `now`.
  virtual void Advance(TimePoint now, Outbox& out) = 0;
  // The earliest time Advance has work to do; TimePoint::Never() if none.
  virtual TimePoint NextDeadline() const = 0;
};

}  // namespace vipcast::core
