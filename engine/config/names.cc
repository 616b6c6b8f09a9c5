#include "engine/config/names.h"

#include <string>

#include "engine/config/scalar.h"
#include "engine/core/node_name.h"

namespace vipcast::config::detail {
namespace {

using core::MakeErr;
using core::Ok;

bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// The "qualified name" part shared by label keys and values.
core::Status<> CheckQualifiedPart(std::string_view text, std::string_view what) {
  const std::string quoted = Quote(text);
  if (text.size() > 63) {
    return MakeErr(quoted + ": " + std::string(what) + " must be no more than 63 characters");
  }
  for (char c : text) {
    if (!IsAlnum(c) && c != '-' && c != '_' && c != '.') {
      return MakeErr(quoted + ": " + std::string(what) +
                     " must consist of alphanumeric characters, '-', '_' or '.'");
    }
  }
  if (!text.empty() && (!IsAlnum(text.front()) || !IsAlnum(text.back()))) {
    return MakeErr(quoted + ": " + std::string(what) +
                   " must start and end with an alphanumeric character");
  }
  return Ok();
}

core::Status<> CheckDns1035Label(std::string_view name) {
  const std::string quoted = Quote(name);
  if (name.size() > 63) return MakeErr(quoted + " must be no more than 63 characters");
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
      return MakeErr(quoted + " must consist of lower case alphanumeric characters or '-'");
    }
  }
  if (!(name.front() >= 'a' && name.front() <= 'z')) {
    return MakeErr(quoted + " must start with a lower case letter");
  }
  if (!IsAlnum(name.back())) return MakeErr(quoted + " must end with an alphanumeric character");
  return Ok();
}

}  // namespace

core::Status<> CheckName(std::string_view name, NameRule rule) {
  if (name.empty()) return MakeErr(std::string("must not be empty"));
  switch (rule) {
    case NameRule::kPathSegment:
      // k8s.io/apimachinery/pkg/api/validation/path.IsValidPathSegmentName.
      if (name == "." || name == "..") return MakeErr(Quote(name) + " is not allowed");
      if (name.find('/') != std::string_view::npos)
        return MakeErr(Quote(name) + " must not contain '/'");
      if (name.find('%') != std::string_view::npos)
        return MakeErr(Quote(name) + " must not contain '%'");
      if (name.size() > 253) return MakeErr(Quote(name) + " must be no more than 253 characters");
      return Ok();
    // Length first, with a bounded quote: core's messages quote the whole
    // text, which for a megabyte of garbage is a megabyte of message.
    case NameRule::kDns1123Subdomain:
      if (name.size() > 253) return MakeErr(Quote(name) + " must be no more than 253 characters");
      return core::CheckDns1123Subdomain(name);
    case NameRule::kDns1123Label:
      if (name.size() > 63) return MakeErr(Quote(name) + " must be no more than 63 characters");
      return core::CheckDns1123Label(name);
    case NameRule::kDns1035Label:
      return CheckDns1035Label(name);
  }
  return Ok();
}

core::Status<> CheckLabelKey(std::string_view key) {
  if (key.empty()) return MakeErr(std::string("key must not be empty"));
  if (key.size() > 253 + 1 + 63) return MakeErr(Quote(key) + ": too long");
  std::string_view name = key;
  if (size_t slash = key.find('/'); slash != std::string_view::npos) {
    const std::string_view prefix = key.substr(0, slash);
    name = key.substr(slash + 1);
    if (prefix.empty()) return MakeErr(Quote(key) + ": prefix part must not be empty");
    if (prefix.size() > 253)
      return MakeErr(Quote(key) + ": prefix part is longer than 253 characters");
    if (auto ok = core::CheckDns1123Subdomain(prefix); !ok) {
      return MakeErr(Quote(key) + ": prefix part " + ok.error());
    }
  }
  if (name.empty()) return MakeErr(Quote(key) + ": name part must not be empty");
  if (auto ok = CheckQualifiedPart(name, "name part"); !ok) return ok;
  return Ok();
}

core::Status<> CheckLabelValue(std::string_view value) {
  return CheckQualifiedPart(value, "label value");
}

}  // namespace vipcast::config::detail
