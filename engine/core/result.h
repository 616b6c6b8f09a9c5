// Result<T, E>: a value or an error, never both. The engine's error channel:
// input from the network or from users never throws and never aborts; it
// becomes an error value that the caller must look at.
#pragma once

#include <cassert>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace vipcast::core {

// Wraps an error so that Result<T, E> can be built from it even when T and E
// are the same type (e.g. Result<std::string, std::string>).
template <typename E>
struct Err {
  E error;
};

template <typename E>
Err<std::decay_t<E>> MakeErr(E&& e) {
  return Err<std::decay_t<E>>{std::forward<E>(e)};
}

// Invariant: holds exactly one of a T or an E.
template <typename T, typename E = std::string>
class [[nodiscard]] Result {
 public:
  using value_type = T;
  using error_type = E;

  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  template <typename U, typename = std::enable_if_t<std::is_convertible_v<U, E>>>
  Result(Err<U> err) : state_(std::in_place_index<1>, std::move(err.error)) {}  // NOLINT

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  const T& value() const& {
    assert(ok());
    return std::get<0>(state_);
  }
  T& value() & {
    assert(ok());
    return std::get<0>(state_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(state_));
  }
  const E& error() const& {
    assert(!ok());
    return std::get<1>(state_);
  }
  E&& error() && {
    assert(!ok());
    return std::get<1>(std::move(state_));
  }

  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

  T value_or(T fallback) const& { return ok() ? value() : std::move(fallback); }

  bool operator==(const Result&) const = default;

 private:
  std::variant<T, E> state_;
};

// Result<void, E>: success carries no value.
struct Unit {
  bool operator==(const Unit&) const = default;
};

template <typename E = std::string>
using Status = Result<Unit, E>;

inline Status<> Ok() { return Unit{}; }

}  // namespace vipcast::core
