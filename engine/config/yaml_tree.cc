#include "engine/config/yaml_tree.h"

#include <new>
#include <sstream>

#include "yaml-cpp/eventhandler.h"
#include "yaml-cpp/exceptions.h"
#include "yaml-cpp/mark.h"
#include "yaml-cpp/parser.h"

namespace vipcast::config::detail {

const std::string& YamlNode::Scalar() const {
  static const std::string kEmpty;
  return IsScalar() ? data().scalar : kEmpty;
}

const std::string& YamlNode::Tag() const {
  static const std::string kEmpty;
  return IsDefined() ? data().tag : kEmpty;
}

size_t YamlNode::Size() const {
  if (IsSequence()) return data().children.size();
  if (IsMap()) return data().children.size() / 2;
  return 0;
}

YamlNode YamlNode::Item(size_t i) const { return Child(i); }
YamlNode YamlNode::KeyAt(size_t i) const { return Child(2 * i); }
YamlNode YamlNode::ValueAt(size_t i) const { return Child(2 * i + 1); }

namespace {

// A stream of more documents than this is not a set of manifests.
constexpr size_t kMaxDocuments = 100'000;
// Alias amplification allowed before a document is rejected.
constexpr uint64_t kExpansionFloor = 100'000;
constexpr uint64_t kExpansionFactor = 10;
constexpr uint64_t kSaturated = uint64_t{1} << 62;

uint64_t SaturatingAdd(uint64_t a, uint64_t b) { return a + b > kSaturated ? kSaturated : a + b; }

int LineOf(const YAML::Mark& mark) { return mark.line >= 0 ? mark.line + 1 : 0; }

// Builds one YamlDocument per document from parser events, counting written
// nodes and alias-expanded nodes as it goes.
class Builder : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override {
    stuck_ = started_ && mark.pos == last_start_.pos;
    started_ = true;
    last_start_ = mark;
    doc_ = YamlDocument{};
    expanded_.clear();
    open_.clear();
    anchors_.clear();
    stack_.clear();
    written_ = 0;
    total_ = 0;
    cycle_line_ = 0;
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    Attach(NewNode(YamlKind::kNull, mark, "", {}), anchor, 1);
  }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    Attach(NewNode(YamlKind::kScalar, mark, tag, value), anchor, 1);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    ++written_;
    if (anchor >= anchors_.size() || anchors_[anchor] == kNone) {
      // yaml-cpp reports unknown anchors itself; be safe anyway.
      Attach(NewNode(YamlKind::kNull, mark, "", {}), 0, 1);
      return;
    }
    const uint32_t target = anchors_[anchor];
    if (open_[target]) {
      if (cycle_line_ == 0) cycle_line_ = LineOf(mark);
      AttachId(NewNode(YamlKind::kNull, mark, "", {}), 1);
      return;
    }
    AttachId(target, expanded_[target]);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    Open(NewNode(YamlKind::kSequence, mark, tag, {}), anchor);
  }
  void OnSequenceEnd() override { Close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    Open(NewNode(YamlKind::kMap, mark, tag, {}), anchor);
  }
  void OnMapEnd() override { Close(); }

  bool stuck() const { return stuck_; }
  int start_line() const { return LineOf(last_start_); }
  int cycle_line() const { return cycle_line_; }
  uint64_t written() const { return written_; }
  uint64_t expanded() const { return total_; }
  YamlDocument Take() { return std::move(doc_); }

 private:
  static constexpr uint32_t kNone = ~uint32_t{0};

  uint32_t NewNode(YamlKind kind, const YAML::Mark& mark, const std::string& tag,
                   const std::string& scalar) {
    ++written_;
    const auto id = static_cast<uint32_t>(doc_.nodes.size());
    doc_.nodes.push_back(YamlNodeData{kind, LineOf(mark), tag, scalar, {}});
    expanded_.push_back(1);
    open_.push_back(false);
    return id;
  }
  void Register(uint32_t id, YAML::anchor_t anchor) {
    if (anchor == 0) return;
    if (anchor >= anchors_.size()) anchors_.resize(anchor + 1, kNone);
    anchors_[anchor] = id;
  }
  // Links `id` under the open collection (or makes it the root) and adds
  // `size` expanded nodes to the collection.
  void AttachId(uint32_t id, uint64_t size) {
    if (stack_.empty()) {
      doc_.root = id;
      total_ = SaturatingAdd(total_, size);
      return;
    }
    const uint32_t parent = stack_.back();
    doc_.nodes[parent].children.push_back(id);
    expanded_[parent] = SaturatingAdd(expanded_[parent], size);
  }
  void Attach(uint32_t id, YAML::anchor_t anchor, uint64_t size) {
    Register(id, anchor);
    AttachId(id, size);
  }
  void Open(uint32_t id, YAML::anchor_t anchor) {
    Register(id, anchor);
    open_[id] = true;
    stack_.push_back(id);
  }
  void Close() {
    if (stack_.empty()) return;
    const uint32_t id = stack_.back();
    stack_.pop_back();
    open_[id] = false;
    AttachId(id, expanded_[id]);
  }

  YamlDocument doc_;
  std::vector<uint64_t> expanded_;  // per node: nodes once aliases are expanded
  std::vector<bool> open_;          // per node: a collection not yet closed
  std::vector<uint32_t> anchors_;   // anchor id -> node id, per document
  std::vector<uint32_t> stack_;
  uint64_t written_ = 0;
  uint64_t total_ = 0;
  int cycle_line_ = 0;
  bool started_ = false;
  bool stuck_ = false;
  YAML::Mark last_start_ = YAML::Mark::null_mark();
};

}  // namespace

YamlStream ParseYaml(const std::string& text) {
  YamlStream out;
  Builder builder;
  try {
    std::istringstream in(text);
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(builder)) {
      if (builder.stuck()) {
        out.errors.push_back(
            YamlError{builder.start_line(), "YAML syntax error: unexpected character"});
        break;
      }
      if (out.documents.size() >= kMaxDocuments) {
        out.errors.push_back(YamlError{
            builder.start_line(),
            "more than " + std::to_string(kMaxDocuments) + " YAML documents in one file"});
        break;
      }
      if (builder.cycle_line() != 0) {
        out.errors.push_back(YamlError{builder.cycle_line(),
                                       "YAML alias refers to a node that contains it; document "
                                       "ignored"});
        continue;
      }
      if (builder.expanded() > kExpansionFloor &&
          builder.expanded() / kExpansionFactor > builder.written()) {
        out.errors.push_back(YamlError{
            builder.start_line(),
            "YAML aliases expand this document to " +
                (builder.expanded() >= kSaturated ? std::string("an unbounded number of")
                                                  : std::to_string(builder.expanded())) +
                " nodes from " + std::to_string(builder.written()) + " written; document ignored"});
        continue;
      }
      out.documents.push_back(builder.Take());
    }
  } catch (const YAML::Exception& e) {
    out.errors.push_back(YamlError{LineOf(e.mark), "YAML syntax error: " + e.msg});
  } catch (const std::bad_alloc&) {
    out.errors.push_back(YamlError{0, "YAML document too large to load"});
  } catch (const std::exception& e) {
    out.errors.push_back(YamlError{0, std::string("YAML error: ") + e.what()});
  }
  return out;
}

}  // namespace vipcast::config::detail
