#include "sim/scenario/yaml_text.h"

#include <cstdio>

#include "engine/config/scalar.h"

namespace vipcast::sim {
namespace {

using config::detail::ResolveScalar;
using config::detail::ScalarType;
using config::detail::YamlNode;

// YAML double-quoted style (YAML 1.2 section 5.7): the JSON escapes plus \xXX
// for other control bytes. Bytes >= 0x80 pass through (UTF-8 text).
std::string DoubleQuoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (u < 0x20 || u == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02x", u);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

class LineKeepingEmitter {
 public:
  std::string Take() { return std::move(out_); }

  void Emit(const YamlNode& node, bool is_key) {
    MoveTo(node.Line());
    started_ = true;
    if (!node.IsDefined() || node.IsNull()) {
      out_ += "null";
    } else if (node.IsScalar()) {
      EmitScalar(node, is_key);
    } else if (node.IsSequence()) {
      out_ += '[';
      for (size_t i = 0; i < node.Size(); ++i) {
        if (i > 0) Separator(',');
        Emit(node.Item(i), false);
      }
      out_ += ']';
    } else {
      out_ += '{';
      for (size_t i = 0; i < node.Size(); ++i) {
        if (i > 0) Separator(',');
        Emit(node.KeyAt(i), true);
        Separator(':');
        Emit(node.ValueAt(i), false);
      }
      out_ += '}';
    }
  }

 private:
  // "," or ":", followed by a space unless the next node starts a new line.
  void Separator(char c) {
    out_ += c;
    space_pending_ = true;
  }

  // Breaks lines until `line` (1-based); lines never go backwards (aliases
  // repeat earlier nodes, flow collections share a line).
  void MoveTo(int line) {
    if (line <= line_) {
      if (space_pending_) out_ += ' ';
      space_pending_ = false;
      return;
    }
    space_pending_ = false;
    while (line_ < line) {
      out_ += '\n';
      ++line_;
    }
    // Continuation lines of a flow collection must be indented past the
    // enclosing block; two spaces is enough at the document's top level.
    if (started_) out_ += "  ";
  }

  void EmitScalar(const YamlNode& node, bool is_key) {
    const std::string& text = node.Scalar();
    if (is_key && text == "<<" && node.Tag() == "?") {
      out_ += "<<";  // a merge key stays a merge key
      return;
    }
    if (ResolveScalar(node) == ScalarType::kString || is_key) {
      out_ += DoubleQuoted(text);
    } else {
      out_ += text;
    }
  }

  std::string out_;
  int line_ = 1;
  bool started_ = false;
  bool space_pending_ = false;
};

class CompactEmitter {
 public:
  explicit CompactEmitter(size_t max_len) : max_len_(max_len) {}
  std::string Take() {
    if (out_.size() > max_len_) out_ = out_.substr(0, max_len_) + "...";
    return std::move(out_);
  }

  void Emit(const YamlNode& node) {
    if (out_.size() > max_len_) return;  // bounded work on huge inputs
    if (!node.IsDefined() || node.IsNull()) {
      out_ += "null";
    } else if (node.IsScalar()) {
      // Quoted scalars and plain ones that would not read back the same
      // (with ", " or ": " inside) are shown double quoted.
      const std::string& text = node.Scalar();
      const bool plain_ok = node.Tag() == "?" && text.find(", ") == std::string::npos &&
                            text.find(": ") == std::string::npos && !text.empty();
      out_ += plain_ok ? text : DoubleQuoted(text);
    } else if (node.IsSequence()) {
      out_ += '[';
      for (size_t i = 0; i < node.Size(); ++i) {
        if (i > 0) out_ += ", ";
        Emit(node.Item(i));
      }
      out_ += ']';
    } else {
      out_ += '{';
      for (size_t i = 0; i < node.Size(); ++i) {
        if (i > 0) out_ += ", ";
        Emit(node.KeyAt(i));
        out_ += ": ";
        Emit(node.ValueAt(i));
      }
      out_ += '}';
    }
  }

 private:
  size_t max_len_;
  std::string out_;
};

}  // namespace

std::string EmitKeepingLines(const YamlNode& node) {
  LineKeepingEmitter emitter;
  emitter.Emit(node, false);
  std::string text = emitter.Take();
  return text + "\n";
}

std::string CompactText(const YamlNode& node, size_t max_len) {
  CompactEmitter emitter(max_len);
  emitter.Emit(node);
  return emitter.Take();
}

}  // namespace vipcast::sim
