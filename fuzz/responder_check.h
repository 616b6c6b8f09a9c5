// The property responder_fuzzer checks, shared with the regression replay
// test. A responder with two interfaces owns IPv4 and IPv6 VIPs; the input
// is first fed whole as a frame, then read as a script of records
//   [op][len][len bytes]
// where op selects an interface to deliver a frame on, a time step, or an
// ownership/interface change. Whatever happens: no crash, every frame the
// responder sends parses, is at least 60 bytes and goes out on a known
// interface, and after Advance(now) the next deadline is after now.
#pragma once

#include <cstdlib>
#include <set>
#include <string>
#include <variant>

#include "engine/core/bytes.h"
#include "engine/core/io.h"
#include "engine/l2/responder.h"
#include "engine/wire/l2/frame.h"

namespace vipcast::fuzz {

namespace responder_check {

inline core::IpAddr Vip(size_t i) {
  switch (i % 4) {
    case 0:
      return core::IpAddr::Parse("192.0.2.2").value();
    case 1:
      return core::IpAddr::Parse("192.0.2.3").value();
    case 2:
      return core::IpAddr::Parse("2001:db8::2").value();
    default:
      return core::IpAddr::Parse("2001:db8:1::2").value();
  }
}

inline std::vector<core::InterfaceInfo> Interfaces(bool eth0_up, uint8_t mac_variant) {
  return {{"eth0", core::MacAddr({0x02, 0, 0, 0, 0, 0x0b}), {}, eth0_up},
          {"eth1", core::MacAddr({0x02, 0, 0, 0, mac_variant, 0x0c}), {}, true}};
}

inline void CheckOutputs(core::Outbox& out) {
  for (const core::Action& action : out.Drain()) {
    const auto* send = std::get_if<core::SendFrame>(&action);
    if (send == nullptr) continue;
    if (send->interface != "eth0" && send->interface != "eth1") std::abort();
    if (send->frame.size() < 60) std::abort();
    if (!wire::ParseFrame(send->frame).ok()) std::abort();
  }
}

// The starting state, built once: copying it is much cheaper per run than
// rebuilding it, which keeps the fuzzer's per-input work (and the coverage
// features it has to track) on the input-dependent paths.
inline const l2::Responder& Prototype() {
  static const l2::Responder prototype = [] {
    l2::Responder r;
    core::Outbox out;
    const core::TimePoint t = core::TimePoint::Epoch();
    r.SetInterfaces(t, Interfaces(true, 0), out);
    r.Own(t, Vip(0), {"eth0"}, "ns/a", out);
    r.Own(t, Vip(1), {}, "ns/b", out);
    r.Own(t, Vip(2), {"eth0"}, "ns/c", out);
    r.Own(t, Vip(3), {}, "ns/d", out);
    CheckOutputs(out);
    return r;
  }();
  return prototype;
}

}  // namespace responder_check

inline void CheckResponder(core::ByteSpan data) {
  using namespace responder_check;
  l2::Responder responder = Prototype();
  core::Outbox out;
  core::TimePoint now = core::TimePoint::Epoch();

  responder.Handle(now, core::FrameReceived{"eth0", core::Bytes(data.begin(), data.end())}, out);
  CheckOutputs(out);

  core::ByteReader script(data);
  while (!script.empty()) {
    const uint8_t op = *script.U8();
    const uint8_t len = script.U8().value_or(0);
    const core::ByteSpan body = script.Take(std::min<size_t>(len, script.remaining())).value();
    switch (op % 8) {
      case 0:
      case 1:
      case 2:
        responder.Handle(
            now,
            core::FrameReceived{op % 2 ? "eth1" : "eth0", core::Bytes(body.begin(), body.end())},
            out);
        break;
      case 3:
        now += core::Duration::Milliseconds(int64_t{len} * 50);
        responder.Advance(now, out);
        if (responder.NextDeadline() <= now) std::abort();
        break;
      case 4:
        responder.Disown(now, Vip(len), out);
        break;
      case 5:
        responder.Own(now, Vip(len),
                      len & 4 ? std::set<std::string>{} : std::set<std::string>{"eth1"}, "ns/x",
                      out);
        break;
      case 6:
        responder.SetInterfaces(now, Interfaces((len & 1) != 0, static_cast<uint8_t>(len >> 1)),
                                out);
        break;
      default:
        responder.Reannounce(now, Vip(len), out);
        break;
    }
    CheckOutputs(out);
  }
}

}  // namespace vipcast::fuzz
