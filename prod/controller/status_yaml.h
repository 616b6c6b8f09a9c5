// The status file vipcast-controller writes and vipcast-speaker reads
// (prod/common/cluster_source.h ReadStatusFile): one Service document per
// service holding addresses, carrying what the Kubernetes controller would
// write back to the API server, status.loadBalancer.ingress and the
// metallb.io/ip-allocated-from-pool annotation. Pending services appear as
// comments with their reason, for the humans reading the file.
//
// Deterministic: the same results give the same bytes, so an unchanged
// allocation is recognised by comparing text and the file is not rewritten.
#pragma once

#include <string>
#include <vector>

#include "engine/ipam/results.h"

namespace vipcast::controller_main {

// `results` sorted by service key (ipam::Allocator::Results()).
std::string RenderStatusYaml(const std::vector<ipam::ServiceResult>& results);

}  // namespace vipcast::controller_main
