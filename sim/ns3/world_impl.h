// Ns3World: sim::World on ns-3 3.37.
//
// Mechanisms (the README of sim/ns3):
//  - Engines: one EngineHost (ns-3 Application) per cluster node runs
//    speaker::NodeSpeaker unchanged; see engine_host.h. Its Rng for boot b is
//    Rng(Rng(seed).Fork(node index + 1).Next()).Fork(b); membership boot id =
//    b. Every boot gets InterfacesChanged (eth0) and then the controller's
//    current snapshots (ConfigApplied, NodesChanged, ServicesChanged, the
//    same shared_ptrs for every engine). Membership seeds: the next 8 nodes
//    in ring order (all others up to 9 nodes).
//  - Topology: topology.h (switch = BridgeNetDevice with MAC aging, one
//    CSMA link per host, 10.0.0.0/16 (l2 kinds also fd00::/64,
//    topology_ipv6.h), clients with an on-link default route
//    and the configured ARP behaviour, client_arp.h). A warm LAN: hosts hold
//    static neighbour entries for each other's own addresses (only VIPs are
//    ARPed in a run), ARP caches have Linux-like limits (DeadTimeout 1 s,
//    100 pending packets), device queues hold 1000 frames. Without these a
//    cluster booting at one instant flaps: at 30 nodes ns-3's defaults gave
//    ~1,500 membership suspicions per second for the whole run.
//    Note: a CSMA link is busy for transmission time + link_delay per frame
//    (ns-3 CSMA is half duplex), i.e. about 19,600 frames/s at 50 us and
//    600,000 at the default 1 us; delay faults therefore hold frames back in
//    the FrameFilter instead of raising the channel's delay.
//  - Per-link faults (world_links.cc): a link is named by its two ends
//    (hosts or switch-<k>) and found as the CSMA channel joining them;
//    cut, loss and delay act on both ends' FrameFilters. A cut link keeps
//    its carrier (the hosts' engines are not told), unlike LinkDown.
//  - VIP delivery: every node holds every assigned IPv4 VIP of a probed
//    service as a /32 on its loopback (kube-proxy IPVS's kube-ipvs0; weak ES model delivers packets
//    for it arriving on eth0); ns-3's ARP answers only for eth0's address, so
//    only the engine answers ARP for a VIP. IPv6 VIPs (dual-stack l2
//    topologies, topology_ipv6.h) likewise as a /128 on the loopback, with
//    StrongEndSystemModel off; ns-3's NDP answers an NS only for the
//    receiving interface's addresses, so only the engine answers NDP.
//  - Checksums: ns-3's ChecksumEnabled (a process-wide GlobalValue, reset
//    in Create so that no run depends on the one before) is turned on for
//    the rest of the run when the controller first assigns an IPv6 VIP: the
//    engine verifies ICMPv6 checksums (RFC 4443 2.3) of the NS that ns-3
//    sends, and an IPv6 UDP checksum of zero is invalid (RFC 8200 8.1), so
//    captures would show every IPv6 frame as bad without it. IPv4-only runs
//    keep it off: it costs ~17 % CPU on the 100-node scenario (membership
//    datagrams summed on send and receive). Turned on mid-run (a pool
//    change), frames already in flight without a checksum are dropped as
//    corrupt on arrival, once.
//  - Controller: world_resources.h (ipam::AllocateAll -> status ingress,
//    default Nodes, EndpointSlices from SetEndpoints). kAssignment is
//    recorded when a service's first VIP changes.
//  - Probes: probes.h (UDP echo on every node, IPv4 and, on dual-stack
//    topologies, IPv6; replies name the node) and tcp_probe.h (a connection
//    per probe). A service probe targets the service's first IPv4 VIP, or
//    its first IPv6 VIP when it has none. A node answers only what
//    kube-proxy would forward from it (kube_proxy.h: nothing for a service
//    without ready endpoints; for externalTrafficPolicy Local only with a
//    ready endpoint of its own).
//  - Crash: every device of the host is detached from its channel
//    (CsmaChannel::Detach blocks frames both ways) and its engine destroyed
//    (timer cancelled); the host's ns-3 IP/ARP state is kept, only the engine
//    boots fresh on Recover (reattach unless the link is down). LinkDown/Up:
//    the same detach without touching the engine. SpeakerKill: engine gone,
//    host up (its echo responder and loopback VIPs still answer, as
//    kube-proxy does). SpeakerStop: ShutdownRequested.
//  - Routers (bgp-router, and leaf-spine's spines and leaves): a
//    RouterHost per router runs bgp::Router with one passive session per
//    cluster node on the router's own switch that a BGPPeer (peerAddress =
//    the router's address) points at: peer ASN = the BGPPeer's myASN,
//    hold time = its hold time, router ASN = params.router_asn. Its route
//    changes go into the router's EcmpFibRouting (forwarding per flow) and
//    the timeline (kRoute); its session changes into kSession events with
//    host = the router. Crash detaches both its devices and kills the
//    engine (its FIB goes with it); RouterRestart kills and boots it with
//    the links up. leaf-spine adds the fabric sessions (FabricPeers in
//    world_impl.cc: leaves connect to every spine, hold time 3 s, and
//    export their subnet and FIB; a crash detaches the fabric links too)
//    and the router's own ASN (HostLink::asn). Default Node objects carry
//    the kubernetes.io/hostname label, so that one BGPPeer per leaf can
//    select that leaf's nodes, as on a real cluster.
//  - Partition (l2 topologies): each host's receive FrameFilter drops frames
//    whose source MAC belongs to a host of another group, so groups cannot
//    hear each other either way while the switches keep forwarding; hosts in
//    no group (clients) hear everyone. Heal clears the filters.
//  - Loss: the FrameFilter loss rate on both ends of the host's link.
//  - Determinism: RngSeedManager seed 1, run = seed; every ns-3 random
//    stream is assigned explicitly; MAC allocation reset. Two Worlds built
//    one after the other in one process give identical timelines.
//  - ns-3's simulator is a process-wide singleton: one Ns3World may exist at
//    a time (Build fails otherwise); its destructor calls Simulator::Destroy.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "ns3/socket.h"
#include "sim/ns3/csma_links.h"
#include "sim/ns3/engine_host.h"
#include "sim/ns3/probes.h"
#include "sim/ns3/router_host.h"
#include "sim/ns3/speaker_timing.h"
#include "sim/ns3/tcp_probe.h"
#include "sim/ns3/topology.h"
#include "sim/ns3/world.h"
#include "sim/ns3/world_resources.h"

namespace vipcast::sim {

class Ns3World final : public World {
 public:
  static core::Result<std::unique_ptr<World>> Create(const WorldOptions& options);
  ~Ns3World() override;

  void ApplyResources(const config::Resources& resources) override;
  void SetEndpoints(const std::map<std::string, std::vector<std::string>>& endpoints) override;

  core::Status<> Crash(const std::string& host) override;
  core::Status<> Recover(const std::string& host) override;
  core::Status<> SpeakerStop(const std::string& node) override;
  core::Status<> SpeakerKill(const std::string& node) override;
  core::Status<> LinkDown(const std::string& host) override;
  core::Status<> LinkUp(const std::string& host) override;
  core::Status<> Partition(const std::vector<std::vector<std::string>>& groups) override;
  void Heal() override;
  core::Status<> SetLoss(const std::string& host, double rate) override;
  // world_links.cc
  core::Status<> SetLinkCut(const std::string& a, const std::string& b, bool cut) override;
  core::Status<> SetLinkLoss(const std::string& a, const std::string& b, double rate) override;
  core::Status<> SetDelay(const std::string& host, const std::optional<std::string>& peer,
                          core::Duration delay) override;
  core::Status<> RouterRestart(const std::string& router) override;

  core::Status<> AddProbe(const Probe& probe) override;

  void At(core::TimePoint at, std::function<void()> fn) override;
  void RunUntil(core::TimePoint end) override;
  core::TimePoint Now() const override;

  std::set<std::string> Announcers(const std::string& service) const override;
  std::optional<core::IpAddr> Assignment(const std::string& service) const override;
  const std::vector<TimelineEvent>& Timeline() const override { return timeline_; }
  std::vector<std::string> Hosts() const override;
  std::optional<std::set<std::string>> LiveMembers(const std::string& node) const override;
  ControllerView Controller() const override { return view_; }
  size_t BgpSessionsEstablished(const std::string& router) const override;
  std::vector<std::string> Routes(const std::string& router,
                                  const core::Prefix& prefix) const override;

  // Beyond World (tests, runner diagnostics): the engine of a node, null
  // when none runs.
  const speaker::NodeSpeaker* Engine(const std::string& node) const;

 private:
  struct Host {
    HostLink link;
    ns3::Ptr<EngineHost> engine;  // nodes only
    ns3::Ptr<RouterHost> router;  // routers only
    bool crashed = false;
    bool link_down = false;
    bool attached = true;
  };

  explicit Ns3World(WorldOptions options, SpeakerTiming timing, Topology topology);
  void InstallEngines();
  void InstallRouters();
  void OnRoute(Host& router, const bgp::RouteChange& change);
  // Each router's peers from the BGPPeers that name its address.
  void SyncRouterPeers();
  Host* Find(const std::string& name);
  // world_links.cc: a host or "switch-<k>"; the CSMA link joining two.
  ns3::Ptr<ns3::Node> NodeNamed(const std::string& name);
  core::Result<CsmaLink> LinkBetween(const std::string& what, const std::string& a,
                                     const std::string& b);
  Host* FindNode(const std::string& name);
  void Record(TimelineEvent event);
  void RecordFault(std::string text);
  void OnFact(const std::string& host, const core::Action& fact);
  void Tell(EngineHost& engine);
  // Recomputes the controller's view, records assignment changes, updates
  // the loopback VIPs and tells every running engine.
  void Reconcile();
  void SyncLoopbackVips();
  // ChecksumEnabled on, for good, once any assigned VIP is IPv6.
  void EnableChecksumsForIpv6();
  void UpdateAttachment(Host& host);

  WorldOptions options_;
  SpeakerTiming timing_;
  std::vector<ns3::Ptr<ns3::Node>> switches_;
  std::vector<Host> hosts_;
  std::map<std::string, size_t> by_name_;
  std::vector<std::pair<std::string, core::IpAddr>> cluster_nodes_;

  bool have_resources_ = false;
  config::Resources resources_;
  std::map<std::string, std::vector<std::string>> endpoints_;
  ControllerView view_;
  std::set<uint32_t> loopback_vips_;  // host-order IPv4
  std::set<core::Ipv6Addr> loopback_vips6_;
  bool checksums_ = false;  // ChecksumEnabled turned on (EnableChecksumsForIpv6)

  std::set<uint16_t> responder_ports_;
  std::vector<ns3::Ptr<ns3::Socket>> responders_;
  std::vector<std::unique_ptr<ProbeSender>> probes_;
  std::set<uint16_t> tcp_responder_ports_;
  std::vector<std::unique_ptr<TcpResponder>> tcp_responders_;
  std::vector<std::unique_ptr<TcpProbeSender>> tcp_probes_;
  std::set<std::string> probed_services_;  // their VIPs sit on every node's loopback
  // Literal probe targets: on the loopback too when they are assigned VIPs.
  std::set<core::IpAddr> probed_addresses_;
  std::vector<TimelineEvent> timeline_;
};

}  // namespace vipcast::sim
