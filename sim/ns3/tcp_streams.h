// TcpStreams: the engine's byte streams (BGP) on ns-3 TCP sockets, for one
// engine instance on one ns-3 node. It translates only:
//  - Listen -> a TcpSocket bound and listening (IPv4; a second Listen for
//    the same endpoint keeps the listener: ns-3 has no TCP-MD5 and no
//    IP_MINTTL to update); each accepted connection -> StreamAccepted with
//    an id from the runtime's range (StreamId::kAcceptedBit set) and
//    StreamWritable(GetTxAvailable()). StopListening closes the listener.
//  - Connect -> TcpSocket Bind(local or any:0), SetIpTtl(ttl), Connect.
//    ns-3 can fail a Connect synchronously (-1, e.g. no route) and then
//    never calls back (ns3-notes.md), so that failure is reported as
//    StreamClosed(kConnectFailed) from a scheduled event, never from inside
//    Perform. Success -> StreamConnected + StreamWritable.
//  - WriteStream -> Send (the engine writes at most the capacity reported);
//    the socket's send callback (buffer space freed by ACKs) ->
//    StreamWritable(GetTxAvailable()).
//  - received bytes -> StreamData; peer FIN -> StreamClosed(kPeerClosed);
//    error close (RST, retransmissions exhausted) -> StreamClosed(kReset or
//    kTimedOut).
//  - CloseStream -> Close() (FIN). ns-3's TcpSocket has no abortive close
//    (SO_LINGER 0), so `abort` also sends a FIN; as the contract says, a
//    local close reports nothing back.
// Not carried: IPv6 streams (Connect fails, Listen ignored), TCP-MD5 keys
// and min TTL (ns-3 TCP has neither), VRF/interface binding.
//
// Invariant: after CloseAll() no socket or scheduled event of this object
// can call `deliver` again (callbacks nulled, events cancelled), so a
// crashed or killed engine is never called back.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <vector>

#include "engine/core/io.h"
#include "ns3/event-id.h"
#include "ns3/node.h"
#include "ns3/ptr.h"
#include "ns3/socket.h"

namespace vipcast::sim {

class TcpStreams {
 public:
  // `deliver` gets every input for the engine, always from an ns-3 event
  // (socket callback or scheduled event), never from inside Perform.
  using Deliver = std::function<void(const core::Input&)>;

  TcpStreams() = default;
  TcpStreams(const TcpStreams&) = delete;
  TcpStreams& operator=(const TcpStreams&) = delete;
  ~TcpStreams() { CloseAll(); }

  void Attach(ns3::Ptr<ns3::Node> node, Deliver deliver);

  // Carries out a stream action; false when `action` is not one.
  bool Perform(const core::Action& action);
  // Closes every listener and stream silently (engine gone).
  void CloseAll();

  size_t open_streams() const { return streams_.size(); }

 private:
  void DoListen(const core::Listen& listen);
  void DoStopListening(const core::StopListening& stop);
  void DoConnect(const core::Connect& connect);
  void DoWrite(const core::WriteStream& write);
  void DoClose(const core::CloseStream& close);

  void Watch(ns3::Ptr<ns3::Socket> socket, uint64_t id);
  static void Silence(const ns3::Ptr<ns3::Socket>& socket);
  void Forget(uint64_t id);
  void Later(core::Input input);
  void Emit(const core::Input& input);

  bool OnConnectionRequest(ns3::Ptr<ns3::Socket> socket, const ns3::Address& from);
  void OnAccepted(ns3::Ptr<ns3::Socket> socket, const ns3::Address& from);
  void OnConnected(ns3::Ptr<ns3::Socket> socket);
  void OnConnectFailed(ns3::Ptr<ns3::Socket> socket);
  void OnReceive(ns3::Ptr<ns3::Socket> socket);
  void OnSendSpace(ns3::Ptr<ns3::Socket> socket, uint32_t available);
  void OnNormalClose(ns3::Ptr<ns3::Socket> socket);
  void OnErrorClose(ns3::Ptr<ns3::Socket> socket);
  uint64_t IdOf(const ns3::Ptr<ns3::Socket>& socket) const;

  ns3::Ptr<ns3::Node> node_;
  Deliver deliver_;
  std::map<core::Endpoint, ns3::Ptr<ns3::Socket>> listeners_;
  std::map<uint64_t, ns3::Ptr<ns3::Socket>> streams_;
  std::map<const ns3::Socket*, uint64_t> ids_;
  uint64_t next_accepted_ = 1;
  std::vector<ns3::EventId> later_;
};

}  // namespace vipcast::sim
