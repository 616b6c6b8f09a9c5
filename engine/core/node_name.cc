#include "engine/core/node_name.h"

namespace vipcast::core {
namespace {

bool IsAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

Status<> CheckLabelChars(std::string_view text, bool allow_dots, size_t max_len) {
  const std::string quoted = "\"" + std::string(text) + "\"";
  if (text.empty()) return MakeErr(std::string("must not be empty"));
  if (text.size() > max_len) {
    return MakeErr(quoted + " must be no more than " + std::to_string(max_len) + " characters");
  }
  for (char c : text) {
    if (!IsAlnum(c) && c != '-' && !(allow_dots && c == '.')) {
      return MakeErr(quoted + " must consist of lower case alphanumeric characters, '-'" +
                     std::string(allow_dots ? " or '.'" : ""));
    }
  }
  if (!IsAlnum(text.front()) || !IsAlnum(text.back())) {
    return MakeErr(quoted + " must start and end with an alphanumeric character");
  }
  // Kubernetes' subdomain regex repeats the label rule between dots, so
  // "a..b" and "a.-b" are rejected as the API server would reject them.
  for (size_t dot = text.find('.'); dot != std::string_view::npos; dot = text.find('.', dot + 1)) {
    if (!IsAlnum(text[dot - 1]) || !IsAlnum(text[dot + 1])) {
      return MakeErr(quoted + " must start and end each '.'-separated label with an alphanumeric" +
                     " character");
    }
  }
  return Ok();
}

}  // namespace

Status<> CheckDns1123Subdomain(std::string_view text) { return CheckLabelChars(text, true, 253); }
Status<> CheckDns1123Label(std::string_view text) { return CheckLabelChars(text, false, 63); }

Result<NodeName> NodeName::Parse(std::string_view text) {
  auto ok = CheckDns1123Subdomain(text);
  if (!ok) return MakeErr("invalid node name: " + ok.error());
  return NodeName(std::string(text));
}

}  // namespace vipcast::core
