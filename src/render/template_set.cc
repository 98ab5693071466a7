#include "render/template_set.h"

#include <algorithm>
#include <cctype>
#include <kainjow/mustache.hpp>
#include <memory>
#include <vector>

#include "render/dep_recorder.h"
#include "render/lazy_fields.h"
#include "render/page_data.h"
#include "render/template_error.h"
#include "render/template_escape.h"
#include "util/fs.h"
#include "util/strings.h"

namespace kiln {
namespace {

namespace mstch = kainjow::mustache;

// The context kainjow resolves every {{name}}, section and partial through.
// It records the dependency keys of each field the template reads (from the
// "_deps" field of the object holding it, see render/page_data.h) and
// has no partials left to resolve (TemplateSet inlines them). A field
// bound in `lazy` is made when a name first resolves to it.
class RecordingContext : public mstch::basic_context<std::string> {
 public:
  RecordingContext(const mstch::data* root, DepRecorder* deps, const LazyFields* lazy)
      : deps_(deps), lazy_(lazy) {
    stack_.push_back(root);
  }

  void push(const mstch::data* data) override { stack_.push_back(data); }
  void pop() override { stack_.pop_back(); }

  // Innermost object first, as the Mustache spec resolves names; a dotted
  // name resolves its first part that way, then walks down.
  const mstch::data* get(const std::string& name) const override {
    if (name == ".") return stack_.back();
    // Most names have no dot: they are looked up as they are, with no copy.
    if (name.find('.') == std::string::npos) {
      for (auto it = stack_.rbegin(); it != stack_.rend(); ++it) {
        const mstch::data* var = (*it)->get(name);
        if (!var) continue;
        Record(*it, name);
        return Resolve(var);
      }
      return nullptr;
    }
    std::vector<std::string> parts;
    for (size_t start = 0;;) {
      size_t dot = name.find('.', start);
      parts.push_back(name.substr(start, dot - start));
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    for (auto it = stack_.rbegin(); it != stack_.rend(); ++it) {
      const mstch::data* head = (*it)->get(parts[0]);
      if (!head) continue;
      Record(*it, parts[0]);
      const mstch::data* var = Resolve(head);
      for (size_t i = 1; i < parts.size() && var; ++i) {
        const mstch::data* next = var->get(parts[i]);
        if (next) Record(var, parts[i]);
        var = next ? Resolve(next) : nullptr;
      }
      return var;
    }
    return nullptr;
  }

  // Partials were inlined when the template was compiled.
  const mstch::data* get_partial(const std::string&) const override { return nullptr; }

 private:
  void Record(const mstch::data* object, const std::string& field) const {
    const mstch::data* deps = object->get(kDepsField);
    const mstch::data* keys = deps ? deps->get(field) : nullptr;
    if (!keys || !keys->is_string()) return;
    const std::string_view text = keys->string_value();
    for (size_t start = 0, end; (end = text.find('\n', start)) != std::string::npos; start = end + 1) {
      deps_->Record(text.substr(start, end - start));
    }
  }

  const mstch::data* Resolve(const mstch::data* var) const {
    return lazy_ ? lazy_->Resolve(var) : var;
  }

  std::vector<const mstch::data*> stack_;
  DepRecorder* deps_;
  const LazyFields* lazy_;
};

// What kainjow's render(context, stream) writes to: `stream << text`.
struct StringSink {
  std::string* out;
  StringSink& operator<<(const std::string& text) {
    out->append(text);
    return *this;
  }
};

std::string FileOf(const std::string& name) { return "templates/" + name + ".mustache"; }

constexpr int kMaxPartialDepth = 32;

bool IsNameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.'; }

}  // namespace

TemplateSet::TemplateSet(std::filesystem::path dir) : dir_(std::move(dir)) {}
TemplateSet::TemplateSet(std::filesystem::path dir, const std::map<std::string, std::string>* texts)
    : dir_(std::move(dir)), preloaded_(texts) {}
TemplateSet::~TemplateSet() = default;

Status TemplateSet::Text(const std::string& name, const std::string** text) {
  *text = nullptr;
  auto it = texts_.find(name);
  if (it != texts_.end()) {
    *text = &it->second;
    return Status::Ok();
  }
  // Names come from template text; refuse anything that could leave the folder.
  if (name.empty() || name.find('/') != std::string::npos || name.find("..") != std::string::npos) {
    return Status::Ok();
  }
  if (preloaded_) {
    auto found = preloaded_->find(name);
    if (found != preloaded_->end()) *text = &found->second;
    return Status::Ok();
  }
  std::filesystem::path path = dir_ / (name + ".mustache");
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return Status::Ok();
  std::string content;
  KILN_RETURN_IF_ERROR(ReadFile(path, &content));
  *text = &texts_.emplace(name, std::move(content)).first->second;
  return Status::Ok();
}

// Copies NAME's text into `out` with every {{> partial}} (and {{>partial}})
// replaced by the partial's own expansion.
Status TemplateSet::Expand(const std::string& name, const std::string& included_from, int depth,
                           std::set<std::string>* partials, std::string* out) {
  if (depth > kMaxPartialDepth) {
    return Status::Invalid("partials nest deeper than " + std::to_string(kMaxPartialDepth) +
                               " (does '" + name + "' include itself?)", FileOf(included_from));
  }
  auto done = expanded_.find(name);
  if (done != expanded_.end()) {
    out->append(done->second.first);
    partials->insert(done->second.second.begin(), done->second.second.end());
    return Status::Ok();
  }
  const std::string* text;
  KILN_RETURN_IF_ERROR(Text(name, &text));
  if (!text) {
    return Status::NotFound("missing partial '" + name + "' (expected " + FileOf(name) + ")",
                            FileOf(included_from));
  }
  {
    // Parse the file alone first, so a syntax error names its own file and
    // line rather than a position in the expanded template. (A partial's
    // mistake is reported as the partial's, not the including template's.)
    mstch::mustache alone(*text);
    if (!alone.is_valid()) return TemplateSyntaxError(alone.error_message(), FileOf(name), *text);
  }
  std::string mine;
  std::set<std::string> my_partials;
  Status s = ExpandText(name, *text, depth, &my_partials, &mine);
  partials->insert(my_partials.begin(), my_partials.end());  // even on error: recorded as deps
  if (!s.ok()) return s;
  out->append(mine);
  expanded_[name] = {std::move(mine), std::move(my_partials)};
  return Status::Ok();
}

Status TemplateSet::ExpandText(const std::string& name, const std::string& text_ref, int depth,
                               std::set<std::string>* partials, std::string* out) {
  const std::string* text = &text_ref;
  size_t pos = 0;
  while (true) {
    size_t open = text->find("{{>", pos);
    if (open == std::string::npos) break;
    size_t close = text->find("}}", open);
    if (close == std::string::npos) break;  // the parser reports the unclosed tag
    std::string partial = Trim(std::string_view(*text).substr(open + 3, close - open - 3));
    out->append(*text, pos, open - pos);
    pos = close + 2;
    if (partial.empty() || !std::all_of(partial.begin(), partial.end(), IsNameChar)) {
      return Status::Invalid("bad partial name '" + partial + "'", FileOf(name));
    }
    partials->insert(partial);
    KILN_RETURN_IF_ERROR(Expand(partial, name, depth + 1, partials, out));
  }
  out->append(*text, pos, std::string::npos);
  return Status::Ok();
}

const TemplateSet::Compiled& TemplateSet::Compile(const std::string& name, const std::string& needed_by) {
  auto it = compiled_.find(name);
  if (it != compiled_.end()) return it->second;
  Compiled& c = compiled_[name];
  const std::string* text;
  c.error = Text(name, &text);
  if (c.error.ok() && !text) {
    c.error = Status::NotFound("missing template (needed for " + needed_by + ")", FileOf(name));
  }
  std::string expanded;
  if (c.error.ok()) c.error = Expand(name, name, 0, &c.partials, &expanded);
  if (c.error.ok()) {
    c.tmpl = std::make_unique<mstch::mustache>(expanded);
    c.tmpl->set_custom_escape(&EscapeTemplateValue);
    // Each file parsed alone, yet not together (a section opened in one
    // file and closed in another): no single line is at fault.
    if (!c.tmpl->is_valid()) {
      c.error = Status::Invalid(WithoutOffset(c.tmpl->error_message()) + " (with its partials inlined)", FileOf(name));
    }
  }
  return c;
}

Status TemplateSet::Render(const std::string& name, const mstch::data& data,
                           const std::string& needed_by, DepRecorder* deps, std::string* out,
                           const LazyFields* lazy) {
  deps->Record(dep::Template(name));
  const Compiled& c = Compile(name, needed_by);
  for (const auto& partial : c.partials) deps->Record(dep::Template(partial));
  if (!c.error.ok()) return c.error;
  RecordingContext ctx(&data, deps, lazy);
  // Appended straight to `out`: kainjow's render(ctx) goes through an
  // ostringstream and copies the whole page out of it at the end.
  out->clear();
  StringSink sink{out};
  c.tmpl->render(ctx, sink);
  if (!c.tmpl->is_valid()) return Status::Invalid(c.tmpl->error_message(), FileOf(name));
  return Status::Ok();
}

}  // namespace kiln
