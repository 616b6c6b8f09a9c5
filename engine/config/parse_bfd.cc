// BFDProfile (metallb.io/v1beta1). Ranges are the CRD's (and MetalLB's
// bfdProfileFromCR's): intervals 10-60000 ms, detectMultiplier 2-255,
// minimumTtl 1-254. Unset fields take FRR bfdd's defaults, which the model
// holds (300/300 ms, x3, echo 50 ms, TTL 254): MetalLB leaves them to FRR.
#include "engine/config/parsers.h"

namespace vipcast::config::detail {
namespace {

void ReadRanged(MapReader& spec, std::string_view key, int64_t min, int64_t max, uint32_t& out) {
  if (auto v = spec.Int(key, min, max)) out = static_cast<uint32_t>(*v);
}

}  // namespace

void ReadBFDProfile(ParseContext& /*ctx*/, MapReader& top, BFDProfile& profile) {
  top.Ignore({"status"});
  auto spec = top.Map("spec");
  if (!spec) return;
  ReadRanged(*spec, "receiveInterval", 10, 60000, profile.receive_interval_ms);
  ReadRanged(*spec, "transmitInterval", 10, 60000, profile.transmit_interval_ms);
  ReadRanged(*spec, "detectMultiplier", 2, 255, profile.detect_multiplier);
  ReadRanged(*spec, "echoInterval", 10, 60000, profile.echo_interval_ms);
  ReadRanged(*spec, "minimumTtl", 1, 254, profile.minimum_ttl);
  profile.echo_mode = spec->Bool("echoMode").value_or(false);
  profile.passive_mode = spec->Bool("passiveMode").value_or(false);
  spec->Finish();
}

}  // namespace vipcast::config::detail
