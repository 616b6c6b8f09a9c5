#include "prod/speaker/speaker_flags.h"

#include <charconv>
#include <sstream>

#include "prod/common/json_log.h"

namespace vipcast::speaker_main {

const char kSpeakerUsage[] =
    "usage: vipcast-speaker --node NAME --manifests DIR|FILE --secret-file FILE\n"
    "         [--status FILE] [--interface NAME[,NAME...]] [--membership-port PORT]\n"
    "         [--members ADDR:PORT,...] [--address ADDR] [--profile default|metallb]\n"
    "         [--log-level debug|info|warning|error] [--seed N]\n"
    "         [--metrics-address ADDR:PORT|none]  (default 0.0.0.0:7472: /metrics, /healthz,\n"
    "                                              /readyz; port 0 picks a free port)\n";

namespace {

std::vector<std::string> SplitCommas(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

template <typename T>
bool ParseUnsigned(const std::string& text, T max, T* out) {
  uint64_t v = 0;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || v > max) return false;
  *out = static_cast<T>(v);
  return true;
}

}  // namespace

core::Result<core::Endpoint> ParseEndpoint(const std::string& text, uint16_t default_port,
                                           bool allow_port_zero) {
  std::string host = text;
  std::optional<std::string> port;
  if (!text.empty() && text[0] == '[') {
    const size_t close = text.find(']');
    if (close == std::string::npos) return core::MakeErr("\"" + text + "\": missing ]");
    host = text.substr(1, close - 1);
    if (close + 1 < text.size()) {
      if (text[close + 1] != ':') return core::MakeErr("\"" + text + "\": expected :PORT");
      port = text.substr(close + 2);
    }
  } else if (const size_t colon = text.rfind(':');
             colon != std::string::npos && text.find(':') == colon) {
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  auto address = core::IpAddr::Parse(host);
  if (!address) return core::MakeErr("\"" + text + "\": " + address.error());
  core::Endpoint e{*address, default_port};
  if (port &&
      (!ParseUnsigned<uint16_t>(*port, 65535, &e.port) || (e.port == 0 && !allow_port_zero))) {
    return core::MakeErr("\"" + text + "\": bad port");
  }
  return e;
}

core::Result<SpeakerFlags> ParseSpeakerFlags(const std::vector<std::string>& args) {
  SpeakerFlags f;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string flag = args[i];
    std::optional<std::string> inline_value;
    if (const size_t eq = flag.find('='); flag.rfind("--", 0) == 0 && eq != std::string::npos) {
      inline_value = flag.substr(eq + 1);
      flag = flag.substr(0, eq);
    }
    if (flag == "--help" || flag == "-h") {
      f.help = true;
      continue;
    }
    std::string value;
    if (inline_value) {
      value = *inline_value;
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return core::MakeErr(flag + " needs a value");
    }
    if (flag == "--node") {
      f.node = value;
    } else if (flag == "--manifests") {
      f.manifests.push_back(value);
    } else if (flag == "--status") {
      f.status = value;
    } else if (flag == "--interface") {
      for (auto& name : SplitCommas(value)) f.interfaces.push_back(name);
    } else if (flag == "--membership-port") {
      if (!ParseUnsigned<uint16_t>(value, 65535, &f.membership_port) || f.membership_port == 0) {
        return core::MakeErr("--membership-port: \"" + value + "\" is not a port");
      }
    } else if (flag == "--members") {
      for (const auto& item : SplitCommas(value)) {
        auto e = ParseEndpoint(item, 0);
        if (!e) return core::MakeErr("--members: " + e.error());
        f.members.push_back(*e);
      }
    } else if (flag == "--address") {
      auto a = core::IpAddr::Parse(value);
      if (!a) return core::MakeErr("--address: " + a.error());
      f.address = *a;
    } else if (flag == "--secret-file") {
      f.secret_file = value;
    } else if (flag == "--profile") {
      f.profile = value;
    } else if (flag == "--log-level") {
      auto level = prod::ParseLogLevel(value);
      if (!level) return core::MakeErr("--log-level: " + level.error());
      f.log_level = *level;
    } else if (flag == "--metrics-address") {
      if (value == "none") {
        f.metrics_address.reset();
      } else {
        auto e = ParseEndpoint(value, kDefaultMetricsPort, /*allow_port_zero=*/true);
        if (!e) return core::MakeErr("--metrics-address: " + e.error());
        f.metrics_address = *e;
      }
    } else if (flag == "--seed") {
      if (!ParseUnsigned<uint64_t>(value, UINT64_MAX, &f.seed)) {
        return core::MakeErr("--seed: \"" + value + "\" is not a number");
      }
    } else {
      return core::MakeErr("unknown flag " + flag);
    }
  }
  if (f.help) return f;
  if (f.node.empty()) return core::MakeErr(std::string("--node is required"));
  if (f.manifests.empty()) return core::MakeErr(std::string("--manifests is required"));
  if (f.secret_file.empty()) return core::MakeErr(std::string("--secret-file is required"));
  // Seeds without a port use the membership port.
  for (auto& m : f.members) {
    if (m.port == 0) m.port = f.membership_port;
  }
  return f;
}

}  // namespace vipcast::speaker_main
