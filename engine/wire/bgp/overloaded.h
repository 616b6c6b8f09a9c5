// The usual visitor helper for std::visit over several lambdas.
#pragma once

namespace vipcast::wire::bgp {

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

}  // namespace vipcast::wire::bgp
