#include "engine/election/candidate_hash.h"

#include <openssl/evp.h>

#include <cassert>

namespace vipcast::election {

std::string GoIpString(const core::IpAddr& ip) {
  if (ip.is_v4()) return ip.v4().ToString();
  const core::Ipv6Addr v6 = ip.v6();  // v6() returns a copy; keep it alive
  const auto& b = v6.bytes();
  bool mapped = b[10] == 0xff && b[11] == 0xff;
  for (size_t i = 0; i < 10 && mapped; ++i) mapped = b[i] == 0;
  if (mapped) return core::Ipv4Addr::FromOctets(b[12], b[13], b[14], b[15]).ToString();
  // core's form is RFC 5952 (longest run of two or more zero groups, first on
  // a tie), which is what Go's netip prints for addresses that aren't mapped.
  return v6.ToString();
}

CandidateHasher::CandidateHasher()
    : md_(EVP_MD_fetch(nullptr, "SHA256", nullptr)), ctx_(EVP_MD_CTX_new()) {
  // Both fail only when libcrypto itself is unusable (no default provider or
  // out of memory): a deployment error, not an input error.
  assert(md_ != nullptr && ctx_ != nullptr);
}

CandidateHasher::~CandidateHasher() {
  EVP_MD_CTX_free(ctx_);
  EVP_MD_free(md_);
}

Digest CandidateHasher::Hash(std::string_view node, std::string_view ip_string) {
  buffer_.assign(node);
  buffer_ += '#';
  buffer_ += ip_string;
  Digest out{};
  unsigned int length = 0;
  [[maybe_unused]] const bool ok = EVP_DigestInit_ex2(ctx_, md_, nullptr) == 1 &&
                                   EVP_DigestUpdate(ctx_, buffer_.data(), buffer_.size()) == 1 &&
                                   EVP_DigestFinal_ex(ctx_, out.data(), &length) == 1;
  assert(ok && length == out.size());
  return out;
}

}  // namespace vipcast::election
