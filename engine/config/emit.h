// Writes a Resources snapshot back out as Kubernetes manifests: one YAML
// document per object, in the order Namespaces, Secrets, the metallb.io
// resources, Services, EndpointSlices, Nodes. LoadManifests reads the output
// back to an equal model (operator==, which ignores SourceInfo); defaults are
// written out explicitly, so the text does not depend on vipcast's defaults.
#pragma once

#include <string>

#include "engine/config/model.h"

namespace vipcast::config {

std::string ToYaml(const Resources& resources);

}  // namespace vipcast::config
