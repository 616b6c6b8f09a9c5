// The engine's byte streams (BGP over TCP) on the Asio event loop.
//
//  - Listen: a non-blocking listening socket per local endpoint, with
//    RFC 2385 TCP-MD5 keys per peer (TCP_MD5SIG) and RFC 5082 GTSM
//    (IP_MINTTL / IPV6_MINHOPCOUNT, inherited by accepted sockets). A Listen
//    for an endpoint already listened on replaces keys and minimum TTL in
//    place. Accepted connections become StreamAccepted with ids from the
//    runtime's range (StreamId::kAcceptedBit set).
//  - Connect: a non-blocking connect with the sent TTL, minimum TTL, MD5 key,
//    source address and device (SO_BINDTODEVICE) asked for; the result is
//    StreamConnected or StreamClosed(kConnectFailed). `vrf` is not carried.
//  - Writes follow the engine's pull model: each stream has a send buffer of
//    kSendBuffer bytes; StreamWritable reports the free space (absolute)
//    after connect/accept and whenever it grows; bytes the kernel does not
//    take at once wait for the socket to become writable.
//  - Reads become StreamData; end of stream StreamClosed(kPeerClosed), a
//    reset StreamClosed(kReset).
//  - CloseStream: what is buffered is still sent (a NOTIFICATION before the
//    close), then FIN; with abort, RST at once (SO_LINGER 0). No StreamClosed
//    follows a local close.
//
// Inputs go out through `deliver`, which may run the engine synchronously:
// every handler looks its stream up again after delivering.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "engine/core/io.h"

namespace vipcast::prod {

class TcpStreams {
 public:
  static constexpr size_t kSendBuffer = 64 * 1024;
  using Deliver = std::function<void(core::Input input)>;
  using Note = std::function<void(core::LogLevel level, std::string message, core::Labels fields)>;

  TcpStreams(boost::asio::io_context& io, Deliver deliver, Note note);
  ~TcpStreams();
  TcpStreams(const TcpStreams&) = delete;
  TcpStreams& operator=(const TcpStreams&) = delete;

  void Listen(const core::Listen& listen);
  void StopListening(const core::StopListening& stop);
  void Connect(const core::Connect& connect);
  void Write(const core::WriteStream& write);
  void Close(const core::CloseStream& close);
  // Closes everything at once (no delivery).
  void CloseAll();

  size_t open_streams() const { return streams_.size(); }
  // Bytes written by the engine that the kernel has not taken yet.
  size_t buffered_bytes() const;
  size_t listeners() const { return listeners_.size(); }

 private:
  struct Listener {
    explicit Listener(boost::asio::io_context& io) : descriptor(io) {}
    core::Endpoint local;
    boost::asio::posix::stream_descriptor descriptor;
    std::set<core::IpAddr> md5_peers;  // keys installed
  };
  struct Stream {
    explicit Stream(boost::asio::io_context& io) : descriptor(io) {}
    core::StreamId id;
    boost::asio::posix::stream_descriptor descriptor;
    core::Bytes out;  // bytes not yet taken by the kernel
    bool connecting = false;
    bool closing = false;  // close once `out` is sent
    bool write_wait = false;
    size_t engine_capacity = 0;  // last reported capacity minus bytes written since
  };

  void AcceptWait(const core::Endpoint& local);
  void OnAcceptable(const core::Endpoint& local);
  void ReadWait(uint64_t id);
  void OnReadable(uint64_t id);
  void WriteWait(uint64_t id);
  void OnWritable(uint64_t id);
  // Sends what it can; returns false when the stream failed (and was erased).
  bool Flush(Stream& stream);
  void ReportCapacity(Stream& stream);
  void Fail(uint64_t id, core::StreamCloseReason reason, std::string detail);
  void Erase(uint64_t id, bool abort);
  Stream* Find(uint64_t id);

  boost::asio::io_context& io_;
  Deliver deliver_;
  Note note_;
  std::map<core::Endpoint, std::unique_ptr<Listener>> listeners_;
  std::map<uint64_t, std::unique_ptr<Stream>> streams_;
  uint64_t next_accepted_ = 0;
};

}  // namespace vipcast::prod
