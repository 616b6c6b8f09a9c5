#include "tests/harness/stream_model.h"

#include <algorithm>

namespace vipcast::harness {
namespace {

constexpr uint16_t kFirstEphemeralPort = 49152;  // IANA dynamic range

bool IsUnspecified(const core::IpAddr& a) { return a.ToUint128() == 0; }

std::string StreamName(core::StreamId id) {
  if (id.value & core::StreamId::kAcceptedBit) {
    return "accepted#" + std::to_string(id.value & ~core::StreamId::kAcceptedBit);
  }
  return "#" + std::to_string(id.value);
}

}  // namespace

const core::Listen* StreamModel::FindListener(NodeId node, const core::Endpoint& local) const {
  auto it = listeners_.find(node.index);
  if (it == listeners_.end()) return nullptr;
  // A listener on the exact address wins over a wildcard one, as in Linux.
  for (const core::Listen& l : it->second) {
    if (l.local == local) return &l;
  }
  for (const core::Listen& l : it->second) {
    if (l.local.port == local.port && IsUnspecified(l.local.address) &&
        l.local.address.family() == local.address.family()) {
      return &l;
    }
  }
  return nullptr;
}

void StreamModel::OnListen(NodeId node, const core::Listen& listen) {
  if (listen.transport != core::Transport::kTcp) return;  // datagrams need no listener here
  auto& list = listeners_[node.index];
  // Listening again on the same endpoint replaces the options (keys, GTSM).
  std::erase_if(list, [&](const core::Listen& l) { return l.local == listen.local; });
  list.push_back(listen);
}

void StreamModel::OnStopListening(NodeId node, const core::StopListening& stop) {
  if (stop.transport != core::Transport::kTcp) return;
  auto it = listeners_.find(node.index);
  if (it == listeners_.end()) return;
  std::erase_if(it->second, [&](const core::Listen& l) { return l.local == stop.local; });
}

void StreamModel::FailConnect(NodeId node, core::StreamId stream, core::StreamCloseReason reason,
                              std::string detail, core::TimePoint at) {
  host_.Schedule(at, node, core::Input(core::StreamClosed{stream, reason, std::move(detail)}));
}

void StreamModel::OnConnect(NodeId node, const core::Connect& connect) {
  const core::TimePoint now = host_.now();
  if (by_stream_.contains({node.index, connect.stream.value})) {
    host_.Violation(node, "Connect reuses open stream " + StreamName(connect.stream));
    return;
  }
  auto path = host_.Route(node, connect.remote.address, connect.ttl);
  if (!path) {
    FailConnect(node, connect.stream, core::StreamCloseReason::kConnectFailed, "no route to host",
                now + DrawDelay(host_.default_link(), host_.network_rng()));
    return;
  }
  const core::Duration delay = DrawDelay(path->link, host_.network_rng());
  const core::TimePoint timeout = now + options_.connect_timeout;
  if (!host_.Alive(path->to)) {
    FailConnect(node, connect.stream, core::StreamCloseReason::kTimedOut, "host down", timeout);
    return;
  }
  if (!host_.Reachable(node, path->to)) {
    FailConnect(node, connect.stream, core::StreamCloseReason::kTimedOut, "unreachable", timeout);
    return;
  }
  const core::Listen* listener = FindListener(path->to, connect.remote);
  if (listener == nullptr) {
    FailConnect(node, connect.stream, core::StreamCloseReason::kConnectFailed, "connection refused",
                now + delay * 2);
    return;
  }

  core::Endpoint local;
  local.address = connect.local && !IsUnspecified(connect.local->address) ? connect.local->address
                                                                          : path->source;
  if (connect.local && connect.local->port != 0) {
    local.port = connect.local->port;
  } else {
    uint16_t& next = next_port_.try_emplace(node.index, kFirstEphemeralPort).first->second;
    local.port = next;
    next = next == 65535 ? kFirstEphemeralPort : static_cast<uint16_t>(next + 1);
  }

  // RFC 2385: a listener with a key for this peer drops SYNs without that
  // key, and one without a key drops SYNs that carry one. Either way the
  // connector hears nothing.
  std::optional<std::string> expected_key;
  for (const auto& [peer, key] : listener->md5_keys) {
    if (peer == local.address) expected_key = key;
  }
  if (expected_key != connect.md5_key) {
    FailConnect(node, connect.stream, core::StreamCloseReason::kTimedOut, "no answer (TCP-MD5)",
                timeout);
    return;
  }
  // RFC 5082: the listener drops segments whose TTL is below its minimum.
  if (listener->min_ttl != 0 && path->received_ttl < listener->min_ttl) {
    FailConnect(node, connect.stream, core::StreamCloseReason::kTimedOut, "no answer (GTSM)",
                timeout);
    return;
  }

  const uint64_t id = next_connection_++;
  Connection& c = connections_[id];
  c.link = path->link;
  Side& connector = c.side[0];
  connector.node = node;
  connector.stream = connect.stream;
  connector.local = local;
  connector.remote = connect.remote;
  connector.state = SideState::kOpen;
  Side& acceptor = c.side[1];
  acceptor.node = path->to;
  acceptor.stream = core::StreamId{core::StreamId::kAcceptedBit | ++next_accepted_[path->to.index]};
  acceptor.local = connect.remote;
  acceptor.remote = local;
  acceptor.state = SideState::kPending;
  by_stream_[{node.index, connect.stream.value}] = {id, 0};

  // The handshake travels as the first segment of each direction, so every
  // later byte is ordered behind it.
  c.dir[1].queue.push_back({SegmentKind::kConnected, {}, now + delay * 2});
  c.dir[1].last_due = now + delay * 2;
  c.dir[0].queue.push_back({SegmentKind::kAccepted, {}, now + delay * 3});
  c.dir[0].last_due = now + delay * 3;
  ScheduleHead(id, 0);
  ScheduleHead(id, 1);
}

void StreamModel::Enqueue(uint64_t id, int direction, SegmentKind kind, core::Bytes data) {
  Connection& c = connections_.at(id);
  Direction& d = c.dir[static_cast<size_t>(direction)];
  // Later segments never overtake earlier ones, whatever the jitter.
  const core::TimePoint due =
      std::max(host_.now() + DrawDelay(c.link, host_.network_rng()), d.last_due);
  d.last_due = due;
  d.queue.push_back({kind, std::move(data), due});
  ScheduleHead(id, direction);
}

void StreamModel::OnWrite(NodeId node, const core::WriteStream& write) {
  auto found = by_stream_.find({node.index, write.stream.value});
  if (found == by_stream_.end()) {
    host_.Violation(node, "WriteStream on unknown or closed stream " + StreamName(write.stream));
    return;
  }
  const auto [id, index] = found->second;
  Connection& c = connections_.at(id);
  Side& me = c.side[static_cast<size_t>(index)];
  Side& peer = c.side[static_cast<size_t>(1 - index)];
  if (write.data.size() > Capacity(me)) {
    host_.Violation(node, "WriteStream of " + std::to_string(write.data.size()) +
                              " bytes on stream " + StreamName(write.stream) +
                              " exceeds its capacity of " + std::to_string(Capacity(me)));
  }
  if (peer.dead) {
    if (host_.Alive(peer.node)) {
      // The peer restarted and has no such connection: it answers with RST.
      FailConnect(node, me.stream, core::StreamCloseReason::kReset, "connection reset by peer",
                  host_.now() + DrawDelay(c.link, host_.network_rng()) * 2);
      CloseSide(c, index);
      MaybeErase(id);
    } else {
      me.in_flight += write.data.size();  // into the void: never acknowledged
      ReportWritable(id, index);
    }
    return;
  }
  me.in_flight += write.data.size();
  const core::Bytes& data = write.data;
  if (!data.empty()) {
    // Cut points: up to max_pieces - 1 distinct offsets inside the data.
    std::vector<size_t> cuts;
    if (options_.split_writes && data.size() > 1 && options_.max_pieces > 1) {
      const uint64_t max_cuts =
          std::min<uint64_t>(static_cast<uint64_t>(options_.max_pieces - 1), data.size() - 1);
      const uint64_t n = host_.network_rng().Uniform(max_cuts + 1);
      for (uint64_t i = 0; i < n; ++i) {
        cuts.push_back(1 + host_.network_rng().Uniform(data.size() - 1));
      }
      std::sort(cuts.begin(), cuts.end());
      cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    }
    cuts.push_back(data.size());
    size_t start = 0;
    for (size_t end : cuts) {
      Enqueue(id, index, SegmentKind::kData,
              core::Bytes(data.begin() + static_cast<std::ptrdiff_t>(start),
                          data.begin() + static_cast<std::ptrdiff_t>(end)));
      start = end;
    }
  }
  ReportWritable(id, index);
}

void StreamModel::OnClose(NodeId node, const core::CloseStream& close) {
  auto found = by_stream_.find({node.index, close.stream.value});
  if (found == by_stream_.end()) return;  // closing twice, or after being told: harmless
  const auto [id, index] = found->second;
  Connection& c = connections_.at(id);
  CloseSide(c, index);
  if (!c.side[static_cast<size_t>(1 - index)].dead) {
    Enqueue(id, index, close.abort ? SegmentKind::kRst : SegmentKind::kFin, {});
  }
  MaybeErase(id);
}

void StreamModel::ReportWritable(uint64_t id, int index) {
  const Connection& c = connections_.at(id);
  host_.Schedule(host_.now(), c.side[static_cast<size_t>(index)].node,
                 StreamTick{StreamTick::Kind::kWritable, id, index});
}

std::vector<core::Input> StreamModel::OnTick(const StreamTick& tick) {
  auto it = connections_.find(tick.connection);
  if (it == connections_.end()) return {};
  if (tick.kind == StreamTick::Kind::kSegment) return DeliverHead(tick.connection, tick.index);
  const Side& side = it->second.side[static_cast<size_t>(tick.index)];
  if (side.state != SideState::kOpen) return {};
  return {core::StreamWritable{side.stream, Capacity(side)}};
}

std::vector<core::Input> StreamModel::DeliverHead(uint64_t id, int direction) {
  Connection& c = connections_.at(id);
  Direction& d = c.dir[static_cast<size_t>(direction)];
  d.tick_scheduled = false;
  if (d.queue.empty()) return {};
  Side& from = c.side[static_cast<size_t>(direction)];
  Side& to = c.side[static_cast<size_t>(1 - direction)];
  if (!host_.Reachable(from.node, to.node)) {
    d.stalled = true;
    return {};
  }
  Segment segment = std::move(d.queue.front());
  d.queue.pop_front();

  std::vector<core::Input> inputs;
  switch (segment.kind) {
    case SegmentKind::kConnected:
      if (to.state == SideState::kOpen) {
        inputs.emplace_back(core::StreamConnected{to.stream, to.local, to.remote});
        inputs.emplace_back(core::StreamWritable{to.stream, Capacity(to)});
      }
      break;
    case SegmentKind::kAccepted:
      if (to.state == SideState::kPending && !to.dead) {
        to.state = SideState::kOpen;
        by_stream_[{to.node.index, to.stream.value}] = {id, 1 - direction};
        inputs.emplace_back(core::StreamAccepted{to.stream, to.local, to.remote});
        inputs.emplace_back(core::StreamWritable{to.stream, Capacity(to)});
      }
      break;
    case SegmentKind::kData:
      from.in_flight -= segment.data.size();
      if (to.state == SideState::kOpen) {
        inputs.emplace_back(core::StreamData{to.stream, std::move(segment.data)});
      }
      // The acknowledgement frees window at the writer.
      if (from.state == SideState::kOpen) ReportWritable(id, direction);
      break;
    case SegmentKind::kFin:
    case SegmentKind::kRst:
      if (to.state == SideState::kOpen) {
        const bool reset = segment.kind == SegmentKind::kRst;
        inputs.emplace_back(core::StreamClosed{
            to.stream,
            reset ? core::StreamCloseReason::kReset : core::StreamCloseReason::kPeerClosed,
            reset ? "connection reset by peer" : "closed by peer"});
      }
      CloseSide(c, 1 - direction);
      break;
  }
  ScheduleHead(id, direction);
  MaybeErase(id);
  return inputs;
}

void StreamModel::ScheduleHead(uint64_t id, int direction) {
  Connection& c = connections_.at(id);
  Direction& d = c.dir[static_cast<size_t>(direction)];
  if (d.queue.empty() || d.tick_scheduled || d.stalled) return;
  d.tick_scheduled = true;
  host_.Schedule(std::max(d.queue.front().due, host_.now()),
                 c.side[static_cast<size_t>(1 - direction)].node,
                 StreamTick{StreamTick::Kind::kSegment, id, direction});
}

void StreamModel::CloseSide(Connection& c, int index) {
  Side& side = c.side[static_cast<size_t>(index)];
  if (side.state == SideState::kOpen) by_stream_.erase({side.node.index, side.stream.value});
  side.state = SideState::kClosed;
}

void StreamModel::MaybeErase(uint64_t id) {
  const Connection& c = connections_.at(id);
  for (int i = 0; i < 2; ++i) {
    if (c.side[static_cast<size_t>(i)].state != SideState::kClosed) return;
    if (!c.dir[static_cast<size_t>(i)].queue.empty()) return;
  }
  connections_.erase(id);
}

void StreamModel::OnCrash(NodeId node) {
  listeners_.erase(node.index);
  std::vector<uint64_t> touched;
  for (auto& [id, c] : connections_) {
    for (int i = 0; i < 2; ++i) {
      Side& side = c.side[static_cast<size_t>(i)];
      if (side.node != node) continue;
      CloseSide(c, i);
      side.dead = true;
      // Whatever was on its way to the crashed side is lost with it; the
      // harness has already dropped the scheduled tick.
      Direction& inbound = c.dir[static_cast<size_t>(1 - i)];
      inbound.queue.clear();
      inbound.tick_scheduled = false;
      inbound.stalled = false;
      // Its unsent bytes die with its kernel. A stale tick toward the peer
      // may still fire; it finds the queue empty.
      Direction& outbound = c.dir[static_cast<size_t>(i)];
      if (i == 1 && !outbound.queue.empty() &&
          outbound.queue.front().kind == SegmentKind::kConnected &&
          c.side[0].state == SideState::kOpen) {
        // The connector was still waiting for the SYN-ACK: its connect times out.
        FailConnect(c.side[0].node, c.side[0].stream, core::StreamCloseReason::kTimedOut,
                    "host down", host_.now() + options_.connect_timeout);
        CloseSide(c, 0);
      }
      outbound.queue.clear();
      outbound.stalled = false;
      // An acceptor that was never told of the stream never will be.
      Side& peer = c.side[static_cast<size_t>(1 - i)];
      if (peer.state == SideState::kPending) peer.state = SideState::kClosed;
      touched.push_back(id);
    }
  }
  for (uint64_t id : touched) {
    if (connections_.contains(id)) MaybeErase(id);
  }
}

void StreamModel::OnReachabilityChanged() {
  for (auto& [id, c] : connections_) {
    for (int i = 0; i < 2; ++i) {
      Direction& d = c.dir[static_cast<size_t>(i)];
      if (!d.stalled) continue;
      if (!host_.Reachable(c.side[0].node, c.side[1].node)) continue;
      d.stalled = false;
      // The retransmission after the outage takes one more link delay.
      core::TimePoint resume = host_.now() + DrawDelay(c.link, host_.network_rng());
      d.queue.front().due = std::max(d.queue.front().due, resume);
      d.last_due = std::max(d.last_due, d.queue.front().due);
      ScheduleHead(id, i);
    }
  }
}

}  // namespace vipcast::harness
