// Knobs of the layer 2 election that MetalLB exposes as speaker flags.
#pragma once

#include <string>

namespace vipcast::election {

struct ElectionOptions {
  // MetalLB's speaker flag --ignore-exclude-lb: when set, nodes labelled
  // node.kubernetes.io/exclude-from-external-load-balancers stay eligible.
  bool ignore_exclude_lb_label = false;
  // MetalLB's --lb-class. Empty (the default) handles only services without a
  // spec.loadBalancerClass; otherwise only services of exactly this class.
  std::string load_balancer_class;
};

}  // namespace vipcast::election
