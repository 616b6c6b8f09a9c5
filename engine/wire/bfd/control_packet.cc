#include "engine/wire/bfd/control_packet.h"

namespace vipcast::wire::bfd {

size_t ControlPacket::EncodedLength() const {
  return kMandatoryLength + (auth ? auth->EncodedLength() : 0);
}

}  // namespace vipcast::wire::bfd
