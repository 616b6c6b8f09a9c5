// How many ARP/NDP request decisions the responder makes per second on one
// core with 1,000 owned VIPs: decode, ownership lookup, reply encoding,
// counters and metric actions, and draining the outbox, as a runtime would.
// Target: over 5 million ARP decisions per second.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "engine/core/io.h"
#include "engine/core/rng.h"
#include "engine/l2/responder.h"
#include "engine/wire/l2/frame.h"
#include "engine/wire/l2/multicast.h"

namespace {

using namespace vipcast;

constexpr int kVips = 1000;
constexpr int kFrames = 4096;
const core::MacAddr kOurMac({0x02, 0, 0, 0, 0, 0x0b});
const core::MacAddr kClient({0x02, 0, 0, 0, 0, 0x0a});
const core::TimePoint kNow = core::TimePoint::Epoch();

core::Ipv4Addr Vip4(uint32_t i) { return core::Ipv4Addr(0x0a000000u + i); }  // 10.0.0.0 + i
core::Ipv6Addr Vip6(uint32_t i) {
  auto a = core::Ipv6Addr::Parse("2001:db8::").value().bytes();
  a[14] = static_cast<uint8_t>(i >> 8);
  a[15] = static_cast<uint8_t>(i);
  return core::Ipv6Addr(a);
}

l2::Responder MakeResponder(bool v6, l2::ResponderOptions options = {}) {
  l2::Responder r(options);
  core::Outbox out;
  r.SetInterfaces(kNow, {{"eth0", kOurMac, {}, true}}, out);
  for (uint32_t i = 0; i < kVips; ++i) {
    r.Own(kNow, v6 ? core::IpAddr(Vip6(i)) : core::IpAddr(Vip4(i)), {}, "ns/svc", out);
  }
  return r;
}

core::Input ArpRequest(core::Ipv4Addr target) {
  wire::L2Frame f{
      {core::MacAddr::Broadcast(), kClient, std::nullopt, 0},
      wire::ArpPacket{wire::ArpOperation::kRequest, kClient,
                      core::Ipv4Addr::FromOctets(10, 1, 0, 1), core::MacAddr(), target}};
  return core::FrameReceived{"eth0", wire::EncodeFrame(f)};
}

core::Input Solicitation(core::Ipv6Addr target) {
  wire::NdpPacket p;
  p.ip.src = core::Ipv6Addr::Parse("2001:db8:1::1").value();
  p.ip.dst = wire::SolicitedNodeAddress(target);
  p.message = wire::NeighborSolicitation{target, kClient};
  wire::L2Frame f{{wire::MulticastMac(p.ip.dst), kClient, std::nullopt, 0}, p};
  return core::FrameReceived{"eth0", wire::EncodeFrame(f)};
}

void Run(benchmark::State& state, l2::Responder& r, const std::vector<core::Input>& inputs) {
  core::Outbox out;
  size_t i = 0;
  for (auto _ : state) {
    r.Handle(kNow, inputs[i], out);
    benchmark::DoNotOptimize(out.Drain());
    i = (i + 1) % inputs.size();
  }
  state.SetItemsProcessed(state.iterations());
}

// Requests for owned VIPs: every one is answered.
void BM_ArpRequestForOwnedVip(benchmark::State& state) {
  l2::Responder r = MakeResponder(false);
  core::Rng rng(1);
  std::vector<core::Input> inputs;
  for (int i = 0; i < kFrames; ++i) inputs.push_back(ArpRequest(Vip4(rng.Uniform(kVips))));
  Run(state, r, inputs);
}
BENCHMARK(BM_ArpRequestForOwnedVip);

// The same with a MetricChanged pair for every answer (metrics_interval 0)
// instead of the default folding: the cost of per-change metric actions.
void BM_ArpRequestForOwnedVipMetricPerAnswer(benchmark::State& state) {
  l2::Responder r = MakeResponder(false, l2::ResponderOptions{{}, core::Duration::Zero()});
  core::Rng rng(1);
  std::vector<core::Input> inputs;
  for (int i = 0; i < kFrames; ++i) inputs.push_back(ArpRequest(Vip4(rng.Uniform(kVips))));
  Run(state, r, inputs);
}
BENCHMARK(BM_ArpRequestForOwnedVipMetricPerAnswer);

// Requests for other hosts' addresses, the bulk of ARP on a busy LAN.
void BM_ArpRequestForOtherHost(benchmark::State& state) {
  l2::Responder r = MakeResponder(false);
  core::Rng rng(2);
  std::vector<core::Input> inputs;
  for (int i = 0; i < kFrames; ++i) inputs.push_back(ArpRequest(Vip4(kVips + rng.Uniform(50000))));
  Run(state, r, inputs);
}
BENCHMARK(BM_ArpRequestForOtherHost);

// Neighbor Solicitations for owned IPv6 VIPs (checksum verify + compute).
void BM_NeighborSolicitationForOwnedVip(benchmark::State& state) {
  l2::Responder r = MakeResponder(true);
  core::Rng rng(3);
  std::vector<core::Input> inputs;
  for (int i = 0; i < kFrames; ++i) inputs.push_back(Solicitation(Vip6(rng.Uniform(kVips))));
  Run(state, r, inputs);
}
BENCHMARK(BM_NeighborSolicitationForOwnedVip);

// The decoder alone, for reference.
void BM_ParseArpFrame(benchmark::State& state) {
  const auto frame = std::get<core::FrameReceived>(ArpRequest(Vip4(7))).frame;
  for (auto _ : state) benchmark::DoNotOptimize(wire::ParseFrame(frame));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseArpFrame);

}  // namespace

BENCHMARK_MAIN();
