#include "render/template_set.h"

#include <kainjow/mustache.hpp>

#include <memory>
#include <vector>

#include "render/dep_recorder.h"
#include "render/page_data.h"
#include "util/fs.h"

namespace kiln {
namespace {

namespace mstch = kainjow::mustache;

// The context kainjow resolves every {{name}}, section and partial through.
// It records the dependency keys of each field the template reads (from the
// "_deps" field of the object holding it, see render/page_data.h) and
// answers {{> name}} from the template set.
class RecordingContext : public mstch::basic_context<std::string> {
 public:
  using Resolver = std::function<const std::string*(const std::string&)>;
  RecordingContext(const mstch::data* root, DepRecorder* deps, Resolver resolve)
      : deps_(deps), resolve_(std::move(resolve)) {
    stack_.push_back(root);
  }

  void push(const mstch::data* data) override { stack_.push_back(data); }
  void pop() override { stack_.pop_back(); }

  // Innermost object first, as the Mustache spec resolves names; a dotted
  // name resolves its first part that way, then walks down.
  const mstch::data* get(const std::string& name) const override {
    if (name == ".") return stack_.back();
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
      const mstch::data* var = head;
      for (size_t i = 1; i < parts.size() && var; ++i) {
        const mstch::data* next = var->get(parts[i]);
        if (next) Record(var, parts[i]);
        var = next;
      }
      return var;
    }
    return nullptr;
  }

  const mstch::data* get_partial(const std::string& name) const override {
    const std::string* text = resolve_(name);
    if (!text) {
      missing_.push_back(name);
      return nullptr;
    }
    partials_.push_back(std::make_unique<mstch::data>(*text));
    return partials_.back().get();
  }

  const std::vector<std::string>& missing() const { return missing_; }

 private:
  void Record(const mstch::data* object, const std::string& field) const {
    const mstch::data* deps = object->get(kDepsField);
    const mstch::data* keys = deps ? deps->get(field) : nullptr;
    if (!keys || !keys->is_string()) return;
    const std::string& text = keys->string_value();
    for (size_t start = 0, end; (end = text.find('\n', start)) != std::string::npos; start = end + 1) {
      deps_->Record(text.substr(start, end - start));
    }
  }

  std::vector<const mstch::data*> stack_;
  DepRecorder* deps_;
  Resolver resolve_;
  mutable std::vector<std::unique_ptr<mstch::data>> partials_;
  mutable std::vector<std::string> missing_;
};

std::string FileOf(const std::string& name) { return "templates/" + name + ".mustache"; }

}  // namespace

const std::string* TemplateSet::Text(const std::string& name, Status* error) {
  auto it = texts_.find(name);
  if (it != texts_.end()) return &it->second;
  // Names come from template text; refuse anything that could leave the folder.
  if (name.empty() || name.find('/') != std::string::npos || name.find("..") != std::string::npos) {
    return nullptr;
  }
  std::filesystem::path path = dir_ / (name + ".mustache");
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return nullptr;
  std::string text;
  Status s = ReadFile(path, &text);
  if (!s.ok()) {
    *error = s;
    return nullptr;
  }
  return &texts_.emplace(name, std::move(text)).first->second;
}

Status TemplateSet::Render(const std::string& name, const mstch::data& data,
                           const std::string& needed_by, DepRecorder* deps, std::string* out) {
  Status read_error;
  deps->Record(dep::Template(name));
  const std::string* text = Text(name, &read_error);
  if (!read_error.ok()) return read_error;
  if (!text) return Status::NotFound("missing template (needed for " + needed_by + ")", FileOf(name));

  mstch::mustache tmpl(*text);
  if (!tmpl.is_valid()) return Status::Invalid(tmpl.error_message(), FileOf(name));
  RecordingContext ctx(&data, deps, [&](const std::string& partial) -> const std::string* {
    deps->Record(dep::Template(partial));
    return Text(partial, &read_error);
  });
  *out = tmpl.render(ctx);
  if (!read_error.ok()) return read_error;
  if (!tmpl.is_valid()) return Status::Invalid(tmpl.error_message(), FileOf(name));
  if (!ctx.missing().empty()) {
    return Status::NotFound("missing partial '" + ctx.missing().front() + "' (expected " +
                                FileOf(ctx.missing().front()) + ")",
                            FileOf(name));
  }
  return Status::Ok();
}

}  // namespace kiln
