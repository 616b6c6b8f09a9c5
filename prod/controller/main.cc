// vipcast-controller (file mode): allocates an address to every
// LoadBalancer Service in a set of manifests and publishes the assignments
// in a status file that every vipcast-speaker reads (--status). See
// kControllerUsage for flags and controller.h for what a pass does.
//
// Lifecycle:
//  - start: one forced pass (the previous status file is reclaimed);
//  - the manifests and the status file's directory are watched with
//    inotify (prod/common/file_watch.h): each burst of changes runs a pass,
//    and a 10 s safety poll runs one regardless;
//  - SIGHUP: a forced pass; SIGTERM/SIGINT: exit 0 (the status file is
//    always complete on disk, so there is nothing to flush);
//  - --once: one pass, then exit 0, or 2 when the manifests are invalid,
//    or 1 when the status file cannot be written (no HTTP server).
//
// HTTP (--metrics-address, default 0.0.0.0:7472 as MetalLB's controller):
// /metrics from a MetricsRegistry updated after every pass
// (controller_metrics.h: metallb_allocator_* per pool, metallb_k8s_client_*,
// process_*); /healthz while the loop runs; /readyz once a configuration was
// accepted, 503 before that and during shutdown. The server runs on the
// same io_context as the inotify watcher: one thread, no locks. A bind
// failure exits 1 before the first pass writes anything.
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "prod/common/file_watch.h"
#include "prod/common/http_server.h"
#include "prod/common/json_log.h"
#include "prod/common/metrics_registry.h"
#include "prod/common/process_metrics.h"
#include "prod/controller/controller.h"
#include "prod/controller/controller_flags.h"
#include "prod/controller/controller_metrics.h"

namespace vipcast::controller_main {
namespace {

std::string IpList(const std::vector<core::IpAddr>& ips) {
  std::string out;
  for (const auto& ip : ips) out += (out.empty() ? "" : ",") + ip.ToString();
  return out;
}

void LogChange(prod::JsonLogger& log, const ipam::Change& c) {
  core::Labels fields{{"service", c.service}};
  if (!c.ips.empty()) fields.emplace_back("ips", IpList(c.ips));
  if (!c.pool.empty()) fields.emplace_back("pool", c.pool);
  if (!c.old_ips.empty()) fields.emplace_back("old_ips", IpList(c.old_ips));
  if (!c.old_pool.empty()) fields.emplace_back("old_pool", c.old_pool);
  if (!c.reason.empty()) fields.emplace_back("reason", c.reason);
  const core::LogLevel level =
      c.kind == ipam::ChangeKind::kPending ? core::LogLevel::kWarning : core::LogLevel::kInfo;
  log.Write(level, "service " + std::string(ipam::ToString(c.kind)), fields);
}

void LogPass(prod::JsonLogger& log, const Controller& controller, const PassOutcome& r,
             const std::string& status_file) {
  for (const auto& w : r.warnings) {
    log.Write(core::LogLevel::kWarning, "manifest warning", {{"detail", w}});
  }
  if (r.invalid_input) {
    for (const auto& e : r.errors) {
      log.Write(core::LogLevel::kError, "manifests rejected, keeping the last good state",
                {{"error", e}});
    }
  } else if (r.status_error) {
    for (const auto& e : r.errors) {
      log.Write(core::LogLevel::kError, "cannot write the status file", {{"error", e}});
    }
  }
  if (r.previous_status_used) {
    log.Write(core::LogLevel::kInfo, "read the previous status file",
              {{"file", status_file}, {"services_kept", std::to_string(r.reclaimed)}});
  }
  for (const auto& c : r.changes) LogChange(log, c);
  if (r.status_written) {
    log.Write(core::LogLevel::kInfo, "status file written", {{"file", status_file}});
  }
  if (r.accepted) {
    for (const auto& m : controller.Metrics()) log.WriteFact(m);
  }
}

int ExitCode(const PassOutcome& r) {
  if (r.invalid_input) return 2;
  if (r.status_error) return 1;
  return 0;
}

class ControllerProcess {
 public:
  ControllerProcess(const ControllerFlags& flags, prod::JsonLogger& log)
      : flags_(flags),
        log_(log),
        registry_([this](const std::string& name) {
          log_.Write(core::LogLevel::kWarning, "metric without a family, exposed untyped",
                     {{"metric", name}});
        }),
        metrics_(registry_),
        controller_(ControllerOptions{flags.manifests, flags.status, {flags.lb_class}}),
        signals_(io_, SIGTERM, SIGINT, SIGHUP),
        watcher_(io_, prod::FileWatchOptions{}, [this](prod::WatchTrigger trigger) {
          if (trigger == prod::WatchTrigger::kOverflow) {
            log_.Write(core::LogLevel::kWarning, "inotify queue overflow: rereading everything");
          }
          RunPass(/*force=*/trigger == prod::WatchTrigger::kOverflow);
        }) {}

  int Run() {
    if (flags_.once) return ExitCode(RunPass(/*force=*/true));
    prod::RegisterProcessFamilies(registry_);
    if (std::string error = ServeHttp(); !error.empty()) {
      log_.Write(core::LogLevel::kError, "cannot serve metrics", {{"error", error}});
      return 1;
    }
    log_.Write(core::LogLevel::kInfo, "starting", {{"status", flags_.status}});
    std::vector<std::string> watched = flags_.manifests;
    watched.push_back(flags_.status);
    if (auto ok = watcher_.Watch(watched); !ok) {
      log_.Write(core::LogLevel::kWarning, "cannot watch every path; polling covers the rest",
                 {{"error", ok.error()}});
    }
    RunPass(/*force=*/true);
    WaitSignal();
    io_.run();
    log_.Write(core::LogLevel::kInfo, "exiting");
    return 0;
  }

 private:
  PassOutcome RunPass(bool force) {
    PassOutcome r = controller_.Pass(force);
    LogPass(log_, controller_, r, flags_.status);
    metrics_.Record(r, controller_.Metrics());
    return r;
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
    endpoints.not_ready_reason = [this]() -> std::string {
      if (shutting_down_) return "shutting down";
      if (!controller_.loaded()) return "no configuration accepted yet";
      return {};
    };
    http_ = std::make_unique<prod::HttpServer>(io_, prod::HttpServerOptions{}, endpoints);
    if (std::string error = http_->Listen(*flags_.metrics_address); !error.empty()) return error;
    log_.Write(core::LogLevel::kInfo, "serving metrics",
               {{"address", flags_.metrics_address->address.ToString()},
                {"port", std::to_string(http_->port())}});
    return {};
  }

  void WaitSignal() {
    signals_.async_wait([this](const boost::system::error_code& ec, int signal) {
      if (ec) return;
      if (signal == SIGHUP) {
        log_.Write(core::LogLevel::kInfo, "SIGHUP: reloading");
        RunPass(/*force=*/true);
        WaitSignal();
        return;
      }
      log_.Write(core::LogLevel::kInfo, "shutting down", {{"signal", std::to_string(signal)}});
      shutting_down_ = true;
      watcher_.Stop();
      if (http_) http_->Stop();
      signals_.cancel();
      io_.stop();
    });
  }

  const ControllerFlags& flags_;
  prod::JsonLogger& log_;
  boost::asio::io_context io_;
  prod::MetricsRegistry registry_;
  ControllerMetrics metrics_;
  Controller controller_;
  boost::asio::signal_set signals_;
  prod::FileWatcher watcher_;
  std::unique_ptr<prod::HttpServer> http_;
  bool shutting_down_ = false;
};

}  // namespace
}  // namespace vipcast::controller_main

int main(int argc, char** argv) {
  using namespace vipcast;
  const std::vector<std::string> args(argv + 1, argv + argc);
  auto flags = controller_main::ParseControllerFlags(args);
  if (!flags) {
    std::cerr << "vipcast-controller: " << flags.error() << "\n"
              << controller_main::kControllerUsage;
    return 2;
  }
  if (flags->help) {
    std::cout << controller_main::kControllerUsage;
    return 0;
  }
  if (auto ok = controller_main::CheckStatusOutsideManifests(*flags); !ok) {
    std::cerr << "vipcast-controller: " << ok.error() << "\n" << controller_main::kControllerUsage;
    return 2;
  }
  prod::JsonLogger log(std::cerr, flags->log_level, "");
  controller_main::ControllerProcess process(*flags, log);
  return process.Run();
}
