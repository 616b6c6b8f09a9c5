// vipcastctl bgp-decode [--hex] [--pcap] [--mrt] [--as2] FILE|-: every BGP
// message in a file as one JSON object per line, judged as an Established
// session with 4-octet AS numbers (2-octet with --as2) would judge it on
// receipt: RFC 4271 6 / RFC 7606 error, NOTIFICATION code and subcode, and
// the handling. Input: raw message bytes (the default), hex lines (--hex),
// the port-179 TCP streams of a pcap/pcapng (--pcap), or the BGP4MP
// messages of an MRT dump, gzip or not (--mrt).
// Exit 0 whenever the input could be read, malformed messages included; 2
// on bad usage or input that cannot be read (missing file, bad hex line,
// truncated capture or dump), with the file and position on stderr.
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "prod/common/mrt/mrt_reader.h"
#include "prod/ctl/bgp_decode_capture.h"
#include "prod/ctl/bgp_decode_input.h"
#include "prod/ctl/bgp_decode_json.h"
#include "prod/ctl/bgp_decode_stream.h"
#include "prod/ctl/command.h"

namespace vipcast::ctl {
namespace {

constexpr char kUsage[] = "bgp-decode [--hex] [--pcap] [--mrt] [--as2] FILE|-";
constexpr int kUnreadable = 2;

enum class InputKind { kRaw, kHex, kPcap, kMrt };

struct DecodeArgs {
  InputKind kind = InputKind::kRaw;
  bool four_octet_as = true;
  std::string path;
};

int UsageError(CommandContext& ctx, const std::string& message) {
  ctx.err << "vipcastctl bgp-decode: " << message << "\nusage: vipcastctl " << kUsage << "\n";
  return 2;
}

int Unreadable(CommandContext& ctx, const std::string& name, const std::string& message) {
  ctx.err << "vipcastctl bgp-decode: " << name << ": " << message << "\n";
  return kUnreadable;
}

int DecodeRaw(CommandContext& ctx, core::ByteSpan data, const wire::bgp::SessionOptions& options) {
  BgpStreamDecoder decoder(options);
  decoder.Feed(data, {}, ctx.out);
  decoder.Finish({}, ctx.out);
  return 0;
}

int DecodeHex(CommandContext& ctx, const std::string& name, core::ByteSpan data,
              const wire::bgp::SessionOptions& options) {
  auto lines = ParseHexLines(data);
  if (!lines) return Unreadable(ctx, name, lines.error());
  for (const auto& m : *lines) {
    ctx.out << DecodedMessageJson(m.bytes, options, MessageSource().Add("line", m.line)) << "\n";
  }
  return 0;
}

int DecodePcap(CommandContext& ctx, const std::string& name, core::ByteSpan data,
               const wire::bgp::SessionOptions& options) {
  auto capture = ReadCaptureSegments(data);
  if (!capture) return Unreadable(ctx, name, capture.error());
  // First pass: which sequence-space gaps the capture never fills.
  std::map<std::string, TcpReassembler> first_pass;
  for (const TcpSegment& s : capture->segments)
    first_pass[s.flow].Add(s.seq, s.syn, s.payload, s.frame);
  struct Flow {
    TcpReassembler reassembler;
    BgpStreamDecoder decoder;
    uint64_t last_frame = 0;
  };
  std::map<std::string, Flow> flows;
  std::vector<std::string> order;  // flows by first appearance
  auto deliver = [&](Flow& flow, const std::string& key, const TcpReassembler::Delivery& d) {
    MessageSource source;
    source.Add("frame", d.frame).Add("flow", key);
    if (d.skipped > 0) {
      flow.decoder.Restart(d.skipped, source, ctx.out);
      source.Add("after_capture_gap", uint64_t{d.skipped});
    }
    if (!d.data.empty()) flow.decoder.Feed(d.data, source, ctx.out);
  };
  for (const TcpSegment& s : capture->segments) {
    auto it = flows.find(s.flow);
    if (it == flows.end()) {
      first_pass[s.flow].Flush();
      it = flows
               .try_emplace(s.flow, Flow{TcpReassembler(first_pass[s.flow].skipped_gaps()),
                                         BgpStreamDecoder(options), 0})
               .first;
      order.push_back(s.flow);
    }
    Flow& flow = it->second;
    flow.last_frame = s.frame;
    deliver(flow, s.flow, flow.reassembler.Add(s.seq, s.syn, s.payload, s.frame));
  }
  for (const std::string& key : order) {
    Flow& flow = flows.at(key);
    // Held data the second pass could not place (gaps partly filled late).
    for (const auto& d : flow.reassembler.Flush()) deliver(flow, key, d);
    flow.decoder.Finish(MessageSource().Add("frame", flow.last_frame).Add("flow", key), ctx.out);
  }
  if (capture->unsupported_frames > 0) {
    ctx.err << "vipcastctl bgp-decode: " << name << ": " << capture->unsupported_frames
            << " frames skipped (link type";
    for (uint32_t t : capture->unsupported_link_types) ctx.err << " " << t;
    ctx.err << " not supported)\n";
  }
  return 0;
}

int DecodeMrt(CommandContext& ctx, const std::string& name, core::ByteSpan data) {
  mrt::MrtReader reader(data);
  for (uint64_t record = 1;; ++record) {
    const size_t offset = reader.position();
    const std::string where =
        "record " + std::to_string(record) + " at offset " + std::to_string(offset);
    auto next = reader.Next();
    if (!next) return Unreadable(ctx, name, where + ": " + next.error());
    if (!next->has_value()) break;
    const mrt::MrtRecord& r = **next;
    auto parsed = mrt::ParseBgp4mpMessage(r);
    if (!parsed) continue;  // not a BGP message (state change, table dump)
    if (!parsed->ok()) return Unreadable(ctx, name, where + ": " + parsed->error());
    const mrt::Bgp4mpMessage& m = parsed->value();
    // RFC 6396 4.4: the subtype says whether the session used 4-octet AS
    // numbers (and ADD-PATH, RFC 8050), so the record decides, not a flag.
    wire::bgp::SessionOptions options = DecodeSessionOptions(m.four_octet_as);
    options.add_path = m.add_path;
    MessageSource source;
    source.Add("record", record)
        .Add("timestamp", uint64_t{r.timestamp})
        .Add("peer_as", uint64_t{m.peer_as.value()})
        .Add("peer_ip", m.peer_ip.ToString());
    ctx.out << DecodedMessageJson(m.message, options, source) << "\n";
  }
  return 0;
}

int RunBgpDecode(CommandContext& ctx) {
  std::vector<std::string> flags, positional;
  if (!ParseFlags(ctx, {"--hex", "--pcap", "--mrt", "--as2", "--help"}, &flags, &positional)) {
    ctx.err << "usage: vipcastctl " << kUsage << "\n";
    return 2;
  }
  DecodeArgs args;
  int kinds = 0;
  for (const auto& flag : flags) {
    if (flag.find('=') != std::string::npos) return UsageError(ctx, flag + " takes no value");
    if (flag == "--help") {
      ctx.out << "usage: vipcastctl " << kUsage << "\n";
      return 0;
    }
    if (flag == "--as2") {
      args.four_octet_as = false;
      continue;
    }
    ++kinds;
    args.kind = flag == "--hex"    ? InputKind::kHex
                : flag == "--pcap" ? InputKind::kPcap
                                   : InputKind::kMrt;
  }
  if (kinds > 1) return UsageError(ctx, "--hex, --pcap and --mrt exclude each other");
  if (args.kind == InputKind::kMrt && !args.four_octet_as) {
    return UsageError(ctx,
                      "--as2 does not apply to --mrt: each BGP4MP record says whether its "
                      "session used 4-octet AS numbers");
  }
  if (positional.size() != 1) return UsageError(ctx, "expected exactly one FILE (or - for stdin)");
  args.path = positional[0];
  const std::string name = args.path == "-" ? "<stdin>" : args.path;

  auto data = ReadInputFile(args.path);
  if (!data) {
    ctx.err << "vipcastctl bgp-decode: " << data.error() << "\n";
    return kUnreadable;
  }
  const wire::bgp::SessionOptions options = DecodeSessionOptions(args.four_octet_as);
  switch (args.kind) {
    case InputKind::kRaw:
      return DecodeRaw(ctx, *data, options);
    case InputKind::kHex:
      return DecodeHex(ctx, name, *data, options);
    case InputKind::kPcap:
      return DecodePcap(ctx, name, *data, options);
    case InputKind::kMrt: {
      // MRT dumps are published gzip-compressed.
      if (!IsGzip(*data)) return DecodeMrt(ctx, name, *data);
      auto plain = Gunzip(*data);
      if (!plain) return Unreadable(ctx, name, plain.error());
      return DecodeMrt(ctx, name, *plain);
    }
  }
  return 0;
}

}  // namespace

VIPCAST_CTL_COMMAND(bgp_decode, "bgp-decode", kUsage,
                    "decode BGP messages (raw, --hex lines, --pcap, --mrt) to JSON lines, "
                    "with the RFC 7606 handling of malformed ones",
                    RunBgpDecode);

}  // namespace vipcast::ctl
