// An in-process model of reliable byte streams (TCP connections) between the
// engines of a harness: listen, connect, ordered delivery of written bytes,
// pull-model flow control, close and reset, with the link delay of the path.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "engine/core/io.h"
#include "engine/core/rng.h"
#include "engine/core/time.h"
#include "tests/harness/link_model.h"
#include "tests/harness/node_id.h"

namespace vipcast::harness {

struct StreamOptions {
  // Bytes a side may have written and not yet delivered to its peer: the
  // capacity reported in StreamWritable starts here and shrinks with each write.
  size_t window = size_t{64} * 1024;
  // Deliver each write as up to max_pieces StreamData inputs cut at random
  // points, so that engines cannot rely on message boundaries.
  bool split_writes = true;
  int max_pieces = 4;
  // How long an unanswered connect takes to fail: the remote node is down,
  // unreachable across a partition, or drops the SYN for a TCP-MD5 or GTSM
  // mismatch.
  core::Duration connect_timeout = core::Duration::Seconds(5);
};

// Something of a connection is due at a node (see StreamModel::OnTick): the
// head segment of direction `index`, or a capacity report to side `index`.
// Reports are computed when due rather than when scheduled, so an engine is
// never handed a capacity that its own later writes have already used up.
struct StreamTick {
  enum class Kind : uint8_t { kSegment, kWritable };
  Kind kind = Kind::kSegment;
  uint64_t connection = 0;
  int index = 0;
};

// What the harness schedules for a node: an input, or a stream segment whose
// effect the stream model decides when it is due.
using Deliverable = std::variant<core::Input, StreamTick>;

// Where a packet from one node to an address goes, as the harness routes it.
struct Path {
  NodeId to;
  std::string to_interface;  // the receiving interface
  core::IpAddr source;       // the sender's address on the way out
  uint8_t received_ttl = 64;
  LinkModel link;
};

// What the stream model needs from the harness that owns it.
class StreamHost {
 public:
  virtual ~StreamHost() = default;
  virtual core::TimePoint now() const = 0;
  virtual core::Rng& network_rng() = 0;
  virtual const LinkModel& default_link() const = 0;
  virtual bool Alive(NodeId node) const = 0;
  virtual bool Reachable(NodeId a, NodeId b) const = 0;
  // nullopt when no interface holds `to` or its TTL runs out on the way.
  virtual std::optional<Path> Route(NodeId from, const core::IpAddr& to, uint8_t ttl) const = 0;
  virtual void Schedule(core::TimePoint at, NodeId to, Deliverable what) = 0;
  virtual void Violation(NodeId node, std::string what) = 0;
};

// Invariants:
// - Each direction of a connection delivers its segments in the order they
//   were written, exactly once, never earlier than one link delay after the
//   write; at most one tick per direction is scheduled at a time, for the
//   head of its queue.
// - A side's StreamId maps to its connection only while the engine may use it:
//   from Connect (or StreamAccepted) until it closes the stream, is told it
//   closed, or its node crashes.
// - in_flight counts bytes a side wrote that its peer has not yet received;
//   the capacity reported to the writer is window - in_flight (never negative).
//
// Model, kept simple on purpose:
// - Connect: StreamConnected reaches the connector after 2 link delays (SYN,
//   SYN-ACK) and StreamAccepted the acceptor after 3 (the final ACK); each is
//   followed by StreamWritable with the full window.
// - Every WriteStream is answered at once with StreamWritable (the remaining
//   capacity), and every delivered piece with another (the freed capacity).
// - Across a partition nothing is lost: a due segment waits (the direction
//   stalls) and resumes one link delay after reachability returns, as TCP
//   retransmission would make it.
// - CloseStream sends FIN (kPeerClosed) or, with abort, RST (kReset) behind
//   the bytes already written; bytes that reach a side which has closed are
//   discarded. The closing side is not told anything.
// - A crashed node's streams vanish silently: bytes it wrote but had not yet
//   delivered are lost, its peers are not told, and their bytes go nowhere
//   until it restarts, after which a peer's next write draws kReset. A
//   connect still waiting for the crashed acceptor times out.
// - Connect to an address nobody holds or a port nobody listens on fails with
//   kConnectFailed; to a crashed node, across a partition, with a TCP-MD5 key
//   that does not match the listener's, or below the listener's GTSM min_ttl,
//   with kTimedOut after connect_timeout. Connect's own min_ttl is not checked.
class StreamModel {
 public:
  StreamModel(StreamHost& host, StreamOptions options) : host_(host), options_(options) {}

  void OnListen(NodeId node, const core::Listen& listen);
  void OnStopListening(NodeId node, const core::StopListening& stop);
  void OnConnect(NodeId node, const core::Connect& connect);
  void OnWrite(NodeId node, const core::WriteStream& write);
  void OnClose(NodeId node, const core::CloseStream& close);

  // A tick is due at its node: returns the inputs to hand to that node now,
  // in order.
  std::vector<core::Input> OnTick(const StreamTick& tick);
  // The node's engine is gone: forget its listeners and streams.
  void OnCrash(NodeId node);
  // Reachability changed: resume stalled directions that can now deliver.
  void OnReachabilityChanged();

  size_t open_connections() const { return connections_.size(); }
  const StreamOptions& options() const { return options_; }

 private:
  enum class SegmentKind { kConnected, kAccepted, kData, kFin, kRst };
  struct Segment {
    SegmentKind kind = SegmentKind::kData;
    core::Bytes data;
    core::TimePoint due;
  };
  enum class SideState {
    kPending,  // acceptor not yet told (StreamAccepted still on its way)
    kOpen,     // the engine may use the stream
    kClosed,   // closed by the engine, by its peer, or by a crash
  };
  struct Side {
    NodeId node;
    core::StreamId stream;
    core::Endpoint local;
    core::Endpoint remote;
    SideState state = SideState::kPending;
    bool dead = false;  // its node crashed while the stream existed
    size_t in_flight = 0;
  };
  // Segments travelling from side `index` to side 1 - index.
  struct Direction {
    std::deque<Segment> queue;
    bool tick_scheduled = false;
    bool stalled = false;
    core::TimePoint last_due;
  };
  struct Connection {
    LinkModel link;
    std::array<Side, 2> side;  // 0: connector, 1: acceptor
    std::array<Direction, 2> dir;
  };
  using StreamKey = std::pair<uint32_t, uint64_t>;  // (node index, stream id)

  const core::Listen* FindListener(NodeId node, const core::Endpoint& local) const;
  void FailConnect(NodeId node, core::StreamId stream, core::StreamCloseReason reason,
                   std::string detail, core::TimePoint at);
  void Enqueue(uint64_t id, int direction, SegmentKind kind, core::Bytes data);
  void ScheduleHead(uint64_t id, int direction);
  void ReportWritable(uint64_t id, int index);
  std::vector<core::Input> DeliverHead(uint64_t id, int direction);
  void CloseSide(Connection& c, int index);
  void MaybeErase(uint64_t id);
  size_t Capacity(const Side& side) const {
    return side.in_flight >= options_.window ? 0 : options_.window - side.in_flight;
  }

  StreamHost& host_;
  StreamOptions options_;
  std::map<uint64_t, Connection> connections_;
  std::map<StreamKey, std::pair<uint64_t, int>> by_stream_;  // -> (connection, side)
  std::map<uint32_t, std::vector<core::Listen>> listeners_;
  std::map<uint32_t, uint16_t> next_port_;
  std::map<uint32_t, uint64_t> next_accepted_;
  uint64_t next_connection_ = 1;
};

}  // namespace vipcast::harness
