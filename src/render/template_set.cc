#include "render/template_set.h"

#include <kainjow/mustache.hpp>

#include <memory>
#include <vector>

#include "render/dep_recorder.h"
#include "util/fs.h"

namespace kiln {
namespace {

namespace mstch = kainjow::mustache;

// A kainjow context that answers {{> name}} from the template set.
class TemplateContext : public mstch::context<std::string> {
 public:
  using Resolver = std::function<const std::string*(const std::string&)>;
  TemplateContext(const mstch::data* root, Resolver resolve)
      : mstch::context<std::string>(root), resolve_(std::move(resolve)) {}

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
  TemplateContext ctx(&data, [&](const std::string& partial) -> const std::string* {
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
