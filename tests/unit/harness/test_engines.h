// Tiny engines for exercising the harness itself. They make no protocol
// decisions worth the name: they send what they are told to and write down
// what they are handed.
#pragma once

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "engine/core/io.h"
#include "engine/core/time.h"

namespace vipcast::harness::testing {

inline core::Bytes ToBytes(std::string_view text) { return core::Bytes(text.begin(), text.end()); }
inline std::string ToText(const core::Bytes& bytes) {
  return std::string(bytes.begin(), bytes.end());
}

// Emits scripted actions at given times, records every input with the time it
// arrived, and optionally reacts to inputs through a hook.
class ScriptedEngine : public core::Engine {
 public:
  using Reaction = std::function<void(core::TimePoint, const core::Input&, core::Outbox&)>;

  explicit ScriptedEngine(Reaction react = nullptr) : react_(std::move(react)) {}

  // Actions due at the same time are emitted in the order they were added.
  void At(core::TimePoint at, core::Action action) { script_.emplace(at, std::move(action)); }

  void Handle(core::TimePoint now, const core::Input& input, core::Outbox& out) override {
    ++calls_;
    inputs_.emplace_back(now, input);
    if (react_) react_(now, input, out);
  }
  void Advance(core::TimePoint now, core::Outbox& out) override {
    ++calls_;
    advances_.push_back(now);
    while (!script_.empty() && script_.begin()->first <= now) {
      out.Emit(std::move(script_.begin()->second));
      script_.erase(script_.begin());
    }
  }
  core::TimePoint NextDeadline() const override {
    return script_.empty() ? core::TimePoint::Never() : script_.begin()->first;
  }

  // The inputs of type T, with their arrival times.
  template <typename T>
  std::vector<std::pair<core::TimePoint, T>> Received() const {
    std::vector<std::pair<core::TimePoint, T>> out;
    for (const auto& [at, input] : inputs_) {
      if (const T* t = std::get_if<T>(&input)) out.emplace_back(at, *t);
    }
    return out;
  }

  int calls() const { return calls_; }
  const std::vector<core::TimePoint>& advances() const { return advances_; }
  const std::vector<std::pair<core::TimePoint, core::Input>>& inputs() const { return inputs_; }

 private:
  Reaction react_;
  std::multimap<core::TimePoint, core::Action> script_;
  std::vector<std::pair<core::TimePoint, core::Input>> inputs_;
  std::vector<core::TimePoint> advances_;
  int calls_ = 0;
};

// Answers every "ping..." datagram with "pong..." to its sender and logs each
// datagram it receives.
inline ScriptedEngine::Reaction Echo() {
  return [](core::TimePoint, const core::Input& input, core::Outbox& out) {
    const auto* d = std::get_if<core::DatagramReceived>(&input);
    if (d == nullptr) return;
    const std::string text = ToText(d->payload);
    out.Emit(core::Log{core::LogLevel::kInfo, "echo " + text, {}});
    if (text.starts_with("ping")) {
      out.Emit(core::SendDatagram{d->local, d->remote, 64, ToBytes("pong" + text.substr(4)), ""});
    }
  };
}

// Sends "ping <n>" to a target every interval, `count` times from `first`,
// and logs every pong.
class PingEngine : public core::Engine {
 public:
  PingEngine(core::Endpoint self, core::Endpoint target, core::TimePoint first,
             core::Duration interval, int count)
      : self_(self), target_(target), next_(first), interval_(interval), count_(count) {}

  void Handle(core::TimePoint, const core::Input& input, core::Outbox& out) override {
    const auto* d = std::get_if<core::DatagramReceived>(&input);
    if (d == nullptr) return;
    const std::string text = ToText(d->payload);
    if (!text.starts_with("pong ")) return;
    pongs_.push_back(std::stoi(text.substr(5)));
    out.Emit(core::Log{core::LogLevel::kInfo, text, {{"from", d->remote.ToString()}}});
  }
  void Advance(core::TimePoint now, core::Outbox& out) override {
    while (sent_ < count_ && next_ <= now) {
      out.Emit(
          core::SendDatagram{self_, target_, 64, ToBytes("ping " + std::to_string(sent_)), ""});
      ++sent_;
      next_ += interval_;
    }
  }
  core::TimePoint NextDeadline() const override {
    return sent_ < count_ ? next_ : core::TimePoint::Never();
  }

  int sent() const { return sent_; }
  const std::vector<int>& pongs() const { return pongs_; }

 private:
  core::Endpoint self_;
  core::Endpoint target_;
  core::TimePoint next_;
  core::Duration interval_;
  int count_;
  int sent_ = 0;
  std::vector<int> pongs_;
};

// Listens on a port (when told its interfaces) and collects what each stream
// carries; can also open a stream and push `payload` through it, honouring
// the pull model (never more than the reported capacity, in writes of at most
// `max_write` bytes).
class StreamEngine : public core::Engine {
 public:
  struct Peer {
    core::StreamId id;
    core::Endpoint local;
    core::Endpoint remote;
    std::string received;
    std::optional<core::StreamClosed> closed;
    size_t writes_received = 0;
  };

  void ListenOn(core::Endpoint local, std::vector<std::pair<core::IpAddr, std::string>> keys = {},
                uint8_t min_ttl = 0) {
    listen_ = core::Listen{core::Transport::kTcp, local, std::move(keys), min_ttl};
  }
  // Connects at `at` and then sends `payload`; closes afterwards when asked.
  void SendAt(core::TimePoint at, core::Connect connect, std::string payload,
              bool close_when_done = false) {
    connect_at_ = at;
    connect_ = std::move(connect);
    payload_ = std::move(payload);
    close_when_done_ = close_when_done;
  }
  void set_max_write(size_t n) { max_write_ = n; }
  void Handle(core::TimePoint, const core::Input& input, core::Outbox& out) override {
    std::visit(
        [&](const auto& in) {
          using T = std::decay_t<decltype(in)>;
          if constexpr (std::is_same_v<T, core::InterfacesChanged>) {
            if (listen_) out.Emit(*listen_);
          } else if constexpr (std::is_same_v<T, core::StreamAccepted>) {
            peers_[in.stream.value] = Peer{in.stream, in.local, in.remote, "", {}, 0};
          } else if constexpr (std::is_same_v<T, core::StreamConnected>) {
            peers_[in.stream.value] = Peer{in.stream, in.local, in.remote, "", {}, 0};
            connected_ = true;
          } else if constexpr (std::is_same_v<T, core::StreamData>) {
            Peer& p = peers_.at(in.stream.value);
            p.received += ToText(in.data);
            ++p.writes_received;
          } else if constexpr (std::is_same_v<T, core::StreamWritable>) {
            writable_.push_back(in.capacity);
            if (connect_ && in.stream == connect_->stream) {
              capacity_ = in.capacity;
              Pump(out);
            }
          } else if constexpr (std::is_same_v<T, core::StreamClosed>) {
            closed_.push_back(in);
            auto it = peers_.find(in.stream.value);
            if (it != peers_.end()) it->second.closed = in;
          }
        },
        input);
  }
  void Advance(core::TimePoint now, core::Outbox& out) override {
    if (connect_at_ && *connect_at_ <= now) {
      connect_at_.reset();
      out.Emit(*connect_);
    }
  }
  core::TimePoint NextDeadline() const override {
    return connect_at_ ? *connect_at_ : core::TimePoint::Never();
  }

  const std::map<uint64_t, Peer>& peers() const { return peers_; }
  const std::vector<core::StreamClosed>& closed() const { return closed_; }
  const std::vector<size_t>& writable() const { return writable_; }
  bool connected() const { return connected_; }
  size_t sent() const { return offset_; }
  size_t writes() const { return writes_; }

 private:
  void Pump(core::Outbox& out) {
    while (offset_ < payload_.size() && capacity_ > 0) {
      size_t n = std::min({capacity_, max_write_, payload_.size() - offset_});
      out.Emit(core::WriteStream{connect_->stream, ToBytes(payload_.substr(offset_, n))});
      offset_ += n;
      capacity_ -= n;
      ++writes_;
    }
    if (offset_ == payload_.size() && close_when_done_) {
      close_when_done_ = false;
      out.Emit(core::CloseStream{connect_->stream, false});
    }
  }

  std::optional<core::Listen> listen_;
  std::optional<core::TimePoint> connect_at_;
  std::optional<core::Connect> connect_;
  std::string payload_;
  bool close_when_done_ = false;
  size_t max_write_ = 1000;
  size_t capacity_ = 0;
  size_t offset_ = 0;
  size_t writes_ = 0;
  bool connected_ = false;
  std::map<uint64_t, Peer> peers_;
  std::vector<core::StreamClosed> closed_;
  std::vector<size_t> writable_;
};

}  // namespace vipcast::harness::testing
