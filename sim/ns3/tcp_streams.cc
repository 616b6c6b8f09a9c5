#include "sim/ns3/tcp_streams.h"

#include <string>
#include <type_traits>
#include <utility>
#include <variant>

#include "ns3/inet-socket-address.h"
#include "ns3/simulator.h"
#include "ns3/tcp-socket-factory.h"
#include "sim/ns3/conversions.h"

namespace vipcast::sim {

namespace {

core::Endpoint FromNs3(const ns3::Address& address) {
  const ns3::InetSocketAddress inet = ns3::InetSocketAddress::ConvertFrom(address);
  return {core::IpAddr(sim::FromNs3(inet.GetIpv4())), inet.GetPort()};
}

ns3::InetSocketAddress ToInet(const core::Endpoint& e) {
  return ns3::InetSocketAddress(ToNs3(e.address.v4()), e.port);
}

core::Endpoint LocalOf(const ns3::Ptr<ns3::Socket>& socket) {
  ns3::Address local;
  socket->GetSockName(local);
  return FromNs3(local);
}

core::Endpoint PeerOf(const ns3::Ptr<ns3::Socket>& socket) {
  ns3::Address peer;
  socket->GetPeerName(peer);
  return FromNs3(peer);
}

}  // namespace

void TcpStreams::Attach(ns3::Ptr<ns3::Node> node, Deliver deliver) {
  node_ = node;
  deliver_ = std::move(deliver);
}

bool TcpStreams::Perform(const core::Action& action) {
  return std::visit(
      [this](const auto& a) {
        using A = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<A, core::Listen>) {
          DoListen(a);
        } else if constexpr (std::is_same_v<A, core::StopListening>) {
          DoStopListening(a);
        } else if constexpr (std::is_same_v<A, core::Connect>) {
          DoConnect(a);
        } else if constexpr (std::is_same_v<A, core::WriteStream>) {
          DoWrite(a);
        } else if constexpr (std::is_same_v<A, core::CloseStream>) {
          DoClose(a);
        } else {
          return false;
        }
        return true;
      },
      action);
}

void TcpStreams::CloseAll() {
  for (ns3::EventId& e : later_) ns3::Simulator::Cancel(e);
  later_.clear();
  for (auto& [endpoint, socket] : listeners_) {
    Silence(socket);
    socket->Close();
  }
  listeners_.clear();
  for (auto& [id, socket] : streams_) {
    Silence(socket);
    socket->Close();
  }
  streams_.clear();
  ids_.clear();
}

void TcpStreams::DoListen(const core::Listen& listen) {
  if (listen.transport != core::Transport::kTcp || !listen.local.address.is_v4()) return;
  if (listeners_.count(listen.local) != 0) return;  // options only: nothing ns-3 can apply
  ns3::Ptr<ns3::Socket> socket =
      ns3::Socket::CreateSocket(node_, ns3::TcpSocketFactory::GetTypeId());
  if (socket->Bind(ToInet(listen.local)) != 0 || socket->Listen() != 0) {
    socket->Close();
    return;
  }
  socket->SetAcceptCallback(ns3::MakeCallback(&TcpStreams::OnConnectionRequest, this),
                            ns3::MakeCallback(&TcpStreams::OnAccepted, this));
  listeners_.emplace(listen.local, socket);
}

void TcpStreams::DoStopListening(const core::StopListening& stop) {
  auto it = listeners_.find(stop.local);
  if (it == listeners_.end()) return;
  Silence(it->second);
  it->second->Close();
  listeners_.erase(it);
}

void TcpStreams::DoConnect(const core::Connect& connect) {
  if (!connect.remote.address.is_v4() || (connect.local && !connect.local->address.is_v4())) {
    Later(core::StreamClosed{connect.stream, core::StreamCloseReason::kConnectFailed,
                             "sim/ns3 carries IPv4 streams only"});
    return;
  }
  ns3::Ptr<ns3::Socket> socket =
      ns3::Socket::CreateSocket(node_, ns3::TcpSocketFactory::GetTypeId());
  const int bound = connect.local ? socket->Bind(ToInet(*connect.local)) : socket->Bind();
  if (bound != 0) {
    socket->Close();
    Later(core::StreamClosed{connect.stream, core::StreamCloseReason::kConnectFailed,
                             "bind failed, ns-3 errno " + std::to_string(socket->GetErrno())});
    return;
  }
  socket->SetIpTtl(connect.ttl);
  Watch(socket, connect.stream.value);
  socket->SetConnectCallback(ns3::MakeCallback(&TcpStreams::OnConnected, this),
                             ns3::MakeCallback(&TcpStreams::OnConnectFailed, this));
  if (socket->Connect(ToInet(connect.remote)) != 0) {
    // ns3-notes.md: no callback will ever fire for this socket.
    const std::string detail = "connect failed, ns-3 errno " + std::to_string(socket->GetErrno());
    Forget(connect.stream.value);
    Later(core::StreamClosed{connect.stream, core::StreamCloseReason::kConnectFailed, detail});
  }
}

void TcpStreams::DoWrite(const core::WriteStream& write) {
  auto it = streams_.find(write.stream.value);
  if (it == streams_.end() || write.data.empty()) return;
  // The engine keeps within the capacity reported, so Send takes it all.
  it->second->Send(MakePacket(write.data.data(), write.data.size()), 0);
}

void TcpStreams::DoClose(const core::CloseStream& close) { Forget(close.stream.value); }

void TcpStreams::Watch(ns3::Ptr<ns3::Socket> socket, uint64_t id) {
  streams_[id] = socket;
  ids_[ns3::PeekPointer(socket)] = id;
  socket->SetRecvCallback(ns3::MakeCallback(&TcpStreams::OnReceive, this));
  socket->SetSendCallback(ns3::MakeCallback(&TcpStreams::OnSendSpace, this));
  socket->SetCloseCallbacks(ns3::MakeCallback(&TcpStreams::OnNormalClose, this),
                            ns3::MakeCallback(&TcpStreams::OnErrorClose, this));
}

void TcpStreams::Silence(const ns3::Ptr<ns3::Socket>& socket) {
  socket->SetRecvCallback(ns3::MakeNullCallback<void, ns3::Ptr<ns3::Socket>>());
  socket->SetSendCallback(ns3::MakeNullCallback<void, ns3::Ptr<ns3::Socket>, uint32_t>());
  socket->SetCloseCallbacks(ns3::MakeNullCallback<void, ns3::Ptr<ns3::Socket>>(),
                            ns3::MakeNullCallback<void, ns3::Ptr<ns3::Socket>>());
  socket->SetConnectCallback(ns3::MakeNullCallback<void, ns3::Ptr<ns3::Socket>>(),
                             ns3::MakeNullCallback<void, ns3::Ptr<ns3::Socket>>());
  socket->SetAcceptCallback(
      ns3::MakeNullCallback<bool, ns3::Ptr<ns3::Socket>, const ns3::Address&>(),
      ns3::MakeNullCallback<void, ns3::Ptr<ns3::Socket>, const ns3::Address&>());
}

// Closes the stream's socket without reporting anything back.
void TcpStreams::Forget(uint64_t id) {
  auto it = streams_.find(id);
  if (it == streams_.end()) return;
  ns3::Ptr<ns3::Socket> socket = it->second;
  streams_.erase(it);
  ids_.erase(ns3::PeekPointer(socket));
  Silence(socket);
  socket->Close();
}

void TcpStreams::Later(core::Input input) {
  // Drop the ids of events that already ran so the list stays short.
  std::erase_if(later_, [](const ns3::EventId& e) { return e.IsExpired(); });
  later_.push_back(ns3::Simulator::ScheduleNow([this, input = std::move(input)] { Emit(input); }));
}

void TcpStreams::Emit(const core::Input& input) {
  if (deliver_) deliver_(input);
}

uint64_t TcpStreams::IdOf(const ns3::Ptr<ns3::Socket>& socket) const {
  auto it = ids_.find(ns3::PeekPointer(socket));
  return it == ids_.end() ? 0 : it->second;
}

bool TcpStreams::OnConnectionRequest(ns3::Ptr<ns3::Socket> /*socket*/,
                                     const ns3::Address& /*from*/) {
  return true;  // the engine decides about unknown peers (it closes them)
}

void TcpStreams::OnAccepted(ns3::Ptr<ns3::Socket> socket, const ns3::Address& from) {
  const uint64_t id = core::StreamId::kAcceptedBit | next_accepted_++;
  Watch(socket, id);
  Emit(core::StreamAccepted{core::StreamId{id}, LocalOf(socket), FromNs3(from)});
  if (streams_.count(id) != 0) {
    Emit(core::StreamWritable{core::StreamId{id}, socket->GetTxAvailable()});
  }
}

void TcpStreams::OnConnected(ns3::Ptr<ns3::Socket> socket) {
  const uint64_t id = IdOf(socket);
  if (id == 0) return;
  Emit(core::StreamConnected{core::StreamId{id}, LocalOf(socket), PeerOf(socket)});
  if (streams_.count(id) != 0) {
    Emit(core::StreamWritable{core::StreamId{id}, socket->GetTxAvailable()});
  }
}

void TcpStreams::OnConnectFailed(ns3::Ptr<ns3::Socket> socket) {
  const uint64_t id = IdOf(socket);
  if (id == 0) return;
  Forget(id);
  Emit(core::StreamClosed{core::StreamId{id}, core::StreamCloseReason::kConnectFailed,
                          "connection refused or timed out"});
}

void TcpStreams::OnReceive(ns3::Ptr<ns3::Socket> socket) {
  while (ns3::Ptr<ns3::Packet> packet = socket->Recv()) {
    const uint64_t id = IdOf(socket);  // the engine may close the stream on any chunk
    if (id == 0) return;
    // An empty packet is end of stream (ns-3 returns one for every Recv
    // in CLOSE_WAIT); the close callback reports it.
    if (packet->GetSize() == 0) return;
    Emit(core::StreamData{core::StreamId{id}, PacketBytes(packet)});
  }
}

void TcpStreams::OnSendSpace(ns3::Ptr<ns3::Socket> socket, uint32_t /*available*/) {
  const uint64_t id = IdOf(socket);
  if (id == 0) return;
  Emit(core::StreamWritable{core::StreamId{id}, socket->GetTxAvailable()});
}

void TcpStreams::OnNormalClose(ns3::Ptr<ns3::Socket> socket) {
  const uint64_t id = IdOf(socket);
  if (id == 0) return;
  // Bytes that arrived with the FIN first.
  OnReceive(socket);
  if (IdOf(socket) == 0) return;
  Forget(id);
  // ns-3 reports a peer's RST in an established connection as a normal
  // close too; the two cannot be told apart here.
  Emit(core::StreamClosed{core::StreamId{id}, core::StreamCloseReason::kPeerClosed, "peer closed"});
}

void TcpStreams::OnErrorClose(ns3::Ptr<ns3::Socket> socket) {
  const uint64_t id = IdOf(socket);
  if (id == 0) return;
  Forget(id);
  // ns-3's TcpSocketBase reports an error close when its retransmissions
  // are exhausted (data or FIN never acknowledged).
  Emit(core::StreamClosed{
      core::StreamId{id}, core::StreamCloseReason::kTimedOut,
      "retransmissions exhausted, ns-3 errno " + std::to_string(socket->GetErrno())});
}

}  // namespace vipcast::sim
