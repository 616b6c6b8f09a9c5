// YAML text -> document trees, in one pass over yaml-cpp's parser events.
//
// vipcast builds its own small tree instead of calling YAML::LoadAll:
//
// * Every node keeps its line, and a scalar its tag ("?" plain, "!" quoted,
//   or an explicit tag) so that `"true"` and `true` stay different types.
// * yaml-cpp 0.7's LoadAll loops forever (allocating a null document per
//   turn) on some invalid streams, the smallest being a lone ","
//   (jbeder/yaml-cpp#1040, fixed upstream by PR #1319 after 0.8.0). Reading
//   document by document, a document that starts where the previous one
//   started is detected and the stream is abandoned.
// * Aliases are shared nodes here too, and each document's expanded size is
//   counted while it is built: a document whose aliases expand it to more
//   than 10x its written size (and past 100,000 nodes) is rejected, as
//   go-yaml (kubectl's parser) rejects "excessive aliasing", and so is an
//   alias inside the node it names (an infinite tree). Readers can then walk
//   a tree without ever meeting a cycle or an exponential expansion.
// * It is one parse instead of two, and plain vectors instead of yaml-cpp's
//   reference-counted node graph.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace vipcast::config::detail {

enum class YamlKind : uint8_t { kNull, kScalar, kSequence, kMap };

struct YamlNodeData {
  YamlKind kind = YamlKind::kNull;
  int line = 0;  // 1-based
  std::string tag;
  std::string scalar;
  std::vector<uint32_t> children;  // sequence items; map keys and values alternating
};

struct YamlDocument {
  std::vector<YamlNodeData> nodes;
  uint32_t root = 0;
};

// A read-only handle on one node of a YamlDocument (which must outlive it).
// A default-constructed handle is "undefined" and reads as null.
class YamlNode {
 public:
  YamlNode() = default;
  YamlNode(const YamlDocument* doc, uint32_t id) : doc_(doc), id_(id) {}

  bool IsDefined() const { return doc_ != nullptr; }
  bool IsNull() const { return !IsDefined() || data().kind == YamlKind::kNull; }
  bool IsScalar() const { return IsDefined() && data().kind == YamlKind::kScalar; }
  bool IsSequence() const { return IsDefined() && data().kind == YamlKind::kSequence; }
  bool IsMap() const { return IsDefined() && data().kind == YamlKind::kMap; }
  const std::string& Scalar() const;
  const std::string& Tag() const;
  int Line() const { return IsDefined() ? data().line : 0; }

  // Sequence items, or map entries (a map of n entries has Size() n).
  size_t Size() const;
  YamlNode Item(size_t i) const;
  YamlNode KeyAt(size_t i) const;
  YamlNode ValueAt(size_t i) const;

 private:
  const YamlNodeData& data() const { return doc_->nodes[id_]; }
  YamlNode Child(size_t index) const { return YamlNode(doc_, data().children[index]); }

  const YamlDocument* doc_ = nullptr;
  uint32_t id_ = 0;
};

struct YamlError {
  int line = 0;  // 1-based; 0 when unknown
  std::string message;
};

struct YamlStream {
  std::vector<YamlDocument> documents;  // those that parsed and passed, in order
  std::vector<YamlError> errors;
  YamlNode Root(size_t i) const {
    return documents[i].nodes.empty() ? YamlNode() : YamlNode(&documents[i], documents[i].root);
  }
};

// Never throws. Documents before a syntax error are kept.
YamlStream ParseYaml(const std::string& text);

}  // namespace vipcast::config::detail
