#include "engine/ipam/allocate_all.h"

#include "engine/ipam/allocator.h"

namespace vipcast::ipam {

AllocationReport AllocateAll(const config::Resources& resources, const AllocatorOptions& options) {
  Allocator allocator(options);
  (void)allocator.SetConfig(resources.config);
  (void)allocator.ReplaceServices(resources.services.services);
  return AllocationReport{allocator.Results(), allocator.PoolStats(), allocator.config_warnings()};
}

}  // namespace vipcast::ipam
