// `expect:` entries: {CHECK: VALUE}, one check each.
#include <algorithm>

#include "engine/config/scalar.h"
#include "sim/scenario/parser.h"
#include "sim/scenario/yaml_text.h"

namespace vipcast::sim::detail {
namespace {

using config::detail::DescribeNode;
using config::detail::Quote;
using config::detail::ReadString;
using config::detail::YamlNode;

const std::vector<std::string>& CheckNames() {
  static const std::vector<std::string> kNames = {
      "max_outage",           "max_loss",     "announcers", "converged_within",
      "no_spurious_failover", "bgp_sessions", "routes",     "assignments"};
  return kNames;
}

bool IsAbsent(const Value& v) { return !v.node.IsDefined() || v.node.IsNull(); }

constexpr int64_t kMaxCount = 100'000;
constexpr HostRule kRouterHost{.nodes = false, .routers = true, .expected = "a router"};
constexpr HostRule kNexthop{.nodes = true, .routers = true, .expected = "a node or a router"};

}  // namespace

std::optional<Expectation> ScenarioParser::ReadExpectation(const Value& item) {
  if (!item.node.IsMap() || item.node.Size() != 1) {
    if (item.node.IsMap() && item.node.Size() > 1) {
      ctx_.Error(item.line, item.path,
                 "one check per entry; this one has " + std::to_string(item.node.Size()) + " keys");
    } else {
      ctx_.Error(item.line, item.path,
                 "expected a check as {NAME: ...}, one of " + JoinNames(CheckNames()) + "; got " +
                     DescribeNode(item.node));
    }
    return std::nullopt;
  }
  const size_t errors_before = ctx_.error_count();
  auto outer = MapReader::Open(ctx_, item);
  if (!outer) return std::nullopt;
  // Only to learn the key's name and report it (with a suggestion) if unknown.
  for (const auto& name : CheckNames()) outer->Ignore({name});
  outer->Finish();
  if (ctx_.error_count() != errors_before) return std::nullopt;
  const std::string key = item.node.KeyAt(0).Scalar();
  const Value v{item.node.ValueAt(0), outer->PathOf(key), outer->LineOfKey(key)};
  std::string text = key + ": " + (IsAbsent(v) ? std::string("{}") : CompactText(v.node));

  std::optional<ExpectationKind> check;
  if (key == "no_spurious_failover") {
    if (!IsAbsent(v)) {
      if (auto m = MapReader::Open(ctx_, v)) m->Finish();  // {} only
    }
    check = NoSpuriousFailover{};
  } else if (key == "converged_within") {
    // `converged_within: 2s` or `converged_within: {limit: 2s}`.
    if (v.node.IsMap()) {
      if (auto m = MapReader::Open(ctx_, v)) {
        m->Require("limit");
        if (auto limit = GetDuration(*m, "limit")) check = ConvergedWithin{*limit};
        m->Finish();
      }
    } else if (IsAbsent(v)) {
      ctx_.Error(v.line, v.path, "missing value; expected {limit: DURATION}");
    } else if (auto limit = ReadDuration(ctx_, v)) {
      check = ConvergedWithin{*limit};
    }
  } else if (key == "assignments") {
    if (!v.node.IsMap() || v.node.Size() == 0) {
      ctx_.Error(v.line, v.path,
                 "expected a map of service (NAMESPACE/NAME) to IP address or pending, got " +
                     DescribeNode(v.node));
    } else {
      Assignments a;
      for (size_t i = 0; i < v.node.Size(); ++i) {
        const int line = config::detail::LineOf(v.node.KeyAt(i), v.line);
        auto service = ReadServiceRef(Value{v.node.KeyAt(i), v.path, line});
        if (!service) continue;
        const Value value{v.node.ValueAt(i), v.path + "[" + Quote(*service) + "]", line};
        if (a.expected.count(*service) != 0) {
          ctx_.Error(line, value.path, "duplicate service");
          continue;
        }
        auto s = ReadString(ctx_, value);
        if (!s) {
          if (IsAbsent(value)) ctx_.Error(line, value.path, "expected an IP address or pending");
          continue;
        }
        if (*s == "pending") {
          a.expected[*service] = std::nullopt;
          continue;
        }
        auto ip = core::IpAddr::Parse(*s);
        if (!ip.ok()) {
          ctx_.Error(line, value.path, "expected an IP address or pending, got " + Quote(*s));
          continue;
        }
        a.expected[*service] = *ip;
      }
      check = std::move(a);
    }
  } else if (IsAbsent(v)) {
    ctx_.Error(v.line, v.path, "missing value");
  } else if (auto m = MapReader::Open(ctx_, v)) {
    if (key == "max_outage" || key == "max_loss") {
      m->Require("traffic");
      m->Require("limit");
      auto traffic = m->String("traffic");
      if (traffic) RequireTraffic(*m->Get("traffic"), *traffic);
      if (key == "max_outage") {
        auto limit = GetDuration(*m, "limit", DurationRule::kNonNegative);
        if (traffic && limit) check = MaxOutage{*traffic, *limit};
      } else {
        std::optional<double> limit;
        if (auto l = m->Get("limit")) limit = ReadNumber(ctx_, *l, 0, 1);
        if (traffic && limit) check = MaxLoss{*traffic, *limit};
      }
    } else if (key == "announcers") {
      m->Require("service");
      Announcers a;
      std::optional<std::string> service;
      if (auto s = m->Get("service")) service = ReadServiceRef(*s);
      auto exactly = m->Int("exactly", 0, kMaxCount);
      auto at_most = m->Int("at_most", 0, kMaxCount);
      if (m->Has("exactly") && m->Has("at_most")) {
        ctx_.Error(m->LineOfKey("at_most"), m->PathOf("at_most"),
                   "set exactly or at_most, not both");
      } else if (!m->Has("exactly") && !m->Has("at_most")) {
        ctx_.Error(v.line, v.path, "set exactly or at_most");
      }
      std::optional<core::Duration> from = core::Duration::Zero();
      if (auto f = m->Get("from")) from = ReadTime(*f);
      if (service && from && (exactly || at_most)) {
        a.service = *service;
        if (exactly) a.exactly = static_cast<size_t>(*exactly);
        if (at_most) a.at_most = static_cast<size_t>(*at_most);
        a.from = *from;
        check = std::move(a);
      }
    } else if (key == "bgp_sessions") {
      m->Require("router");
      m->Require("established");
      std::optional<std::string> router;
      if (auto r = m->Get("router")) router = ReadHost(*r, kRouterHost);
      auto established = m->Int("established", 0, kMaxCount);
      std::optional<core::Duration> from = core::Duration::Zero();
      if (auto f = m->Get("from")) from = ReadTime(*f);
      if (router && established && from) {
        check = BgpSessions{*router, static_cast<size_t>(*established), *from};
      }
    } else if (key == "routes") {
      m->Require("router");
      m->Require("prefix");
      m->Require("nexthops");
      std::optional<std::string> router;
      if (auto r = m->Get("router")) router = ReadHost(*r, kRouterHost);
      std::optional<core::Prefix> prefix;
      if (auto p = m->Get("prefix")) {
        if (auto s = ReadString(ctx_, *p)) {
          auto parsed = core::Prefix::ParseStrict(*s);
          if (parsed.ok()) {
            prefix = *parsed;
          } else {
            ctx_.Error(p->line, p->path, parsed.error());
          }
        }
      }
      std::optional<std::vector<std::string>> nexthops;
      if (auto list = m->List("nexthops")) {
        nexthops.emplace();
        for (const auto& hop : *list) {
          auto host = ReadHost(hop, kNexthop);
          if (!host) {
            nexthops.reset();
            break;
          }
          nexthops->push_back(*host);
        }
      }
      std::optional<core::Duration> from = core::Duration::Zero();
      if (auto f = m->Get("from")) from = ReadTime(*f);
      if (router && prefix && nexthops && from) {
        check = Routes{*router, *prefix, *nexthops, *from};
      }
    }
    m->Finish();
  }
  if (!check || ctx_.error_count() != errors_before) return std::nullopt;
  return Expectation{*std::move(check), std::move(text), item.line};
}

}  // namespace vipcast::sim::detail
