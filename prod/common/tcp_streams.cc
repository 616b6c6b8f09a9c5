#include "prod/common/tcp_streams.h"

#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "prod/common/socket_address.h"

namespace vipcast::prod {

namespace {

constexpr size_t kReadChunk = 64 * 1024;
constexpr int kMaxAcceptsPerWake = 16;
constexpr int kListenBacklog = 64;

std::string Errno(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

// RFC 2385: the key for one peer address; an empty key removes it.
bool SetMd5Key(int fd, const core::IpAddr& peer, const std::string& key) {
  tcp_md5sig sig{};
  ToSockaddr({peer, 0}, &sig.tcpm_addr);
  sig.tcpm_keylen = static_cast<uint16_t>(std::min<size_t>(key.size(), TCP_MD5SIG_MAXKEYLEN));
  std::memcpy(sig.tcpm_key, key.data(), sig.tcpm_keylen);
  return setsockopt(fd, IPPROTO_TCP, TCP_MD5SIG, &sig, sizeof(sig)) == 0;
}

// RFC 5082 GTSM: drop segments that arrive with a TTL / hop limit below min.
bool SetMinTtl(int fd, bool v6, uint8_t min_ttl) {
  const int value = min_ttl;
  return v6 ? setsockopt(fd, IPPROTO_IPV6, IPV6_MINHOPCOUNT, &value, sizeof(value)) == 0
            : setsockopt(fd, IPPROTO_IP, IP_MINTTL, &value, sizeof(value)) == 0;
}

bool SetTtl(int fd, bool v6, uint8_t ttl) {
  const int value = ttl;
  return v6 ? setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &value, sizeof(value)) == 0
            : setsockopt(fd, IPPROTO_IP, IP_TTL, &value, sizeof(value)) == 0;
}

std::optional<core::Endpoint> LocalOf(int fd) {
  sockaddr_storage a{};
  socklen_t len = sizeof(a);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) return std::nullopt;
  return FromSockaddr(a);
}

std::optional<core::Endpoint> PeerOf(int fd) {
  sockaddr_storage a{};
  socklen_t len = sizeof(a);
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) return std::nullopt;
  return FromSockaddr(a);
}

}  // namespace

TcpStreams::TcpStreams(boost::asio::io_context& io, Deliver deliver, Note note)
    : io_(io), deliver_(std::move(deliver)), note_(std::move(note)) {}

TcpStreams::~TcpStreams() { CloseAll(); }

void TcpStreams::CloseAll() {
  listeners_.clear();  // descriptors close; pending waits complete as aborted
  streams_.clear();
}

size_t TcpStreams::buffered_bytes() const {
  size_t total = 0;
  for (const auto& [id, stream] : streams_) total += stream->out.size();
  return total;
}

TcpStreams::Stream* TcpStreams::Find(uint64_t id) {
  auto it = streams_.find(id);
  return it == streams_.end() ? nullptr : it->second.get();
}

// ---------------------------------------------------------------- listening

void TcpStreams::Listen(const core::Listen& listen) {
  const bool v6 = listen.local.address.is_v6();
  auto it = listeners_.find(listen.local);
  if (it == listeners_.end()) {
    const int fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      note_(core::LogLevel::kError, "cannot listen",
            {{"local", listen.local.ToString()}, {"error", Errno("socket")}});
      return;
    }
    const int on = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
    // The engine listens per family ("0.0.0.0:179" and "[::]:179"): an
    // IPv6 socket must not claim the IPv4 port as well.
    if (v6) setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
    sockaddr_storage addr{};
    const socklen_t len = ToSockaddr(listen.local, &addr);
    if (bind(fd, reinterpret_cast<const sockaddr*>(&addr), len) != 0 ||
        ::listen(fd, kListenBacklog) != 0) {
      note_(core::LogLevel::kError, "cannot listen",
            {{"local", listen.local.ToString()}, {"error", Errno("bind/listen")}});
      close(fd);
      return;
    }
    auto listener = std::make_unique<Listener>(io_);
    listener->local = listen.local;
    listener->descriptor.assign(fd);
    it = listeners_.emplace(listen.local, std::move(listener)).first;
    AcceptWait(listen.local);
  }
  // Options are replaced in place (io.h: Listen on a listened endpoint).
  Listener& l = *it->second;
  const int fd = l.descriptor.native_handle();
  std::set<core::IpAddr> wanted;
  for (const auto& [peer, key] : listen.md5_keys) {
    wanted.insert(peer);
    if (!SetMd5Key(fd, peer, key)) {
      note_(core::LogLevel::kError, "cannot set TCP-MD5 key",
            {{"peer", peer.ToString()}, {"error", Errno("setsockopt(TCP_MD5SIG)")}});
    }
  }
  for (const core::IpAddr& peer : l.md5_peers) {
    if (wanted.count(peer) == 0) SetMd5Key(fd, peer, "");
  }
  l.md5_peers = std::move(wanted);
  if (!SetMinTtl(fd, v6, listen.min_ttl)) {
    note_(core::LogLevel::kError, "cannot set minimum TTL",
          {{"local", listen.local.ToString()}, {"error", Errno("setsockopt(IP_MINTTL)")}});
  }
}

void TcpStreams::StopListening(const core::StopListening& stop) { listeners_.erase(stop.local); }

void TcpStreams::AcceptWait(const core::Endpoint& local) {
  auto it = listeners_.find(local);
  if (it == listeners_.end()) return;
  it->second->descriptor.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                                    [this, local](const boost::system::error_code& ec) {
                                      if (ec) return;  // closed: the listener is gone
                                      OnAcceptable(local);
                                      AcceptWait(local);
                                    });
}

void TcpStreams::OnAcceptable(const core::Endpoint& local) {
  for (int i = 0; i < kMaxAcceptsPerWake; ++i) {
    auto it = listeners_.find(local);
    if (it == listeners_.end()) return;
    const int fd = accept4(it->second->descriptor.native_handle(), nullptr, nullptr,
                           SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;  // EAGAIN: none left
    const auto local_ep = LocalOf(fd);
    const auto remote_ep = PeerOf(fd);
    if (!local_ep || !remote_ep) {
      close(fd);
      continue;
    }
    const uint64_t id = core::StreamId::kAcceptedBit | ++next_accepted_;
    auto stream = std::make_unique<Stream>(io_);
    stream->id = core::StreamId{id};
    stream->descriptor.assign(fd);
    stream->engine_capacity = kSendBuffer;
    streams_.emplace(id, std::move(stream));
    ReadWait(id);
    deliver_(core::StreamAccepted{core::StreamId{id}, *local_ep, *remote_ep});
    deliver_(core::StreamWritable{core::StreamId{id}, kSendBuffer});
  }
}

// ---------------------------------------------------------------- connecting

void TcpStreams::Connect(const core::Connect& c) {
  const uint64_t id = c.stream.value;
  const bool v6 = c.remote.address.is_v6();
  auto fail = [&](std::string detail) {
    deliver_(
        core::StreamClosed{c.stream, core::StreamCloseReason::kConnectFailed, std::move(detail)});
  };
  if (streams_.count(id) != 0) return fail("stream id in use");
  const int fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return fail(Errno("socket"));
  auto stream = std::make_unique<Stream>(io_);
  stream->id = c.stream;
  stream->descriptor.assign(fd);
  std::string error;
  if (!SetTtl(fd, v6, c.ttl)) error = Errno("setsockopt(TTL)");
  if (error.empty() && c.min_ttl != 0 && !SetMinTtl(fd, v6, c.min_ttl)) {
    error = Errno("setsockopt(IP_MINTTL)");
  }
  if (error.empty() && c.md5_key && !SetMd5Key(fd, c.remote.address, *c.md5_key)) {
    error = Errno("setsockopt(TCP_MD5SIG)");
  }
  if (error.empty() && !c.interface.empty() &&
      setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, c.interface.c_str(),
                 static_cast<socklen_t>(c.interface.size())) != 0) {
    error = Errno("setsockopt(SO_BINDTODEVICE)");
  }
  if (error.empty() && c.local) {
    sockaddr_storage addr{};
    const socklen_t len = ToSockaddr(*c.local, &addr);
    if (bind(fd, reinterpret_cast<const sockaddr*>(&addr), len) != 0) error = Errno("bind");
  }
  if (error.empty()) {
    sockaddr_storage addr{};
    const socklen_t len = ToSockaddr(c.remote, &addr);
    if (connect(fd, reinterpret_cast<const sockaddr*>(&addr), len) != 0 && errno != EINPROGRESS) {
      error = Errno("connect");
    }
  }
  if (!error.empty()) return fail(error);  // `stream` closes the socket
  stream->connecting = true;
  streams_.emplace(id, std::move(stream));
  WriteWait(id);  // writable = the handshake finished, one way or the other
}

// ---------------------------------------------------------------- I/O

void TcpStreams::ReadWait(uint64_t id) {
  Stream* s = Find(id);
  if (s == nullptr) return;
  s->descriptor.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                           [this, id](const boost::system::error_code& ec) {
                             if (ec) return;
                             OnReadable(id);
                           });
}

void TcpStreams::OnReadable(uint64_t id) {
  Stream* s = Find(id);
  if (s == nullptr) return;
  core::Bytes data(kReadChunk);
  const ssize_t n = recv(s->descriptor.native_handle(), data.data(), data.size(), MSG_DONTWAIT);
  if (n == 0) return Fail(id, core::StreamCloseReason::kPeerClosed, "peer closed");
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return ReadWait(id);
    // ETIMEDOUT: keepalive or retransmission gave up; anything else ends
    // the connection as a reset would.
    const auto reason =
        errno == ETIMEDOUT ? core::StreamCloseReason::kTimedOut : core::StreamCloseReason::kReset;
    return Fail(id, reason, Errno("recv"));
  }
  data.resize(static_cast<size_t>(n));
  ReadWait(id);  // before delivering: the engine may close the stream
  deliver_(core::StreamData{core::StreamId{id}, std::move(data)});
}

void TcpStreams::WriteWait(uint64_t id) {
  Stream* s = Find(id);
  if (s == nullptr || s->write_wait) return;
  s->write_wait = true;
  s->descriptor.async_wait(boost::asio::posix::stream_descriptor::wait_write,
                           [this, id](const boost::system::error_code& ec) {
                             if (ec) return;
                             if (Stream* s = Find(id)) s->write_wait = false;
                             OnWritable(id);
                           });
}

void TcpStreams::OnWritable(uint64_t id) {
  Stream* s = Find(id);
  if (s == nullptr) return;
  const int fd = s->descriptor.native_handle();
  if (s->connecting) {
    int err = 0;
    socklen_t len = sizeof(err);
    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
    const auto local = LocalOf(fd);
    const auto remote = PeerOf(fd);
    if (err != 0 || !local || !remote) {
      const std::string detail =
          std::string("connect: ") + std::strerror(err != 0 ? err : ENOTCONN);
      Erase(id, /*abort=*/false);
      deliver_(
          core::StreamClosed{core::StreamId{id}, core::StreamCloseReason::kConnectFailed, detail});
      return;
    }
    s->connecting = false;
    s->engine_capacity = kSendBuffer;
    ReadWait(id);
    deliver_(core::StreamConnected{core::StreamId{id}, *local, *remote});
    deliver_(core::StreamWritable{core::StreamId{id}, kSendBuffer});
    return;
  }
  if (!Flush(*s)) return;
  if (Stream* again = Find(id)) ReportCapacity(*again);
}

void TcpStreams::Write(const core::WriteStream& write) {
  Stream* s = Find(write.stream.value);
  if (s == nullptr || s->closing) return;
  s->out.insert(s->out.end(), write.data.begin(), write.data.end());
  s->engine_capacity -= std::min(s->engine_capacity, write.data.size());
  if (!Flush(*s)) return;
  if (Stream* again = Find(write.stream.value)) ReportCapacity(*again);
}

bool TcpStreams::Flush(Stream& s) {
  const uint64_t id = s.id.value;
  if (s.connecting) return true;  // sent once connected
  size_t sent = 0;
  while (sent < s.out.size()) {
    const ssize_t n = send(s.descriptor.native_handle(), s.out.data() + sent, s.out.size() - sent,
                           MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) break;
      Fail(id, core::StreamCloseReason::kReset, Errno("send"));
      return false;
    }
    sent += static_cast<size_t>(n);
  }
  s.out.erase(s.out.begin(), s.out.begin() + static_cast<std::ptrdiff_t>(sent));
  if (!s.out.empty()) {
    WriteWait(id);
    return true;
  }
  if (s.closing) {
    Erase(id, /*abort=*/false);
    return false;
  }
  return true;
}

void TcpStreams::ReportCapacity(Stream& s) {
  const size_t capacity = kSendBuffer - std::min(kSendBuffer, s.out.size());
  if (capacity <= s.engine_capacity) return;
  s.engine_capacity = capacity;
  deliver_(core::StreamWritable{s.id, capacity});
}

void TcpStreams::Close(const core::CloseStream& close) {
  Stream* s = Find(close.stream.value);
  if (s == nullptr) return;
  if (close.abort || s->connecting || s->out.empty()) {
    Erase(close.stream.value, close.abort);
    return;
  }
  s->closing = true;  // Flush erases it once the buffer is sent
  Flush(*s);
}

void TcpStreams::Fail(uint64_t id, core::StreamCloseReason reason, std::string detail) {
  Erase(id, /*abort=*/false);
  deliver_(core::StreamClosed{core::StreamId{id}, reason, std::move(detail)});
}

void TcpStreams::Erase(uint64_t id, bool abort) {
  auto it = streams_.find(id);
  if (it == streams_.end()) return;
  if (abort) {
    // SO_LINGER with zero timeout: close() sends RST instead of FIN.
    const linger lg{1, 0};
    setsockopt(it->second->descriptor.native_handle(), SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
  }
  streams_.erase(it);  // the descriptor closes; its waits complete as aborted
}

}  // namespace vipcast::prod
