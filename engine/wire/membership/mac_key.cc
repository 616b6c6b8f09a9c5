#include "engine/wire/membership/mac_key.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/params.h>

#include <cassert>

namespace vipcast::wire::membership {

struct MacKey::State {
  core::Bytes key;
  EVP_MAC* mac = nullptr;
  EVP_MAC_CTX* ctx = nullptr;  // keyed; reinitialised per message

  ~State() {
    EVP_MAC_CTX_free(ctx);
    EVP_MAC_free(mac);
  }
};

MacKey::MacKey(core::ByteSpan key) : state_(std::make_unique<State>()) {
  state_->key.assign(key.begin(), key.end());
  state_->mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (state_->mac != nullptr) state_->ctx = EVP_MAC_CTX_new(state_->mac);
  if (state_->ctx != nullptr) {
    char digest[] = "SHA256";
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
        OSSL_PARAM_construct_end(),
    };
    static const uint8_t kEmpty = 0;
    const uint8_t* k = state_->key.empty() ? &kEmpty : state_->key.data();
    if (EVP_MAC_init(state_->ctx, k, state_->key.size(), params) != 1) {
      EVP_MAC_CTX_free(state_->ctx);
      state_->ctx = nullptr;
    }
  }
}

MacKey::~MacKey() = default;
MacKey::MacKey(MacKey&&) noexcept = default;
MacKey& MacKey::operator=(MacKey&&) noexcept = default;

Mac MacKey::Compute(core::ByteSpan data) const {
  uint8_t full[EVP_MAX_MD_SIZE];
  size_t len = 0;
  static const uint8_t kEmpty = 0;
  const uint8_t* d = data.empty() ? &kEmpty : data.data();
  bool ok = false;
  if (state_->ctx != nullptr) {
    // A null key reinitialises the context with the key it already holds.
    ok = EVP_MAC_init(state_->ctx, nullptr, 0, nullptr) == 1 &&
         EVP_MAC_update(state_->ctx, d, data.size()) == 1 &&
         EVP_MAC_final(state_->ctx, full, &len, sizeof full) == 1;
  }
  if (!ok) {
    // Fallback: the one-shot interface (slower: it fetches the algorithm).
    const uint8_t* k = state_->key.empty() ? &kEmpty : state_->key.data();
    unsigned int ulen = 0;
    ok = HMAC(EVP_sha256(), k, static_cast<int>(state_->key.size()), d, data.size(), full, &ulen) !=
         nullptr;
    len = ulen;
  }
  assert(ok && len >= kMacSize);
  Mac out{};
  for (size_t i = 0; i < kMacSize; ++i) out[i] = full[i];
  return out;
}

bool MacKey::Verify(core::ByteSpan data, core::ByteSpan mac) const {
  if (mac.size() != kMacSize) return false;
  const Mac expected = Compute(data);
  return CRYPTO_memcmp(expected.data(), mac.data(), kMacSize) == 0;
}

}  // namespace vipcast::wire::membership
