// A structure-aware fuzz harness for one live bgp::Session (RFC 4271 8):
// the input picks a session configuration, then a sequence of operations
// (TCP chunks split at arbitrary points, with helpers that build a valid
// header, OPEN, KEEPALIVE or UPDATE around fuzzed bytes so the fuzzer gets
// past the OPEN exchange; connects, accepts, closes, StreamWritable with
// arbitrary capacity, time advances, route changes, stops). After every
// operation the harness checks, from the engine's public outputs only:
//   - every reported transition is continuous (from == previous to) and,
//     while at most one connection exists, one RFC 4271 8.2.2 allows;
//   - nothing is written beyond the capacity last reported for a stream,
//     and nothing is written to a stream that is not open;
//   - every write is whole BGP messages that our own decoder accepts, and
//     the first message on a stream is the OPEN;
//   - an error in what the peer sent (as an independent model of the
//     receive path sees it: header and decode errors, RFC 4271 6.x checks of
//     the OPEN, RFC 6608 FSM errors) is answered by a NOTIFICATION with that
//     code and subcode when there was room to write it; a connection the
//     engine closes after the OPEN exchange began ends with a NOTIFICATION
//     unless the peer sent one (RFC 4271 6.4) or a timer ended it;
//   - outputs and connections stay bounded.
// CheckBgpSessionInput returns an empty string or the violated property; the
// fuzzer aborts on a non-empty result, the regression test expects "".
#pragma once

#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "engine/bgp/negotiate.h"
#include "engine/bgp/open_check.h"
#include "engine/bgp/session.h"
#include "engine/core/bytes.h"
#include "engine/wire/bgp/framer.h"
#include "engine/wire/bgp/message.h"

namespace vipcast::fuzz {

// Inputs beyond this are ignored: the interesting state is in the sequence
// of operations, not in megabytes of payload.
inline constexpr size_t kBgpSessionMaxInput = 64 * 1024;
inline constexpr size_t kBgpSessionMaxOps = 256;
// Bounds on what one operation may make the engine emit.
inline constexpr size_t kBgpSessionMaxActionsPerOp = 4096;
inline constexpr size_t kBgpSessionMaxStreams = 6;

// Set by the fuzzer from BGP_SESSION_FUZZ_TOLERATE_KEEPALIVE_FIRST so that a
// long run can look past the known bug in fuzz/regressions/bgp_session/
// (a KEEPALIVE written before our OPEN); the regression test never sets it.
inline bool tolerate_keepalive_before_open = false;

namespace session_fuzz {

namespace wb = wire::bgp;

// RFC 4271 8.2.2, per connection. The engine reports a passive session with
// no connection as Active (it goes Idle and, by automatic start with
// PassiveTcpEstablishment, straight on to Active), so X -> Active is the
// composition X -> Idle -> Active and is allowed where X -> Idle is.
inline bool TransitionAllowed(bgp::FsmState from, bgp::FsmState to, bool passive) {
  using S = bgp::FsmState;
  if (to == S::kIdle) return true;  // every state may fall back to Idle
  if (passive && to == S::kActive) return true;
  switch (from) {
    case S::kIdle:
      return to == S::kConnect || to == S::kActive;
    case S::kConnect:
      return to == S::kOpenSent || to == S::kActive;
    case S::kActive:
      return to == S::kOpenSent || to == S::kConnect;
    case S::kOpenSent:
      return to == S::kOpenConfirm || to == S::kActive;
    case S::kOpenConfirm:
      return to == S::kEstablished;
    case S::kEstablished:
      return false;
  }
  return false;
}

inline std::optional<bgp::FsmState> ParseState(const std::string& s) {
  using S = bgp::FsmState;
  for (S st : {S::kIdle, S::kConnect, S::kActive, S::kOpenSent, S::kOpenConfirm, S::kEstablished}) {
    if (bgp::ToString(st) == s) return st;
  }
  return std::nullopt;
}

inline void PutU16(core::Bytes& b, uint16_t v) {
  b.push_back(static_cast<uint8_t>(v >> 8));
  b.push_back(static_cast<uint8_t>(v));
}
inline void PutU32(core::Bytes& b, uint32_t v) {
  PutU16(b, static_cast<uint16_t>(v >> 16));
  PutU16(b, static_cast<uint16_t>(v));
}

// A header with the right length in front of `body` (length saturates, so
// a too-long body still reaches the framer's length check).
inline core::Bytes WithHeader(uint8_t type, const core::Bytes& body) {
  core::Bytes b(16, 0xff);
  size_t len = std::min<size_t>(body.size() + 19, 0xffff);
  PutU16(b, static_cast<uint16_t>(len));
  b.push_back(type);
  b.insert(b.end(), body.begin(), body.end());
  return b;
}

// What the peer side of one stream has sent, as an independent model of the
// engine's receive path sees it (RFC 4271 6 and 8.2.2).
enum class Phase { kOpenSent, kOpenConfirm, kEstablished, kDone };

struct Stream {
  core::StreamId id;
  bool opened = false;  // connected or accepted
  bool closed = false;  // by the engine (CloseStream) or by us (StreamClosed)
  size_t capacity = 0;  // left of the last StreamWritable
  size_t messages_out = 0;
  std::optional<wb::MessageType> last_out;
  wb::SessionOptions options;  // the engine's view after a good OPEN
  // The inbound model.
  wb::MessageFramer framer;
  Phase phase = Phase::kOpenSent;
  bool uncertain = false;  // something outside the model may have acted
  std::optional<std::pair<uint8_t, uint8_t>> expected;  // first error found
  bool peer_notified = false;                           // peer sent a NOTIFICATION
  bool notification_out = false;
  bool expected_now = false;  // `expected` was found in the current operation
  // When the peer last sent bytes: the hold timer (RFC 4271 4.2, at least
  // 3 s) may have queued 4/0 once that is 3 s ago, beyond this model.
  core::TimePoint last_rx;
};

class Harness {
 public:
  explicit Harness(FuzzedDataProvider& in) : in_(in) {}

  std::string Run() {
    Configure();
    session_ = std::make_unique<bgp::Session>(cfg_, [this] { return core::StreamId{next_id_++}; });
    session_->SetLocalAddresses(core::Ipv4Addr::FromOctets(10, 0, 0, 1), std::nullopt);
    session_->Start(now_, out_);
    if (auto p = Check(OpKind::kOther, nullptr); !p.empty()) return p;
    for (size_t i = 0; i < kBgpSessionMaxOps && in_.remaining_bytes() > 0; ++i) {
      if (auto p = Step(); !p.empty()) return p;
    }
    return "";
  }

 private:
  enum class OpKind { kData, kTimer, kOther };

  void Configure() {
    uint8_t flags = in_.ConsumeIntegral<uint8_t>();
    cfg_.name = "fuzz";
    cfg_.passive = flags & 1;
    bool four_octet_local = flags & 2;
    cfg_.local.asn = core::Asn(four_octet_local ? 4200000000u : 64500u);
    cfg_.local.router_id = core::RouterId(0x0a000001);
    cfg_.local.graceful_restart = flags & 4;
    cfg_.local.restarting = flags & 8;
    cfg_.local.ipv6 = flags & 16;
    cfg_.local.extended_message = flags & 32;
    static constexpr int64_t kHolds[] = {0, 3, 9, 90, 240};
    cfg_.local.hold_time = core::Duration::Seconds(kHolds[in_.ConsumeIntegralInRange(0, 4)]);
    switch (in_.ConsumeIntegralInRange(0, 4)) {
      case 0:
        cfg_.peer_as = core::Asn(64501);
        break;
      case 1:
        cfg_.peer_as = cfg_.local.asn;  // iBGP
        break;
      case 2:
        cfg_.peer_as = core::Asn(4200000001u);  // needs the 4-octet capability
        break;
      case 3:
        cfg_.dynamic_as = config::DynamicAsn::kExternal;
        break;
      default:
        cfg_.dynamic_as = config::DynamicAsn::kInternal;
        break;
    }
    if (flags & 64) cfg_.keepalive_time = core::Duration::Seconds(1);
    cfg_.remote = {core::Ipv4Addr::FromOctets(10, 0, 0, 2), 179};
    peer_asn_ = cfg_.peer_as                                       ? cfg_.peer_as->value()
                : cfg_.dynamic_as == config::DynamicAsn::kInternal ? cfg_.local.asn.value()
                                                                   : 64777u;
    expect_ = {cfg_.local.asn, cfg_.peer_as, cfg_.dynamic_as, cfg_.local.router_id};
  }

  Stream* Pick(bool need_opened) {
    std::vector<Stream*> v;
    for (auto& [id, s] : streams_) {
      if (!s.closed && s.opened == need_opened) v.push_back(&s);
    }
    if (v.empty()) return nullptr;
    return v[in_.ConsumeIntegralInRange<size_t>(0, v.size() - 1)];
  }
  Stream* PickAny() {
    if (streams_.empty()) return nullptr;
    size_t k = in_.ConsumeIntegralInRange<size_t>(0, streams_.size() - 1);
    auto it = streams_.begin();
    std::advance(it, k);
    return &it->second;
  }

  // A peer OPEN: valid by construction (BuildOpen) with fuzzed knobs, or
  // with fuzzed capability bytes.
  core::Bytes PeerOpen() {
    uint8_t f = in_.ConsumeIntegral<uint8_t>();
    bgp::LocalCapabilities l;
    l.asn = core::Asn((f & 1) ? in_.ConsumeIntegral<uint32_t>() : peer_asn_);
    l.router_id = core::RouterId((f & 2) ? in_.ConsumeIntegral<uint32_t>() : 0x0a000002);
    l.hold_time = core::Duration::Seconds(in_.ConsumeIntegralInRange<int64_t>(0, 300));
    l.ipv4 = !(f & 4);
    l.ipv6 = f & 8;
    l.extended_message = f & 16;
    l.graceful_restart = f & 32;
    l.restarting = f & 64;
    if (!(f & 128)) return wb::EncodeMessage(bgp::BuildOpen(l), {}).value();
    // Raw capabilities: RFC 4271 4.2 with one RFC 5492 parameter.
    core::Bytes caps = in_.ConsumeBytes<uint8_t>(in_.ConsumeIntegralInRange<size_t>(0, 255));
    core::Bytes body;
    body.push_back(4);
    uint32_t as = l.asn.value();
    PutU16(body, static_cast<uint16_t>(as > 0xffff ? 23456 : as));
    PutU16(body, static_cast<uint16_t>(l.hold_time.nanoseconds() / 1000000000));
    PutU32(body, l.router_id.value());
    bool with_as4 = in_.ConsumeBool();
    core::Bytes param;
    if (with_as4) {
      param.insert(param.end(), {65, 4});
      PutU32(param, as);
    }
    param.insert(param.end(), caps.begin(), caps.end());
    param.resize(std::min<size_t>(param.size(), 253));
    body.push_back(static_cast<uint8_t>(param.size() + 2));
    body.push_back(2);
    body.push_back(static_cast<uint8_t>(param.size()));
    body.insert(body.end(), param.begin(), param.end());
    return WithHeader(1, body);
  }

  // An UPDATE around fuzzed withdrawn/attribute/NLRI bytes; or a valid one.
  core::Bytes PeerUpdate() {
    if (in_.ConsumeBool()) {
      // Valid: ORIGIN, AS_PATH (4-octet per the choice), NEXT_HOP, one /24.
      bool as4 = in_.ConsumeBool();
      core::Bytes attrs = {0x40, 1, 1, 0};
      attrs.insert(attrs.end(), {0x40, 2, static_cast<uint8_t>(as4 ? 6 : 4), 2, 1});
      if (as4)
        PutU32(attrs, peer_asn_);
      else
        PutU16(attrs, static_cast<uint16_t>(peer_asn_ > 0xffff ? 23456 : peer_asn_));
      attrs.insert(attrs.end(), {0x40, 3, 4, 10, 0, 0, 2});
      core::Bytes body;
      PutU16(body, 0);
      PutU16(body, static_cast<uint16_t>(attrs.size()));
      body.insert(body.end(), attrs.begin(), attrs.end());
      body.insert(body.end(), {24, 192, 0, in_.ConsumeIntegral<uint8_t>()});
      return WithHeader(2, body);
    }
    core::Bytes wd = in_.ConsumeBytes<uint8_t>(in_.ConsumeIntegralInRange<size_t>(0, 16));
    core::Bytes attrs = in_.ConsumeBytes<uint8_t>(in_.ConsumeIntegralInRange<size_t>(0, 512));
    core::Bytes nlri = in_.ConsumeBytes<uint8_t>(in_.ConsumeIntegralInRange<size_t>(0, 32));
    core::Bytes body;
    PutU16(body, static_cast<uint16_t>(wd.size()));
    body.insert(body.end(), wd.begin(), wd.end());
    PutU16(body, static_cast<uint16_t>(attrs.size()));
    body.insert(body.end(), attrs.begin(), attrs.end());
    body.insert(body.end(), nlri.begin(), nlri.end());
    return WithHeader(2, body);
  }

  core::Bytes PeerBytes() {
    switch (in_.ConsumeIntegralInRange(0, 6)) {
      case 0:
        return PeerOpen();
      case 1:
        return WithHeader(4, {});  // KEEPALIVE
      case 2:
        return PeerUpdate();
      case 3: {  // NOTIFICATION
        core::Bytes body = {in_.ConsumeIntegral<uint8_t>(), in_.ConsumeIntegral<uint8_t>()};
        core::Bytes data = in_.ConsumeBytes<uint8_t>(in_.ConsumeIntegralInRange<size_t>(0, 64));
        body.insert(body.end(), data.begin(), data.end());
        return WithHeader(3, body);
      }
      case 4: {  // ROUTE-REFRESH (RFC 2918, RFC 7313 subtypes)
        core::Bytes body;
        PutU16(body, in_.ConsumeBool() ? 1 : in_.ConsumeIntegral<uint16_t>());
        body.push_back(in_.ConsumeIntegralInRange<uint8_t>(0, 3));
        body.push_back(1);
        return WithHeader(5, body);
      }
      case 5: {  // a header of a chosen type around raw bytes
        uint8_t type = in_.ConsumeIntegral<uint8_t>();
        return WithHeader(type,
                          in_.ConsumeBytes<uint8_t>(in_.ConsumeIntegralInRange<size_t>(0, 1024)));
      }
      default:  // raw bytes
        return in_.ConsumeBytes<uint8_t>(in_.ConsumeIntegralInRange<size_t>(0, 2048));
    }
  }

  // The independent receive model: what the engine must answer.
  void Model(Stream& s, const core::Bytes& bytes) {
    if (s.phase == Phase::kDone) return;
    size_t off = 0;
    while (s.phase != Phase::kDone) {
      off += s.framer.Feed(core::ByteSpan(bytes).subspan(off));
      auto next = s.framer.Next();
      if (!next.ok()) {
        s.expected = {next.error().code, next.error().subcode};
        s.phase = Phase::kDone;
        return;
      }
      if (!next.value()) {
        if (off >= bytes.size()) return;
        continue;
      }
      const core::Bytes& m = *next.value();
      auto type = static_cast<wb::MessageType>(m[18]);
      auto d = wb::DecodeMessage(m, s.options);
      if (!d.ok()) {
        if (type == wb::MessageType::kNotification) {
          s.peer_notified = true;
          s.phase = Phase::kDone;
          return;
        }
        if (type == wb::MessageType::kUpdate && s.phase == Phase::kEstablished &&
            d.error().handling != wb::ErrorHandling::kSessionReset) {
          continue;  // RFC 7606: the session stays up
        }
        s.expected = {d.error().code, d.error().subcode};
        s.phase = Phase::kDone;
        return;
      }
      if (std::holds_alternative<wb::NotificationMessage>(d.value())) {
        s.peer_notified = true;
        s.phase = Phase::kDone;
        return;
      }
      uint8_t fsm_sub = s.phase == Phase::kOpenSent ? 1 : s.phase == Phase::kOpenConfirm ? 2 : 3;
      if (const auto* open = std::get_if<wb::OpenMessage>(&d.value())) {
        if (s.phase != Phase::kOpenSent) {
          s.expected = {5, fsm_sub};  // RFC 6608 3
          s.phase = Phase::kDone;
          return;
        }
        if (auto error = bgp::CheckOpen(*open, expect_)) {
          s.expected = {error->code, error->subcode};
          s.phase = Phase::kDone;
          return;
        }
        s.options = bgp::Negotiate(cfg_.local, *open).options;
        s.framer.SetOptions(s.options);
        s.phase = Phase::kOpenConfirm;
        // Collision resolution (RFC 4271 6.8) or a graceful restart may
        // close either connection: beyond this model.
        if (session_->connection_count() > 1) s.uncertain = true;
        continue;
      }
      if (std::holds_alternative<wb::KeepaliveMessage>(d.value())) {
        if (s.phase == Phase::kOpenSent) {
          s.expected = {5, 1};
          s.phase = Phase::kDone;
          return;
        }
        s.phase = Phase::kEstablished;
        continue;
      }
      // UPDATE or ROUTE-REFRESH: only in Established.
      if (s.phase != Phase::kEstablished) {
        s.expected = {5, fsm_sub};
        s.phase = Phase::kDone;
        return;
      }
    }
  }

  std::string Step() {
    OpKind kind = OpKind::kOther;
    Stream* data_stream = nullptr;
    switch (in_.ConsumeIntegralInRange(0, 11)) {
      case 0:
      case 1:
      case 2:
      case 3: {  // peer bytes in arbitrary chunks
        Stream* s = Pick(true);
        if (s == nullptr) break;
        core::Bytes bytes = PeerBytes();
        // Several messages back to back sometimes, so chunks straddle them.
        if (in_.ConsumeBool()) {
          core::Bytes more = PeerBytes();
          bytes.insert(bytes.end(), more.begin(), more.end());
        }
        kind = OpKind::kData;
        data_stream = s;
        size_t off = 0;
        while (off < bytes.size()) {
          size_t n = in_.remaining_bytes() == 0
                         ? bytes.size() - off
                         : in_.ConsumeIntegralInRange<size_t>(1, bytes.size() - off);
          s->last_rx = now_;
          core::Bytes chunk(bytes.begin() + off, bytes.begin() + off + n);
          off += n;
          bool had_expected = s->expected.has_value();
          Model(*s, chunk);
          s->expected_now = !had_expected && s->expected.has_value();
          session_->OnData(now_, {s->id, std::move(chunk)}, out_);
          auto p = Check(kind, data_stream);
          s->expected_now = false;
          if (!p.empty()) return p;
        }
        return "";
      }
      case 4: {  // StreamWritable
        Stream* s = Pick(true);
        if (s == nullptr) break;
        static constexpr size_t kCaps[] = {0, 19, 21, 64, 4096, 65536};
        size_t cap = in_.ConsumeBool() ? kCaps[in_.ConsumeIntegralInRange(0, 5)]
                                       : in_.ConsumeIntegralInRange<size_t>(0, 70000);
        s->capacity = cap;
        session_->OnWritable(now_, {s->id, cap}, out_);
        break;
      }
      case 5: {  // an outgoing connect completes or fails
        Stream* s = Pick(false);
        if (s == nullptr) break;
        if (in_.ConsumeBool()) {
          s->opened = true;
          s->last_rx = now_;
          session_->OnConnected(
              now_, {s->id, {core::Ipv4Addr::FromOctets(10, 0, 0, 1), 40000}, cfg_.remote}, out_);
        } else {
          s->closed = true;
          session_->OnClosed(now_, {s->id, core::StreamCloseReason::kConnectFailed, "refused"},
                             out_);
        }
        break;
      }
      case 6: {  // the peer connects to us (RFC 4271 6.8 collision when one exists)
        if (streams_.size() >= kBgpSessionMaxStreams) break;
        core::StreamId id{core::StreamId::kAcceptedBit | next_accept_++};
        Stream& s = streams_[id.value];
        s.id = id;
        s.opened = true;
        s.last_rx = now_;
        if (session_->connection_count() > 0) s.uncertain = true;
        for (auto& [k, o] : streams_) {
          if (!o.closed) o.uncertain |= session_->connection_count() > 0;
        }
        session_->OnAccepted(now_,
                             {id,
                              {core::Ipv4Addr::FromOctets(10, 0, 0, 1), 179},
                              {core::Ipv4Addr::FromOctets(10, 0, 0, 2), 50000}},
                             out_);
        accepting_ = true;
        auto p = Check(kind, nullptr);
        accepting_ = false;
        return p;
      }
      case 7: {  // the peer closes or resets a stream
        Stream* s = PickAny();
        if (s == nullptr) break;
        bool was_closed = s->closed;
        s->closed = true;
        session_->OnClosed(now_,
                           {s->id,
                            in_.ConsumeBool() ? core::StreamCloseReason::kPeerClosed
                                              : core::StreamCloseReason::kReset,
                            "peer"},
                           out_);
        (void)was_closed;
        break;
      }
      case 8: {  // time passes, timers run in deadline order
        kind = OpKind::kTimer;
        static constexpr int64_t kSteps[] = {1, 1000, 3000, 30000, 90000, 600000};
        int64_t ms = in_.ConsumeBool() ? kSteps[in_.ConsumeIntegralInRange(0, 5)]
                                       : in_.ConsumeIntegralInRange<int64_t>(0, 300000);
        core::TimePoint until = now_ + core::Duration::Milliseconds(ms);
        for (int guard = 0; session_->NextDeadline() <= until && guard < 64; ++guard) {
          now_ = std::max(now_, session_->NextDeadline());
          session_->Advance(now_, out_);
          if (auto p = Check(kind, nullptr); !p.empty()) return p;
        }
        now_ = until;
        session_->Advance(now_, out_);
        for (auto& [k, s] : streams_) {
          if (now_ - s.last_rx >= core::Duration::Seconds(3)) s.uncertain = true;
        }
        break;
      }
      case 9: {  // routes change
        bgp::RibOut rib;
        size_t n = in_.ConsumeIntegralInRange<size_t>(0, 40);
        for (size_t i = 0; i < n; ++i) {
          bgp::RouteAttributes a;
          if (in_.ConsumeBool()) a.local_pref = in_.ConsumeIntegral<uint32_t>();
          if (in_.ConsumeBool()) a.communities = {0xfde80001};
          if (in_.ConsumeBool()) {
            core::Ipv4Addr v4(0xc6330000u | in_.ConsumeIntegral<uint16_t>());
            rib[core::Prefix::Make(v4, in_.ConsumeIntegralInRange(16, 32)).value()] = a;
          } else {
            std::array<uint8_t, 16> b{0x20, 0x01, 0x0d, 0xb8};
            b[4] = in_.ConsumeIntegral<uint8_t>();
            rib[core::Prefix::Make(core::Ipv6Addr(b), in_.ConsumeIntegralInRange(40, 128))
                    .value()] = a;
          }
        }
        session_->SetDesired(now_, std::move(rib), out_);
        break;
      }
      case 10:  // ask the peer to re-send (RFC 2918)
        session_->RequestRefresh(now_, {in_.ConsumeBool() ? wb::kAfiIpv4 : wb::kAfiIpv6, 1}, out_);
        break;
      default: {  // administrative stop / peer deconfigured / reconfigured
        static constexpr uint8_t kSubcodes[] = {2, 3, 4, 6};
        uint8_t sub = kSubcodes[in_.ConsumeIntegralInRange(0, 3)];
        for (auto& [k, s] : streams_) s.uncertain = true;
        session_->Stop(now_, in_.ConsumeRandomLengthString(64), out_, sub);
        break;
      }
    }
    return Check(kind, data_stream);
  }

  std::string Check(OpKind kind, Stream* data_stream) {
    auto actions = out_.Drain();
    if (actions.size() > kBgpSessionMaxActionsPerOp) return "unbounded actions in one call";
    for (const auto& a : actions) {
      if (const auto* c = std::get_if<core::Connect>(&a)) {
        if (streams_.count(c->stream.value)) return "Connect reuses a stream id";
        if (cfg_.passive) return "passive session connects (RFC 4271 8.1.1)";
        Stream& s = streams_[c->stream.value];
        s.id = c->stream;
      } else if (const auto* w = std::get_if<core::WriteStream>(&a)) {
        auto it = streams_.find(w->stream.value);
        if (it == streams_.end()) return "write to an unknown stream";
        Stream& s = it->second;
        if (!s.opened || s.closed) return "write to a stream that is not open";
        if (w->data.size() > s.capacity) return "write beyond the reported capacity";
        s.capacity -= w->data.size();
        if (auto p = CheckWrite(s, w->data); !p.empty()) return p;
      } else if (const auto* c = std::get_if<core::CloseStream>(&a)) {
        auto it = streams_.find(c->stream.value);
        if (it == streams_.end()) continue;  // e.g. refused accept
        Stream& s = it->second;
        if (s.closed) return "close of a stream already closed";
        s.closed = true;
        // RFC 4271 6: an error ends with a NOTIFICATION, unless the peer sent
        // one (6.4) or a timer gave up on writing it.
        if (s.opened && s.last_out != wb::MessageType::kNotification && !s.peer_notified &&
            kind == OpKind::kData && !s.uncertain && &s == data_stream) {
          return "connection closed after a peer error without a NOTIFICATION";
        }
      } else if (const auto* sc = std::get_if<core::SessionStateChanged>(&a)) {
        auto from = ParseState(sc->from);
        auto to = ParseState(sc->to);
        if (!from || !to) return "unknown state name";
        if (*from != reported_) return "transition from a state that was not current";
        if (*from == *to) return "transition to the same state";
        // An Idle session refuses incoming connections (RFC 4271 8.2.2);
        // after a TCP failure an active session waits in Active and takes
        // the peer's connection from there. The Idle -> OpenSent tolerance
        // is kept for inputs recorded before that change.
        bool accept_from_idle =
            accepting_ && *from == bgp::FsmState::kIdle && *to == bgp::FsmState::kOpenSent;
        if (single_conn_ && !accept_from_idle && !TransitionAllowed(*from, *to, cfg_.passive)) {
          return "transition not allowed by RFC 4271 8.2.2: " + sc->from + " -> " + sc->to;
        }
        reported_ = *to;
      }
    }
    if (session_->state() != reported_) return "state() differs from the last transition";
    // Every error the model found is answered when there was room.
    for (auto& [k, s] : streams_) {
      if (s.closed || !s.expected || s.uncertain || s.notification_out) continue;
      // A NOTIFICATION carries at most one message's worth of data.
      if (kind == OpKind::kData && &s == data_stream &&
          s.capacity >= wb::MaxMessageSize(s.options) + 21) {
        return "peer error " + std::to_string(s.expected->first) + "/" +
               std::to_string(s.expected->second) + " not answered with a NOTIFICATION";
      }
    }
    size_t live = 0;
    size_t pending_connects = 0;
    for (auto& [k, s] : streams_) {
      live += s.closed ? 0 : 1;
      pending_connects += !s.closed && !s.opened ? 1 : 0;
    }
    // RFC 4271 8.2.2: one outgoing connection attempt at a time.
    if (pending_connects > 1) return "more than one connect pending";
    if (session_->connection_count() > live) return "engine tracks more connections than exist";
    if (session_->connection_count() > kBgpSessionMaxStreams + 1) return "unbounded connections";
    single_conn_ = session_->connection_count() <= 1 && live <= 1;
    return "";
  }

  std::string CheckWrite(Stream& s, const core::Bytes& data) {
    size_t off = 0;
    if (data.empty()) return "empty write";
    while (off < data.size()) {
      if (data.size() - off < 19) return "write ends inside a message header";
      size_t len = (size_t{data[off + 16]} << 8) | data[off + 17];
      if (len < 19 || off + len > data.size()) return "write splits a message";
      core::ByteSpan m = core::ByteSpan(data).subspan(off, len);
      auto d = wb::DecodeMessage(m, s.options);
      if (!d.ok()) return "engine wrote a message our decoder rejects: " + d.error().reason;
      auto type = wb::TypeOf(d.value());
      // RFC 4271 8.2.2: a peer in OpenSent answers anything but OPEN or
      // NOTIFICATION with an FSM error, so our OPEN must go first.
      if (s.messages_out == 0 && type != wb::MessageType::kOpen &&
          type != wb::MessageType::kNotification && !tolerate_keepalive_before_open) {
        return "first message on a stream is not OPEN";
      }
      if (s.notification_out) return "message written after a NOTIFICATION";
      if (const auto* n = std::get_if<wb::NotificationMessage>(&d.value())) {
        s.notification_out = true;
        if (n->code < 1 || n->code > 7) return "NOTIFICATION with an unknown error code";
        if (s.expected && !s.uncertain && s.expected_now &&
            (n->code != s.expected->first || n->subcode != s.expected->second)) {
          return "NOTIFICATION " + std::to_string(n->code) + "/" + std::to_string(n->subcode) +
                 " answers peer error " + std::to_string(s.expected->first) + "/" +
                 std::to_string(s.expected->second);
        }
      }
      if (s.peer_notified && !s.uncertain && type == wb::MessageType::kNotification) {
        return "NOTIFICATION answered with a NOTIFICATION (RFC 4271 6.4)";
      }
      s.last_out = type;
      ++s.messages_out;
      off += len;
    }
    return "";
  }

  FuzzedDataProvider& in_;
  bgp::SessionConfig cfg_;
  bgp::OpenExpectations expect_;
  uint32_t peer_asn_ = 64501;
  std::unique_ptr<bgp::Session> session_;
  core::Outbox out_;
  core::TimePoint now_ = core::TimePoint::Epoch();
  uint64_t next_id_ = 1;
  uint64_t next_accept_ = 1;
  std::map<uint64_t, Stream> streams_;
  bgp::FsmState reported_ = bgp::FsmState::kIdle;
  bool single_conn_ = true;
  bool accepting_ = false;
};

}  // namespace session_fuzz

inline std::string CheckBgpSessionInput(core::ByteSpan input) {
  if (input.size() > kBgpSessionMaxInput) input = input.first(kBgpSessionMaxInput);
  FuzzedDataProvider provider(input.data(), input.size());
  session_fuzz::Harness harness(provider);
  return harness.Run();
}

}  // namespace vipcast::fuzz
