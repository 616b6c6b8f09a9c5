// The body of the bfd_packet fuzz target, shared with the gtest that replays
// the corpus and committed crashes (tests/unit/bfd/fuzz_regressions_test.cc).
//
// Two things are fuzzed with each input:
// 1. The codec: the whole input is decoded under both auth policies; what
//    decodes must re-encode to bytes that decode to the same packet.
// 2. A live BfdEngine with a single-hop and a multihop session to
//    10.0.0.2 from 10.0.0.1: the input is cut into records
//      [flags][time step][length][payload...]
//    each delivered as a datagram (flags pick the port, TTL, source address,
//    and may patch Your Discriminator to the session's own so that packets
//    get past demultiplexing), interleaved with timer runs and, per flags,
//    administrative and parameter changes.
// Invariants checked: every datagram the engine sends decodes cleanly (so
// its packets always pass a peer's RFC 5880 6.8.6 checks), goes to port
// 3784/4784 from 49152-65535 with TTL 255; Init/Up imply a known remote
// discriminator; NextDeadline never lies in the past after Advance.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>

#include "engine/bfd/bfd_engine.h"
#include "engine/bfd/transport.h"
#include "engine/wire/bfd/codec.h"

namespace vipcast::fuzz {

inline std::string CheckBfdCodec(core::ByteSpan input) {
  using namespace wire::bfd;
  for (AuthPolicy policy : {AuthPolicy::kRejectAsUnsupported, AuthPolicy::kParse}) {
    auto decoded = Decode(input, policy);
    if (!decoded.ok()) {
      if (decoded.error().detail.empty()) return "decode error without detail";
      continue;
    }
    const core::Bytes encoded = Encode(decoded.value());
    if (encoded.size() != decoded.value().EncodedLength()) return "EncodedLength mismatch";
    auto again = Decode(encoded, policy);
    if (!again.ok()) return "re-encoded packet fails to decode: " + again.error().detail;
    if (!(again.value() == decoded.value())) return "round trip changed the packet";
  }
  return "";
}

inline std::string CheckBfdOutput(const core::Outbox& out) {
  for (const core::Action& action : out.actions()) {
    const auto* send = std::get_if<core::SendDatagram>(&action);
    if (send == nullptr) continue;
    auto decoded = wire::bfd::Decode(send->payload);
    if (!decoded.ok()) return "engine sent an invalid packet: " + decoded.error().detail;
    if (send->ttl != bfd::kTransmitTtl) return "engine sent TTL != 255";
    if (send->local.port < bfd::kMinSourcePort) return "source port below 49152";
    if (send->remote.port != bfd::kSingleHopControlPort &&
        send->remote.port != bfd::kMultiHopControlPort) {
      return "wrong destination port";
    }
    if (decoded->poll && decoded->final) return "P and F both set";
  }
  return "";
}

inline std::string CheckBfdSessions(const bfd::BfdEngine& engine, core::TimePoint now) {
  for (const bfd::SessionInfo& s : engine.Sessions()) {
    const bool live = s.state == wire::bfd::State::kInit || s.state == wire::bfd::State::kUp;
    if (live && s.remote_discriminator == 0) return "Init/Up with remote discriminator 0";
    if (s.local_discriminator == 0) return "zero local discriminator";
  }
  if (engine.NextDeadline() <= now) return "deadline in the past after Advance";
  return "";
}

// Returns "" when every invariant held, else what broke.
inline std::string FuzzBfdPacket(const uint8_t* data, size_t size) {
  const core::ByteSpan input(data, size);
  if (std::string e = CheckBfdCodec(input); !e.empty()) return e;

  core::Rng rng(0x5eed);
  bfd::BfdEngine engine(rng, bfd::EngineLimits{4, 64});
  const core::IpAddr local = core::Ipv4Addr::FromOctets(10, 0, 0, 1);
  const core::IpAddr peer = core::Ipv4Addr::FromOctets(10, 0, 0, 2);
  const bfd::SessionKey single{peer, local, bfd::HopMode::kSingleHop};
  const bfd::SessionKey multi{peer, local, bfd::HopMode::kMultiHop};
  core::TimePoint now = core::TimePoint::Epoch();
  core::Outbox out;
  bfd::SessionParameters params;
  params.desired_min_tx = core::Duration::Milliseconds(50);
  params.required_min_rx = core::Duration::Milliseconds(50);
  if (!engine.AddSession(now, bfd::SessionConfig{single, params, ""}, out).ok()) return "add";
  params.minimum_ttl = 250;
  if (!engine.AddSession(now, bfd::SessionConfig{multi, params, ""}, out).ok()) return "add";

  core::ByteReader in(input);
  while (!in.empty()) {
    const uint8_t flags = in.U8().value_or(0);
    const uint8_t step = in.U8().value_or(0);
    const uint8_t length = in.U8().value_or(0);
    auto payload_span = in.Take(std::min<size_t>(length, in.remaining()));
    core::Bytes payload(payload_span->begin(), payload_span->end());

    const bool to_multi = (flags & 0x01) != 0;
    const bfd::SessionKey& key = to_multi ? multi : single;
    if ((flags & 0x02) != 0 && payload.size() >= 12) {
      const uint32_t d = engine.GetSession(key)->local_discriminator;
      payload[8] = static_cast<uint8_t>(d >> 24);
      payload[9] = static_cast<uint8_t>(d >> 16);
      payload[10] = static_cast<uint8_t>(d >> 8);
      payload[11] = static_cast<uint8_t>(d);
    }
    core::DatagramReceived datagram;
    datagram.local = core::Endpoint{local, bfd::ControlPort(key.hop)};
    datagram.remote = core::Endpoint{
        (flags & 0x08) != 0 ? core::IpAddr(core::Ipv4Addr(0x0a000063)) : peer, 49152};
    datagram.ttl = (flags & 0x04) != 0 ? static_cast<uint8_t>(step) : 255;
    datagram.payload = std::move(payload);
    engine.Handle(now, datagram, out);
    if ((flags & 0x10) != 0) engine.SetAdminDown(now, key, (flags & 0x20) != 0, out);
    if ((flags & 0x40) != 0) {
      bfd::SessionParameters changed = params;
      changed.desired_min_tx = core::Duration::Milliseconds(10 + step);
      changed.required_min_rx = core::Duration::Milliseconds(10 + (step ^ 0x5a));
      changed.detect_mult = static_cast<uint8_t>(1 + step % 5);
      changed.passive = (flags & 0x80) != 0;
      (void)engine.UpdateSession(now, key, changed, out);
    }
    if (std::string e = CheckBfdOutput(out); !e.empty()) return e;
    out.Drain();

    now += core::Duration::Milliseconds(step);
    // Run every timer due by now, as a runtime would.
    for (int guard = 0; engine.NextDeadline() <= now; ++guard) {
      if (guard > 1000) return "timer loop does not make progress";
      engine.Advance(now, out);
    }
    if (std::string e = CheckBfdOutput(out); !e.empty()) return e;
    if (std::string e = CheckBfdSessions(engine, now); !e.empty()) return e;
    (void)engine.DrainStateChanges();
    out.Drain();
  }
  return "";
}

}  // namespace vipcast::fuzz
