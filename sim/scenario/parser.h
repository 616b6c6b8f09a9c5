// The scenario reader's shared state and its section readers (internal to
// sim/scenario; loader.cc drives them).
//
// Reading goes top to bottom once. References whose targets may be defined
// further down (a service that an `apply:` fault adds, a traffic name) are
// recorded and checked at the end, so that every problem is reported once
// and no problem hides another.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/config/diagnostic.h"
#include "engine/config/loader.h"
#include "sim/scenario/manifest_set.h"
#include "sim/scenario/scenario.h"
#include "sim/scenario/topology.h"
#include "sim/scenario/values.h"

namespace vipcast::sim::detail {

// Which hosts a reference may name.
struct HostRule {
  bool nodes = true;
  bool clients = false;
  bool routers = false;
  bool switches = false;
  bool announcer = false;                   // announcer(NS/SVC)
  const char* expected = "a cluster node";  // for "... is a client; expected ..."
};

class ScenarioParser {
 public:
  ScenarioParser(std::string file, std::string base_dir, std::string topologies_dir);

  ParseContext& ctx() { return ctx_; }
  const std::string& file() const { return file_; }
  std::vector<config::Diagnostic>& diagnostics() { return diagnostics_; }
  const std::map<std::string, std::string>& inline_files() const { return inline_files_; }

  // Section readers; each reports its own problems.
  void ReadTopology(MapReader& root, Scenario& out);
  void ReadManifests(MapReader& root, Scenario& out);
  std::optional<Probe> ReadProbe(const Value& item);
  std::optional<Fault> ReadFault(const Value& item);
  std::optional<Expectation> ReadExpectation(const Value& item);
  // Runs the faults in time order over the manifests: the state after each
  // `apply:` and `delete:`, and the problems each one introduces.
  void ResolveFaultManifests(Scenario& out);
  // Checks the references recorded while reading.
  void CheckReferences();

  // Value readers shared by the sections.
  std::optional<HostRef> ReadHostRef(const Value& v, const HostRule& rule);
  std::optional<std::string> ReadHost(const Value& v, const HostRule& rule);
  // A time in the scenario (`at`, `from`, `until`): 0 or more, not after the end.
  std::optional<core::Duration> ReadTime(const Value& v);
  // "NS/NAME" of a Service that the manifests must define (checked at the end).
  std::optional<std::string> ReadServiceRef(const Value& v);
  void RequireTraffic(const Value& v, const std::string& name);
  std::optional<std::map<std::string, std::vector<std::string>>> ReadEndpoints(const Value& v);
  // A `manifests:` list: file paths (relative to the scenario's directory)
  // and inline documents.
  std::vector<config::ManifestText> ReadManifestList(const Value& v);

  void set_duration(std::optional<core::Duration> d) { duration_ = d; }
  void AddTraffic(const std::string& name) { traffic_.insert(name); }

 private:
  // One reader per fault action with a structured value (faults.cc);
  // `v` is present (not null).
  std::optional<FaultAction> ReadLinkAction(const std::string& key, const Value& v);
  std::optional<FaultAction> ReadPartition(const Value& v);
  std::optional<FaultAction> ReadLossOrDelay(const std::string& key, const Value& v,
                                             std::optional<core::Duration> at);
  // Also sets `text` to the report's rendering ("apply: [Service default/web]").
  std::optional<FaultAction> ReadApply(const Value& v, std::string& text);
  std::optional<FaultAction> ReadDelete(const Value& v);

  struct Reference {
    int line;
    std::string path;
    std::string name;
  };

  std::string file_, base_dir_, topologies_dir_;
  std::vector<config::Diagnostic> diagnostics_;
  ParseContext ctx_;
  std::map<std::string, std::string> inline_files_;  // inline manifest name -> scenario file
  std::optional<HostSet> hosts_;                     // unset when the topology is unusable
  std::optional<core::Duration> duration_;           // unset when invalid
  std::set<std::string> services_;                   // every Service any manifest defines
  bool services_known_ = true;                       // false when some manifest could not be read
  ManifestSet base_;                                 // the scenario's own manifests, by document
  std::set<std::string> base_errors_;  // their load errors, as text, to tell new ones apart
  std::set<std::string> traffic_;
  std::vector<Reference> service_refs_, traffic_refs_;
  // Fault paths ("faults[2]") by line, for problems found after sorting.
  std::map<int, std::string> fault_paths_;
};

}  // namespace vipcast::sim::detail
