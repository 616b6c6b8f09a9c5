#include "prod/common/asio_runtime.h"

#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

namespace vipcast::prod {

AsioRuntime::AsioRuntime(boost::asio::io_context& io, AsioRuntimeOptions options, FactSink sink)
    : io_(io),
      options_(std::move(options)),
      sink_(std::move(sink)),
      start_(std::chrono::steady_clock::now()),
      timer_(io),
      poll_timer_(io),
      netlink_(io,
               [this](NetlinkTrigger trigger) {
                 if (engine_ != nullptr) RefreshInterfaces(/*force=*/false, ToString(trigger));
               }),
      streams_(
          io, [this](core::Input input) { Deliver(std::move(input)); },
          [this](core::LogLevel level, std::string message, core::Labels fields) {
            Note(level, std::move(message), std::move(fields));
          }) {}

AsioRuntime::~AsioRuntime() { Detach(); }

core::TimePoint AsioRuntime::Now() const {
  const auto elapsed = std::chrono::steady_clock::now() - start_;
  return core::TimePoint::FromNanoseconds(
      std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed).count());
}

std::string AsioRuntime::OpenUdp(uint16_t port) {
  if (ports_.count(port) != 0) return {};
  auto udp = std::make_unique<UdpPort>(io_, port, [this](core::DatagramReceived in) {
    if (engine_ != nullptr) Inject(in);
  });
  std::string error = udp->Open();
  if (error.empty()) ports_.emplace(port, std::move(udp));
  return error;
}

void AsioRuntime::Start(core::Engine& engine) {
  engine_ = &engine;
  // Subscribed before the first listing, so that a change made while it
  // runs is not missed.
  std::string netlink_error = "disabled";
  if (options_.netlink) netlink_error = netlink_.Open();
  Note(core::LogLevel::kInfo, "runtime started",
       {{"carried", "udp-ipv4,udp-ipv6,arp-frames,ndp-frames,ndp-multicast-joins,tcp-streams"},
        {"interface_changes", netlink_error.empty() ? "netlink" : "poll"}});
  if (!netlink_error.empty() && options_.netlink) {
    Note(core::LogLevel::kWarning,
         "no netlink notifications: interfaces are polled, a link change is seen up to one poll "
         "late",
         {{"error", netlink_error}, {"poll", options_.interface_poll.ToString()}});
  }
  RefreshInterfaces(/*force=*/true, "start");
  PollInterfaces();
  Rearm();
}

void AsioRuntime::Detach() {
  engine_ = nullptr;
  timer_.cancel();
  poll_timer_.cancel();
  netlink_.Close();
  frames_.clear();  // closing the sockets drops their multicast memberships
  groups_.clear();
  ports_.clear();
  streams_.CloseAll();
  outbox_.Drain();
  pending_.clear();
}

void AsioRuntime::Inject(const core::Input& input) {
  if (engine_ == nullptr) return;
  engine_->Handle(Now(), input, outbox_);
  Pump();
}

void AsioRuntime::Deliver(core::Input input) {
  if (engine_ == nullptr) return;
  if (pumping_) {
    pending_.push_back(std::move(input));
  } else {
    Inject(input);
  }
}

void AsioRuntime::Pump() {
  if (pumping_) return;  // the outer Pump drains what this call added
  pumping_ = true;
  for (;;) {
    for (const core::Action& action : outbox_.Drain()) Perform(action);
    if (engine_ != nullptr && !pending_.empty()) {
      const core::Input input = std::move(pending_.front());
      pending_.pop_front();
      engine_->Handle(Now(), input, outbox_);
      continue;
    }
    if (outbox_.empty()) break;
  }
  pumping_ = false;
  Rearm();
}

void AsioRuntime::Rearm() {
  timer_.cancel();
  if (engine_ == nullptr) return;
  const core::TimePoint deadline = engine_->NextDeadline();
  if (deadline.IsNever()) return;
  timer_.expires_at(start_ + std::chrono::nanoseconds(deadline.nanoseconds()));
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || engine_ == nullptr) return;  // cancelled by a later Rearm or Detach
    engine_->Advance(Now(), outbox_);
    Pump();
  });
}

void AsioRuntime::PollInterfaces() {
  const core::Duration period =
      netlink_.is_open() ? options_.interface_safety_poll : options_.interface_poll;
  poll_timer_.expires_after(std::chrono::nanoseconds(period.nanoseconds()));
  poll_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || engine_ == nullptr) return;
    RefreshInterfaces(/*force=*/false, "poll");
    PollInterfaces();
  });
}

void AsioRuntime::RefreshInterfaces(bool force, std::string_view trigger) {
  std::vector<LinkInfo> links = ListInterfaces(options_.interfaces);
  const bool same =
      links.size() == links_.size() && std::equal(links.begin(), links.end(), links_.begin(),
                                                  [](const LinkInfo& a, const LinkInfo& b) {
                                                    return a.info == b.info && a.index == b.index;
                                                  });
  if (!same) links_ = std::move(links);
  SyncFrameSockets();
  if (same && !force) return;
  core::InterfacesChanged changed;
  core::Labels fields;
  for (const LinkInfo& link : links_) {
    changed.interfaces.push_back(link.info);
    std::string text = link.info.mac.ToString() + (link.info.up ? " up" : " down");
    for (const auto& a : link.info.addresses) text += " " + a.ToString();
    fields.emplace_back(link.info.name, text);
  }
  fields.emplace_back("trigger", std::string(trigger));
  Note(core::LogLevel::kInfo, "interfaces", fields);
  Inject(changed);
}

void AsioRuntime::SyncFrameSockets() {
  // Sockets per listed link, keyed by name and checked by ifindex so that a
  // re-created link gets fresh ones. A socket that failed to open (e.g.
  // CAP_NET_RAW missing) is retried at every re-list.
  std::map<FrameKey, std::unique_ptr<RawFrameSocket>> frames;
  for (const LinkInfo& link : links_) {
    for (FrameProtocol protocol : {FrameProtocol::kArp, FrameProtocol::kNdp}) {
      FrameKey key{link.info.name, protocol};
      auto it = frames_.find(key);
      if (it != frames_.end() && it->second->ifindex() == link.index) {
        frames.emplace(std::move(key), std::move(it->second));
      } else if (auto socket = OpenFrameSocket(link, protocol)) {
        frames.emplace(std::move(key), std::move(socket));
      }
    }
  }
  frames_ = std::move(frames);
}

std::unique_ptr<RawFrameSocket> AsioRuntime::OpenFrameSocket(const LinkInfo& link,
                                                             FrameProtocol protocol) {
  auto on_frame = [this](const std::string& interface, core::Bytes frame) {
    if (engine_ != nullptr) Inject(core::FrameReceived{interface, std::move(frame)});
  };
  auto socket = std::make_unique<RawFrameSocket>(io_, link.info.name, link.index, protocol,
                                                 std::move(on_frame));
  const FrameKey key{link.info.name, protocol};
  if (std::string error = socket->Open(); !error.empty()) {
    // Logged when it first appears or changes, not at every retry.
    std::string& last = open_errors_[key];
    if (last != error) {
      Note(core::LogLevel::kError, "cannot open raw socket",
           {{"interface", link.info.name},
            {"protocol", std::string(ToString(protocol))},
            {"error", error}});
    }
    last = error;
    return nullptr;
  }
  if (open_errors_.erase(key) != 0) {
    Note(core::LogLevel::kInfo, "raw socket open",
         {{"interface", link.info.name}, {"protocol", std::string(ToString(protocol))}});
  }
  if (protocol == FrameProtocol::kNdp) {
    // Groups the engine joined before this socket existed (or on the
    // socket of a link that was re-created).
    if (auto it = groups_.find(link.info.name); it != groups_.end()) {
      for (const core::IpAddr& group : it->second) Membership(*socket, group, /*join=*/true);
    }
  }
  return socket;
}

RawFrameSocket* AsioRuntime::FrameSocket(const std::string& interface, FrameProtocol protocol) {
  auto it = frames_.find(FrameKey{interface, protocol});
  return it == frames_.end() ? nullptr : it->second.get();
}

// The interface's NDP socket holds the groups (see Membership): the engine
// joins solicited-node groups (RFC 4861 7.2.1), which matter exactly as
// long as that socket receives solicitations.
void AsioRuntime::JoinGroup(const std::string& interface, const core::IpAddr& group) {
  if (!groups_[interface].insert(group).second) return;  // held already
  if (RawFrameSocket* socket = FrameSocket(interface, FrameProtocol::kNdp)) {
    Membership(*socket, group, /*join=*/true);
  }
}

void AsioRuntime::LeaveGroup(const std::string& interface, const core::IpAddr& group) {
  auto it = groups_.find(interface);
  if (it == groups_.end() || it->second.erase(group) == 0) return;
  if (it->second.empty()) groups_.erase(it);
  if (RawFrameSocket* socket = FrameSocket(interface, FrameProtocol::kNdp)) {
    Membership(*socket, group, /*join=*/false);
  }
}

void AsioRuntime::Membership(RawFrameSocket& socket, const core::IpAddr& group, bool join) {
  core::Labels where = {{"interface", socket.interface()}, {"group", group.ToString()}};
  // Both kinds (see RawFrameSocket): the IPv6 join for its MLD reports, the
  // link-layer one so that the NIC filter holds the group even where the
  // IPv6 join fails (IPv6 disabled on the link). The kernel counts each.
  if (group.is_v6()) {
    const std::string error =
        join ? socket.JoinIpv6Group(group.v6()) : socket.LeaveIpv6Group(group.v6());
    if (!error.empty()) {
      core::Labels fields = where;
      fields.emplace_back("error", error);
      if (join) {
        Note(core::LogLevel::kWarning,
             "no MLD report for multicast group: switches that snoop MLD may not forward "
             "solicitations for it",
             std::move(fields));
      } else {
        Note(core::LogLevel::kDebug, "cannot leave ipv6 multicast group", std::move(fields));
      }
    }
  }
  const std::optional<core::MacAddr> mac = EthernetMulticastMac(group);
  const std::string error = !mac   ? "not a multicast group"
                            : join ? socket.JoinLinkMulticast(*mac)
                                   : socket.LeaveLinkMulticast(*mac);
  if (error.empty()) {
    where.emplace_back("mac", mac->ToString());
    Note(core::LogLevel::kDebug, join ? "multicast joined" : "multicast left", std::move(where));
    return;
  }
  where.emplace_back("error", error);
  Note(core::LogLevel::kError,
       join ? "cannot join multicast group" : "cannot leave multicast group", std::move(where));
}

void AsioRuntime::Perform(const core::Action& action) {
  std::visit(
      [this](const auto& a) {
        using A = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<A, core::SendFrame>) {
          SendFrame(a);
        } else if constexpr (std::is_same_v<A, core::SendDatagram>) {
          SendDatagram(a);
        } else if constexpr (std::is_same_v<A, core::Listen>) {
          // UDP: BFD's control port (3784/4784) must be bound before the
          // peer's first packet; TCP: a BGP listener.
          if (a.transport == core::Transport::kUdp) {
            PortFor(a.local.port);
          } else {
            streams_.Listen(a);
          }
        } else if constexpr (std::is_same_v<A, core::StopListening>) {
          streams_.StopListening(a);
        } else if constexpr (std::is_same_v<A, core::Connect>) {
          streams_.Connect(a);
        } else if constexpr (std::is_same_v<A, core::WriteStream>) {
          streams_.Write(a);
        } else if constexpr (std::is_same_v<A, core::CloseStream>) {
          streams_.Close(a);
        } else if constexpr (std::is_same_v<A, core::VipAnnounced> ||
                             std::is_same_v<A, core::VipWithdrawn> ||
                             std::is_same_v<A, core::SessionStateChanged> ||
                             std::is_same_v<A, core::MetricChanged> ||
                             std::is_same_v<A, core::Log>) {
          if (sink_) sink_(a);
        } else if constexpr (std::is_same_v<A, core::JoinMulticast>) {
          JoinGroup(a.interface, a.group);
        } else if constexpr (std::is_same_v<A, core::LeaveMulticast>) {
          LeaveGroup(a.interface, a.group);
        }
      },
      action);
}

void AsioRuntime::SendFrame(const core::SendFrame& send) {
  const std::optional<FrameProtocol> protocol = FrameProtocolOf(send.frame);
  RawFrameSocket* socket = protocol ? FrameSocket(send.interface, *protocol) : nullptr;
  if (socket == nullptr || !socket->Send(send.frame)) {
    // Counted, and logged at debug only: a link going down makes every
    // announcement on it fail until the re-list its netlink notification
    // triggers (or the next poll without netlink).
    ++unroutable_frames_;
    Note(core::LogLevel::kDebug, "frame not sent", {{"interface", send.interface}});
  }
}

void AsioRuntime::SendDatagram(const core::SendDatagram& send) {
  UdpPort* port = PortFor(send.local.port);
  if (port == nullptr) return;
  if (!port->Send(send)) {
    Note(core::LogLevel::kDebug, "datagram not sent", {{"remote", send.remote.ToString()}});
  }
}

UdpPort* AsioRuntime::PortFor(uint16_t port) {
  auto it = ports_.find(port);
  if (it != ports_.end()) return it->second.get();
  if (std::string error = OpenUdp(port); !error.empty()) {
    Note(core::LogLevel::kError, "cannot open udp port", {{"error", error}});
    return nullptr;
  }
  return ports_.at(port).get();
}

void AsioRuntime::Note(core::LogLevel level, std::string message, core::Labels fields) {
  if (sink_) sink_(core::Log{level, std::move(message), std::move(fields)});
}

}  // namespace vipcast::prod
