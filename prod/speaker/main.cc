// vipcast-speaker: one node's speaker (engine/speaker NodeSpeaker: membership,
// election, ARP responder, BGP sessions and BFD) on the Linux runtime
// (prod/common AsioRuntime). See kSpeakerUsage for flags.
//
// Lifecycle:
//  - start: interfaces -> InterfacesChanged; manifests (+ status file) ->
//    ConfigApplied, NodesChanged, ServicesChanged (the order sim/ns3 uses);
//  - the manifests and the status file are watched with inotify
//    (prod/common/file_watch.h): each burst of changes (a file written and
//    closed, an editor's or the controller's rename over a file, a delete)
//    re-reads them 100 ms after its last event, not on a file still being
//    written (file_watch.h); a kernel queue overflow forces a reload, and a 10 s
//    safety poll re-reads them regardless; SIGHUP forces a reload. A change
//    that validates is applied, one that does not is logged and the last
//    good state stays in force (ClusterSource). The "manifests applied" log
//    line names what triggered it (start, changed, overflow, poll, sighup);
//  - interfaces are re-listed the moment rtnetlink reports a link or
//    address change (prod/common/asio_runtime.h); the "interfaces" log line
//    names its trigger (start, netlink, netlink-overrun, poll);
//  - SIGTERM/SIGINT: ShutdownRequested (membership leave, every VIP
//    withdrawn, answers stop, BGP routes withdrawn and Cease sent), then the
//    loop runs until the leave has been gossiped (the membership gossip
//    queue is empty, or no other member is live) and every stream byte is
//    with the kernel, or kShutdownLinger has passed, whichever is first, so
//    the process exits well within 2 s. A second signal exits at once.
//
// HTTP (--metrics-address, default 0.0.0.0:7472, MetalLB's port): /metrics
// from a MetricsRegistry fed by the engine's facts (FactMetrics) and the
// reloads below (metallb_k8s_client_*); /healthz while the loop runs;
// /readyz once the engine runs with an accepted configuration, 503 before
// that and during shutdown. A bind failure exits 1 before anything is
// announced.
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <csignal>
#include <fstream>
#include <functional>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "engine/l2/announce_schedule.h"
#include "engine/membership/profile.h"
#include "engine/speaker/node_speaker.h"
#include "prod/common/asio_runtime.h"
#include "prod/common/cluster_source.h"
#include "prod/common/fact_metrics.h"
#include "prod/common/file_watch.h"
#include "prod/common/http_server.h"
#include "prod/common/interfaces.h"
#include "prod/common/json_log.h"
#include "prod/common/metric_families.h"
#include "prod/common/metrics_registry.h"
#include "prod/common/process_metrics.h"
#include "prod/speaker/speaker_flags.h"

namespace vipcast::speaker_main {
namespace {

constexpr auto kShutdownPoll = std::chrono::milliseconds(20);
constexpr auto kShutdownLinger = std::chrono::milliseconds(1500);

core::Result<core::Bytes> ReadSecret(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::MakeErr(path + ": cannot read the secret file");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // A trailing newline from `echo secret > file` is not part of the key.
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return core::Bytes(text.begin(), text.end());
}

// The address other members reach us at: --address, else the first IPv4
// address of the chosen interfaces, preferring those that are up.
core::Result<core::IpAddr> MembershipAddress(const SpeakerFlags& flags) {
  if (flags.address) return *flags.address;
  // Links that are up first; then any, since a link brought up just before
  // the speaker starts may not report its carrier yet.
  // IPv4 first; an IPv6-only node uses a global (not link-local) IPv6
  // address, which the other nodes can reach through a router too.
  const std::vector<prod::LinkInfo> links = prod::ListInterfaces(flags.interfaces);
  for (const bool v4 : {true, false}) {
    for (const bool need_up : {true, false}) {
      for (const prod::LinkInfo& link : links) {
        if (need_up && !link.info.up) continue;
        for (const core::IpAddr& a : link.info.addresses) {
          if (v4 ? a.is_v4() : (a.is_v6() && !a.v6().IsLinkLocal())) return a;
        }
      }
    }
  }
  return core::MakeErr(std::string(
      "no IPv4 or global IPv6 address on the chosen interfaces to advertise for membership; "
      "use --address"));
}

class SpeakerProcess {
 public:
  SpeakerProcess(const SpeakerFlags& flags, prod::JsonLogger& log)
      : flags_(flags),
        log_(log),
        registry_([this](const std::string& name) {
          log_.Write(core::LogLevel::kWarning, "metric without a family, exposed untyped",
                     {{"metric", name}});
        }),
        facts_(registry_, flags.node),
        runtime_(io_, prod::AsioRuntimeOptions{flags.interfaces},
                 [this](const core::Action& fact) {
                   log_.WriteFact(fact);
                   facts_.Record(fact);
                 }),
        source_(flags.manifests, flags.status),
        signals_(io_, SIGTERM, SIGINT, SIGHUP),
        watcher_(io_, prod::FileWatchOptions{},
                 [this](prod::WatchTrigger trigger) {
                   if (shutting_down_) return;
                   const bool overflow = trigger == prod::WatchTrigger::kOverflow;
                   if (overflow) {
                     log_.Write(core::LogLevel::kWarning,
                                "inotify queue overflow: rereading everything");
                   }
                   Reload(/*force=*/overflow, prod::ToString(trigger));
                 }),
        shutdown_timer_(io_) {}

  int Run() {
    auto options = BuildOptions();
    if (!options) {
      log_.Write(core::LogLevel::kError, "bad configuration", {{"error", options.error()}});
      return 2;
    }
    rng_ = std::make_unique<core::Rng>(seed_);
    speaker_ = std::make_unique<speaker::NodeSpeaker>(std::move(options).value(), *rng_);
    if (std::string error = runtime_.OpenUdp(flags_.membership_port); !error.empty()) {
      log_.Write(core::LogLevel::kError, "cannot open the membership port", {{"error", error}});
      return 1;
    }
    RegisterMetrics();
    if (std::string error = ServeHttp(); !error.empty()) {
      log_.Write(core::LogLevel::kError, "cannot serve metrics", {{"error", error}});
      return 1;
    }
    runtime_.Start(*speaker_);
    started_ = true;
    // Watched before the first read, so that a change made while it runs is
    // not missed.
    std::vector<std::string> watched = flags_.manifests;
    if (flags_.status) watched.push_back(*flags_.status);
    if (auto ok = watcher_.Watch(watched); !ok) {
      log_.Write(core::LogLevel::kWarning, "cannot watch every path; polling covers the rest",
                 {{"error", ok.error()}});
    }
    Reload(/*force=*/true, "start");
    WaitSignal();
    io_.run();
    log_.Write(core::LogLevel::kInfo, "exiting");
    return 0;
  }

 private:
  core::Result<speaker::NodeSpeakerOptions> BuildOptions() {
    auto self = core::NodeName::Parse(flags_.node);
    if (!self) return core::MakeErr("--node: " + self.error());
    auto profile = membership::ProfileByName(flags_.profile);
    if (!profile) return core::MakeErr("--profile: " + profile.error());
    auto schedule = l2::AnnounceSchedule::Preset(flags_.profile);
    if (!schedule) return core::MakeErr("--profile: " + schedule.error());
    auto key = ReadSecret(flags_.secret_file);
    if (!key) return core::MakeErr(key.error());
    auto address = MembershipAddress(flags_);
    if (!address) return core::MakeErr(address.error());

    speaker::NodeSpeakerOptions o;
    o.l2.membership.self = *self;
    o.l2.membership.endpoint = {*address, flags_.membership_port};
    for (const core::Endpoint& seed : flags_.members) {
      if (seed != o.l2.membership.endpoint) o.l2.membership.seeds.push_back(seed);
    }
    o.l2.membership.profile = *profile;
    o.l2.membership.key = *key;
    // Grows across restarts (membership/config.h): nanoseconds since the
    // Unix epoch at start.
    const auto wall = std::chrono::system_clock::now().time_since_epoch();
    o.l2.membership.boot_id =
        static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(wall).count());
    o.l2.responder.schedule = *schedule;
    o.bgp.node = flags_.node;
    if (auto ok = membership::Validate(o.l2.membership); !ok) {
      return core::MakeErr("membership: " + ok.error());
    }
    seed_ = flags_.seed != 0 ? flags_.seed : o.l2.membership.boot_id;
    log_.Write(core::LogLevel::kInfo, "starting",
               {{"membership", o.l2.membership.endpoint.ToString()},
                {"seeds", std::to_string(o.l2.membership.seeds.size())},
                {"profile", flags_.profile}});
    return o;
  }

  // The registry is kept up to date even without an HTTP server, so that
  // the process behaves the same with --metrics-address none.
  void RegisterMetrics() {
    prod::RegisterEngineFamilies(registry_);
    prod::RegisterSpeakerFamilies(registry_);
    prod::RegisterProcessFamilies(registry_);
    // Present from the first scrape, as MetalLB's are.
    registry_.Set(prod::kMetricConfigLoaded, {}, 0);
    registry_.Set(prod::kMetricConfigStale, {}, 0);
    registry_.Set(prod::kMetricClientUpdates, {}, 0);
    registry_.Set(prod::kMetricClientUpdateErrors, {}, 0);
  }

  // Binds --metrics-address; returns the error text, empty on success (or
  // when disabled).
  std::string ServeHttp() {
    if (!flags_.metrics_address) return {};
    prod::HttpEndpoints endpoints;
    endpoints.metrics = [this] {
      prod::UpdateProcessMetrics(registry_);
      return registry_.Render();
    };
    endpoints.not_ready_reason = [this] { return NotReadyReason(); };
    http_ = std::make_unique<prod::HttpServer>(io_, prod::HttpServerOptions{}, endpoints);
    if (std::string error = http_->Listen(*flags_.metrics_address); !error.empty()) return error;
    log_.Write(core::LogLevel::kInfo, "serving metrics",
               {{"address", flags_.metrics_address->address.ToString()},
                {"port", std::to_string(http_->port())}});
    return {};
  }

  std::string NotReadyReason() const {
    if (shutting_down_) return "shutting down";
    if (!started_) return "engine not started";
    if (!source_.loaded()) return "no configuration accepted yet";
    return {};
  }

  void Reload(bool force, std::string_view trigger) {
    const prod::ReloadOutcome r = source_.Reload(force);
    if (!r.read) return;
    // File mode's counterpart of MetalLB's k8s client metrics: one update
    // per changed read of the manifests and status file.
    registry_.Add(prod::kMetricClientUpdates, {}, 1);
    if (!r.accepted) registry_.Add(prod::kMetricClientUpdateErrors, {}, 1);
    registry_.Set(prod::kMetricConfigLoaded, {}, source_.loaded() ? 1 : 0);
    registry_.Set(prod::kMetricConfigStale, {}, source_.stale() ? 1 : 0);
    for (const auto& w : r.warnings) {
      log_.Write(core::LogLevel::kWarning, "manifest warning", {{"detail", w}});
    }
    if (!r.accepted) {
      for (const auto& e : r.errors) {
        log_.Write(core::LogLevel::kError, "manifests rejected, keeping the last good state",
                   {{"error", e}});
      }
      return;
    }
    const prod::ClusterSnapshot& s = source_.current();
    core::Labels sources{{"trigger", std::string(trigger)}};
    for (const auto& [service, source] : s.sources) sources.emplace_back(service, source);
    log_.Write(core::LogLevel::kInfo, "manifests applied", sources);
    if (r.config_changed) runtime_.Inject(core::ConfigApplied{s.config});
    if (r.nodes_changed) runtime_.Inject(core::NodesChanged{s.nodes});
    if (r.services_changed) runtime_.Inject(core::ServicesChanged{s.services});
  }

  void WaitSignal() {
    signals_.async_wait([this](const boost::system::error_code& ec, int signal) {
      if (ec) return;
      if (signal == SIGHUP) {
        log_.Write(core::LogLevel::kInfo, "SIGHUP: reloading");
        Reload(/*force=*/true, "sighup");
      } else if (!shutting_down_) {
        BeginShutdown(signal);
      } else {
        log_.Write(core::LogLevel::kWarning, "second signal: exiting now");
        Finish();
        return;
      }
      WaitSignal();
    });
  }

  void BeginShutdown(int signal) {
    shutting_down_ = true;
    log_.Write(core::LogLevel::kInfo, "shutting down", {{"signal", std::to_string(signal)}});
    watcher_.Stop();
    runtime_.Inject(core::ShutdownRequested{});
    shutdown_deadline_ = std::chrono::steady_clock::now() + kShutdownLinger;
    PollShutdown();
  }

  void PollShutdown() {
    // The leave is sent in the ShutdownRequested call and then gossiped
    // retransmit-limit times; once the gossip queue is empty, or no other
    // member is live to hear it, there is nothing left to tell the others.
    // BGP: withdrawals and the Cease NOTIFICATION are written in the same
    // call; what the kernel has not taken yet must still go out.
    const bool told = speaker_->l2().membership().gossip_queue_size() == 0 ||
                      speaker_->l2().live_members().size() <= 1;
    if ((told && runtime_.buffered_stream_bytes() == 0) ||
        std::chrono::steady_clock::now() >= shutdown_deadline_) {
      Finish();
      return;
    }
    shutdown_timer_.expires_after(kShutdownPoll);
    shutdown_timer_.async_wait([this](const boost::system::error_code& ec) {
      if (!ec) PollShutdown();
    });
  }

  void Finish() {
    runtime_.Detach();
    if (http_) http_->Stop();
    signals_.cancel();
    watcher_.Stop();
    shutdown_timer_.cancel();
    io_.stop();
  }

  const SpeakerFlags& flags_;
  prod::JsonLogger& log_;
  boost::asio::io_context io_;
  prod::MetricsRegistry registry_;
  prod::FactMetrics facts_;
  prod::AsioRuntime runtime_;
  prod::ClusterSource source_;
  boost::asio::signal_set signals_;
  prod::FileWatcher watcher_;
  boost::asio::steady_timer shutdown_timer_;
  uint64_t seed_ = 1;
  std::unique_ptr<core::Rng> rng_;
  std::unique_ptr<speaker::NodeSpeaker> speaker_;
  std::unique_ptr<prod::HttpServer> http_;
  bool started_ = false;
  bool shutting_down_ = false;
  std::chrono::steady_clock::time_point shutdown_deadline_;
};

}  // namespace
}  // namespace vipcast::speaker_main

int main(int argc, char** argv) {
  using namespace vipcast;
  const std::vector<std::string> args(argv + 1, argv + argc);
  auto flags = speaker_main::ParseSpeakerFlags(args);
  if (!flags) {
    std::cerr << "vipcast-speaker: " << flags.error() << "\n" << speaker_main::kSpeakerUsage;
    return 2;
  }
  if (flags->help) {
    std::cout << speaker_main::kSpeakerUsage;
    return 0;
  }
  prod::JsonLogger log(std::cerr, flags->log_level, flags->node);
  speaker_main::SpeakerProcess process(*flags, log);
  return process.Run();
}
