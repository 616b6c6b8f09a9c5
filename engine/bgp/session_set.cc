#include "engine/bgp/session_set.h"

#include <algorithm>

#include "engine/wire/bgp/overloaded.h"

namespace vipcast::bgp {

namespace {
bool SameConfig(const SessionConfig& a, const SessionConfig& b) {
  return a.local.asn == b.local.asn && a.local.router_id == b.local.router_id &&
         a.local.hold_time == b.local.hold_time && a.local.ipv4 == b.local.ipv4 &&
         a.local.ipv6 == b.local.ipv6 && a.local.graceful_restart == b.local.graceful_restart &&
         a.peer_as == b.peer_as && a.dynamic_as == b.dynamic_as && a.remote == b.remote &&
         a.source_address == b.source_address && a.keepalive_time == b.keepalive_time &&
         a.passive == b.passive && a.password == b.password && a.ttl == b.ttl;
}
}  // namespace

SessionSet::SessionSet(uint16_t listen_port) : port_(listen_port) {}

void SessionSet::UpdateListeners(core::Outbox& out) {
  // RFC 2385: the key is per peer, installed on the listening socket. Of two
  // sessions to one address only the first (by name) gets accepted streams,
  // so its password is the one that counts.
  std::array<std::map<core::IpAddr, std::string>, 2> wanted;
  for (const auto& [name, s] : sessions_) {
    const SessionConfig& c = s->config();
    if (c.password.empty()) continue;
    wanted[c.remote.address.is_v4() ? 0 : 1].emplace(c.remote.address, c.password);
  }
  const bool first = !listening_;
  listening_ = true;
  const core::IpAddr any[2] = {core::IpAddr(core::Ipv4Addr(0)), core::IpAddr(core::Ipv6Addr())};
  for (size_t family = 0; family < 2; ++family) {
    Md5Keys keys(wanted[family].begin(), wanted[family].end());
    if (!first && keys == listen_keys_[family]) continue;
    listen_keys_[family] = keys;
    // A Listen for an endpoint already listened on replaces its options.
    out.Emit(core::Listen{core::Transport::kTcp, {any[family], port_}, std::move(keys), 0});
  }
}

void SessionSet::SetPeers(core::TimePoint now, std::vector<SessionConfig> peers,
                          core::Outbox& out) {
  if (shut_down_) return;
  std::map<std::string, SessionConfig> wanted;
  for (auto& p : peers) wanted.emplace(p.name, std::move(p));
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    auto w = wanted.find(it->first);
    if (w == wanted.end() || !SameConfig(w->second, it->second->config())) {
      // RFC 4486 3: Peer De-configured / Other Configuration Change.
      bool removed = w == wanted.end();
      Retire(now, std::move(it->second),
             removed ? "peer deconfigured" : "peer configuration changed", removed ? 3 : 6, out);
      it = sessions_.erase(it);
    } else {
      ++it;
    }
  }
  for (auto& [name, config] : wanted) {
    if (sessions_.contains(name)) continue;
    auto session = std::make_unique<Session>(std::move(config),
                                             [this] { return core::StreamId{next_stream_++}; });
    session->SetLocalAddresses(local_v4_, local_v6_);
    session->Start(now, out);
    sessions_.emplace(name, std::move(session));
  }
  if (listening_) UpdateListeners(out);
}

void SessionSet::Retire(core::TimePoint now, std::unique_ptr<Session> session,
                        const std::string& why, uint8_t cease_subcode, core::Outbox& out) {
  session->Stop(now, why, out, cease_subcode);
  if (!session->stopped()) retiring_.push_back(std::move(session));
}

void SessionSet::SetDesired(core::TimePoint now, const std::string& peer, RibOut desired,
                            core::Outbox& out) {
  if (Session* s = Find(peer)) s->SetDesired(now, std::move(desired), out);
}

void SessionSet::StopAll(core::TimePoint now, const std::string& message, core::Outbox& out) {
  shut_down_ = true;
  for (auto& [name, s] : sessions_) Retire(now, std::move(s), message, 2, out);
  sessions_.clear();
}

Session* SessionSet::Find(const std::string& name) {
  auto it = sessions_.find(name);
  return it == sessions_.end() ? nullptr : it->second.get();
}

Session* SessionSet::Owner(core::StreamId stream) {
  for (auto& [name, s] : sessions_) {
    if (s->Owns(stream)) return s.get();
  }
  for (auto& s : retiring_) {
    if (s->Owns(stream)) return s.get();
  }
  return nullptr;
}

void SessionSet::Handle(core::TimePoint now, const core::Input& input, core::Outbox& out) {
  std::visit(wire::bgp::Overloaded{
                 [&](const core::InterfacesChanged& changed) {
                   local_v4_.reset();
                   local_v6_.reset();
                   for (const auto& i : changed.interfaces) {
                     if (!i.up) continue;
                     for (const auto& a : i.addresses) {
                       if (a.is_v4() && !local_v4_) local_v4_ = a.v4();
                       if (a.is_v6() && !a.v6().IsLinkLocal() && !local_v6_) local_v6_ = a.v6();
                     }
                   }
                   for (auto& [name, s] : sessions_) s->SetLocalAddresses(local_v4_, local_v6_);
                   if (!listening_) UpdateListeners(out);
                 },
                 [&](const core::StreamAccepted& accepted) {
                   for (auto& [name, s] : sessions_) {
                     if (s->config().remote.address == accepted.remote.address) {
                       s->OnAccepted(now, accepted, out);
                       return;
                     }
                   }
                   // RFC 4271 8.2.1.1: connections from unknown peers are refused.
                   out.Emit(core::CloseStream{accepted.stream, false});
                 },
                 [&](const core::StreamConnected& e) {
                   if (Session* s = Owner(e.stream)) s->OnConnected(now, e, out);
                 },
                 [&](const core::StreamData& e) {
                   if (Session* s = Owner(e.stream)) s->OnData(now, e, out);
                 },
                 [&](const core::StreamWritable& e) {
                   if (Session* s = Owner(e.stream)) s->OnWritable(now, e, out);
                 },
                 [&](const core::StreamClosed& e) {
                   if (Session* s = Owner(e.stream)) s->OnClosed(now, e, out);
                 },
                 [&](const core::ShutdownRequested&) { StopAll(now, "shutting down", out); },
                 [&](const auto&) {},
             },
             input);
  std::erase_if(retiring_, [](const std::unique_ptr<Session>& s) { return s->stopped(); });
}

void SessionSet::Advance(core::TimePoint now, core::Outbox& out) {
  for (auto& [name, s] : sessions_) {
    if (s->NextDeadline() <= now) s->Advance(now, out);
  }
  for (auto& s : retiring_) {
    if (s->NextDeadline() <= now) s->Advance(now, out);
  }
  std::erase_if(retiring_, [](const std::unique_ptr<Session>& s) { return s->stopped(); });
}

core::TimePoint SessionSet::NextDeadline() const {
  core::TimePoint t = core::TimePoint::Never();
  for (const auto& [name, s] : sessions_) t = std::min(t, s->NextDeadline());
  for (const auto& s : retiring_) t = std::min(t, s->NextDeadline());
  return t;
}

}  // namespace vipcast::bgp
