// Bit positions of the first two bytes of a BFD Control packet (RFC 5880
// 4.1): Vers(3) Diag(5) | Sta(2) P F C A D M. Shared by encoder and decoder.
#pragma once

#include <cstdint>

namespace vipcast::wire::bfd {

inline constexpr uint8_t kVersionShift = 5;
inline constexpr uint8_t kDiagMask = 0x1f;
inline constexpr uint8_t kStateShift = 6;
inline constexpr uint8_t kStateMask = 0x03;
inline constexpr uint8_t kPollBit = 0x20;
inline constexpr uint8_t kFinalBit = 0x10;
inline constexpr uint8_t kControlPlaneIndependentBit = 0x08;
inline constexpr uint8_t kAuthPresentBit = 0x04;
inline constexpr uint8_t kDemandBit = 0x02;
inline constexpr uint8_t kMultipointBit = 0x01;

}  // namespace vipcast::wire::bfd
