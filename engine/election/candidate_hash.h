// The tie-break of MetalLB's layer 2 election (speaker/layer2_controller.go,
// sortL2Candidates): sha256(nodeName + "#" + ip), compared bytewise, smallest
// first. `ip` is the service's first LoadBalancer ingress IP as Go's
// net.IP.String() prints it, so the text must match Go byte for byte or a
// mixed vipcast/MetalLB cluster would elect two different nodes.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/core/ip.h"

// OpenSSL types, declared here so that users of this header don't include
// OpenSSL themselves.
struct evp_md_st;
struct evp_md_ctx_st;

namespace vipcast::election {

using Digest = std::array<uint8_t, 32>;

// Go's net.IP.String(): dotted quad for IPv4 and for IPv4-mapped IPv6
// (::ffff:a.b.c.d prints as a.b.c.d because To4() succeeds), otherwise RFC 5952
// lower-case compressed form.
std::string GoIpString(const core::IpAddr& ip);

// The first four digest bytes as a big-endian number: comparing two prefixes
// as integers is the same as comparing those bytes with bytes.Compare.
inline uint32_t DigestPrefix(const Digest& d) {
  return (uint32_t{d[0]} << 24) | (uint32_t{d[1]} << 16) | (uint32_t{d[2]} << 8) | d[3];
}

// Computes candidate digests. Owns one OpenSSL digest context and a SHA-256
// implementation fetched once, because fetching per call costs ~4x the hash
// itself. Not thread-safe: one per engine instance.
class CandidateHasher {
 public:
  CandidateHasher();
  ~CandidateHasher();
  CandidateHasher(const CandidateHasher&) = delete;
  CandidateHasher& operator=(const CandidateHasher&) = delete;

  // sha256(node + "#" + ip_string).
  Digest Hash(std::string_view node, std::string_view ip_string);

 private:
  evp_md_st* md_;
  evp_md_ctx_st* ctx_;
  std::string buffer_;  // reused so hashing allocates nothing in steady state
};

}  // namespace vipcast::election
