// BGP codec throughput on real data and the cost of a full-table send.
//
// Decode: every BGP message of the RIPE RIS 2016 update dump (17,384
// BGP4MP_MESSAGE_AS4 records, 2.4 MB uncompressed) through DecodeMessage,
// in bytes/s, next to a memcpy of the same messages in the same binary so
// the number means something on any machine; `vs_memcpy` is the decode rate
// divided by the memcpy rate.
// Encode: 100,000 /32 VIPs (one attribute set) advertised to a peer, built
// into UPDATEs by the Adj-RIB-Out and encoded, as a speaker does after a
// session comes up. Target: under 50 ms (the time column, in ms).
#include <benchmark/benchmark.h>
#include <zlib.h>

#include <cstring>
#include <ctime>
#include <string>
#include <vector>

#include "engine/bgp/adj_rib_out.h"
#include "engine/wire/bgp/message.h"
#include "prod/common/mrt/mrt_reader.h"

#ifndef VIPCAST_BGP_DATA_DIR
#error "VIPCAST_BGP_DATA_DIR must name the shared BGP data directory (see bench/CMakeLists.txt)"
#endif

namespace vipcast::wire::bgp {
namespace {

namespace speaker = ::vipcast::bgp;  // the session side: Adj-RIB-Out, OPEN building

constexpr char kUpdateDump[] = VIPCAST_BGP_DATA_DIR "/mrt/updates.20160811.1600.gz";
constexpr int kAdvertisements = 100000;

struct LoadedMessage {
  core::ByteSpan bytes;  // into MrtStream::data
  SessionOptions options;
};

struct MrtStream {
  core::Bytes data;  // the uncompressed dump
  std::vector<LoadedMessage> messages;
  size_t message_bytes = 0;
  size_t largest = 0;
  std::string error;
};

// Loaded once for all benchmarks.
const MrtStream& UpdateStream() {
  static const MrtStream stream = [] {
    MrtStream s;
    gzFile f = gzopen(kUpdateDump, "rb");
    if (f == nullptr) {
      s.error = std::string("cannot open ") + kUpdateDump;
      return s;
    }
    uint8_t buffer[1 << 16];
    int n;
    while ((n = gzread(f, buffer, sizeof buffer)) > 0)
      s.data.insert(s.data.end(), buffer, buffer + n);
    gzclose(f);
    mrt::MrtReader reader(s.data);
    while (true) {
      auto next = reader.Next();
      if (!next.ok()) {
        s.error = kUpdateDump + std::string(": ") + next.error();
        break;
      }
      if (!next->has_value()) break;
      auto parsed = mrt::ParseBgp4mpMessage(**next);
      if (!parsed || !parsed->ok()) continue;
      SessionOptions options;
      options.four_octet_as = parsed->value().four_octet_as;
      options.extended_message = true;  // collectors take up to 65535 octets
      s.messages.push_back({parsed->value().message, options});
      s.message_bytes += parsed->value().message.size();
      s.largest = std::max(s.largest, parsed->value().message.size());
    }
    if (s.messages.empty() && s.error.empty()) s.error = "no BGP messages in the dump";
    return s;
  }();
  return stream;
}

// memcpy of every message into one scratch buffer, for the baseline rate
// (bytes/s) that the decode benchmark divides by.
void CopyAll(const MrtStream& s, core::Bytes& scratch) {
  for (const auto& m : s.messages) {
    std::memcpy(scratch.data(), m.bytes.data(), m.bytes.size());
    benchmark::ClobberMemory();
  }
}

// Measured in process CPU time, as Google Benchmark reports rates, so the
// ratio holds on a loaded machine too.
double MemcpyBytesPerSecond(const MrtStream& s) {
  static const double rate = [&] {
    core::Bytes scratch(s.largest);
    CopyAll(s, scratch);  // warm the caches as the benchmark loop does
    size_t bytes = 0;
    const std::clock_t start = std::clock();
    std::clock_t elapsed = 0;
    while (elapsed < CLOCKS_PER_SEC / 5) {
      CopyAll(s, scratch);
      bytes += s.message_bytes;
      elapsed = std::clock() - start;
    }
    return static_cast<double>(bytes) * CLOCKS_PER_SEC / static_cast<double>(elapsed);
  }();
  return rate;
}

void BM_MemcpyMrtUpdates(benchmark::State& state) {
  const MrtStream& s = UpdateStream();
  if (!s.error.empty()) return state.SkipWithError(s.error.c_str());
  core::Bytes scratch(s.largest);
  for (auto _ : state) CopyAll(s, scratch);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * s.message_bytes));
  state.counters["messages"] = static_cast<double>(s.messages.size());
}
BENCHMARK(BM_MemcpyMrtUpdates)->Unit(benchmark::kMillisecond);

void BM_DecodeMrtUpdates(benchmark::State& state) {
  const MrtStream& s = UpdateStream();
  if (!s.error.empty()) return state.SkipWithError(s.error.c_str());
  const double memcpy_rate = MemcpyBytesPerSecond(s);
  size_t errors = 0;
  std::clock_t cpu = 0;  // process CPU time spent decoding, for the ratio
  for (auto _ : state) {
    errors = 0;
    const std::clock_t start = std::clock();
    for (const auto& m : s.messages) {
      auto decoded = DecodeMessage(m.bytes, m.options);
      errors += decoded.ok() ? 0 : 1;
      benchmark::DoNotOptimize(decoded);
    }
    cpu += std::clock() - start;
  }
  const double bytes = static_cast<double>(state.iterations()) * s.message_bytes;
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["messages"] = static_cast<double>(s.messages.size());
  state.counters["malformed"] = static_cast<double>(errors);
  // Decode rate over memcpy rate, both in process CPU time (a plain ratio).
  if (cpu > 0) {
    state.counters["vs_memcpy"] = bytes * CLOCKS_PER_SEC / static_cast<double>(cpu) / memcpy_rate;
  }
  state.counters["memcpy_bytes_per_second"] = memcpy_rate;
}
BENCHMARK(BM_DecodeMrtUpdates)->Unit(benchmark::kMillisecond);

// 100,000 /32s from 10.0.0.0 up, advertised to an eBGP peer with one
// community: the speaker's whole table after a session comes up.
speaker::RibOut HundredThousandVips() {
  speaker::RibOut rib;
  speaker::RouteAttributes attrs;
  attrs.communities = {(65000u << 16) | 100};
  for (uint32_t i = 0; i < kAdvertisements; ++i) {
    rib.emplace(core::Prefix::Make(core::IpAddr(core::Ipv4Addr((10u << 24) + i)), 32).value(),
                attrs);
  }
  return rib;
}

speaker::UpdateContext EbgpContext() {
  speaker::UpdateContext context;
  context.local_as = core::Asn(65000);
  context.next_hop_v4 = core::Ipv4Addr::FromOctets(192, 0, 2, 1);
  context.next_hop_v6 = core::Ipv6Addr::Parse("2001:db8::1").value();
  context.options.four_octet_as = true;
  return context;
}

// Adj-RIB-Out packing plus encoding, 4096-octet UPDATEs (no Extended
// Message, the conservative case).
void BM_EncodeHundredThousandAdvertisements(benchmark::State& state) {
  const speaker::RibOut rib = HundredThousandVips();
  const speaker::UpdateContext context = EbgpContext();
  size_t updates = 0, bytes = 0, prefixes = 0;
  for (auto _ : state) {
    state.PauseTiming();
    speaker::AdjRibOut out;
    speaker::RibOut desired = rib;
    updates = bytes = prefixes = 0;
    state.ResumeTiming();
    out.SetDesired(std::move(desired));
    while (auto update = out.BuildUpdate(context, kMaxMessageSize)) {
      prefixes += update->nlri.size();
      auto encoded = EncodeMessage(*update, context.options);
      if (!encoded.ok()) return state.SkipWithError(encoded.error().c_str());
      ++updates;
      bytes += encoded->size();
      benchmark::DoNotOptimize(encoded);
    }
  }
  if (prefixes != kAdvertisements) {
    return state.SkipWithError("not every advertisement went into an UPDATE");
  }
  state.counters["updates"] = static_cast<double>(updates);
  state.counters["update_bytes"] = static_cast<double>(bytes);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kAdvertisements));
}
BENCHMARK(BM_EncodeHundredThousandAdvertisements)->Unit(benchmark::kMillisecond);

// The codec alone: the same 100,000 /32s already grouped into UPDATEs.
void BM_EncodeHundredThousandAdvertisementsCodecOnly(benchmark::State& state) {
  const speaker::RibOut rib = HundredThousandVips();
  const speaker::UpdateContext context = EbgpContext();
  speaker::AdjRibOut out;
  out.SetDesired(rib);
  std::vector<UpdateMessage> updates;
  while (auto update = out.BuildUpdate(context, kMaxMessageSize)) updates.push_back(*update);
  size_t bytes = 0;
  for (auto _ : state) {
    bytes = 0;
    for (const auto& update : updates) {
      auto encoded = EncodeMessage(update, context.options);
      bytes += encoded.ok() ? encoded->size() : 0;
      benchmark::DoNotOptimize(encoded);
    }
  }
  state.counters["updates"] = static_cast<double>(updates.size());
  state.counters["update_bytes"] = static_cast<double>(bytes);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kAdvertisements));
}
BENCHMARK(BM_EncodeHundredThousandAdvertisementsCodecOnly)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace vipcast::wire::bgp

BENCHMARK_MAIN();
