#include "load/front_matter.h"

#include <cctype>
#include <filesystem>
#include <initializer_list>

#include "load/permalink.h"
#include "load/summary.h"
#include "util/strings.h"
#include "util/time_format.h"

namespace kiln {
namespace {

// Implementation details: the fields arrive in one shape whatever the
// syntax (load/front_matter_fields.h), each with its file line for errors.
// Where the peers spell one thing differently, the first key present in the
// list passed to Find wins.

using Type = FrontMatterValue::Type;

class Reader {
 public:
  Reader(const std::string& source, const FrontMatterFields& fields)
      : source_(source), fields_(fields) {}

  const FrontMatterValue* Find(std::initializer_list<const char*> keys) const {
    for (const char* key : keys) {
      auto it = fields_.find(key);
      if (it != fields_.end() && it->second.type != Type::kNull) return &it->second;
    }
    return nullptr;
  }

  Status Error(const FrontMatterValue& v, const std::string& message) const {
    return Status::Invalid(message, source_, v.line);
  }

  Status Text(const FrontMatterValue& v, const char* key, std::string* out) const {
    if (v.type != Type::kScalar) return Error(v, std::string("'") + key + "' must be text");
    *out = v.scalar;
    return Status::Ok();
  }

  // A list, or one scalar as a list of one.
  Status List(const FrontMatterValue& v, const char* key, std::vector<std::string>* out) const {
    if (v.type == Type::kScalar) {
      out->push_back(v.scalar);
    } else if (v.type == Type::kList && v.items_are_scalars) {
      out->insert(out->end(), v.items.begin(), v.items.end());
    } else {
      return Error(v, std::string("'") + key + "' must be a list of text");
    }
    return Status::Ok();
  }

  Status Bool(const FrontMatterValue& v, const char* key, bool* out) const {
    std::string text;
    KILN_RETURN_IF_ERROR(Text(v, key, &text));
    if (text == "true" || text == "True" || text == "yes") *out = true;
    else if (text == "false" || text == "False" || text == "no") *out = false;
    else return Error(v, std::string("'") + key + "' must be true or false");
    return Status::Ok();
  }

  // Dates without a zone are wall-clock times in `zone` (SPEC.md).
  Status Date(const FrontMatterValue& v, const char* key, const TimeZone& zone, int64_t* out) const {
    std::string text;
    KILN_RETURN_IF_ERROR(Text(v, key, &text));
    bool has_zone;
    if (!ParseIsoDate(Trim(text), out, &has_zone)) {
      return Error(v, std::string("'") + key + "' is not a date (YYYY-MM-DD or ISO 8601): '" + text + "'");
    }
    if (!has_zone) *out = zone.LocalToUtc(*out);
    return Status::Ok();
  }

 private:
  const std::string& source_;
  const FrontMatterFields& fields_;
};

// What a file name gives, Jekyll style (DATE_FILENAME_MATCHER):
// "2016-3-7-Hello-World.md" is dated 2016-03-07 with title part
// "Hello-World". A bundle (NAME/index.md) is named by its folder.
struct NameParts {
  bool dated = false;
  int64_t day_local = 0;  // midnight, as a wall clock
  std::string title_part;
};

bool ReadNumber(std::string_view s, size_t* pos, size_t min, size_t max, int* out) {
  size_t start = *pos;
  int v = 0;
  while (*pos < s.size() && *pos - start < max && std::isdigit(static_cast<unsigned char>(s[*pos]))) {
    v = v * 10 + (s[(*pos)++] - '0');
  }
  *out = v;
  return *pos - start >= min;
}

NameParts SplitFileName(const std::string& source) {
  std::filesystem::path path(source);
  std::string name = path.stem().string();
  if (name == "index" && path.has_parent_path()) name = path.parent_path().filename().string();
  NameParts parts;
  parts.title_part = name;
  size_t pos = 0;
  int y, m, d;
  if (ReadNumber(name, &pos, 4, 4, &y) && pos < name.size() && name[pos++] == '-' &&
      ReadNumber(name, &pos, 1, 2, &m) && pos < name.size() && name[pos++] == '-' &&
      ReadNumber(name, &pos, 1, 2, &d) && pos + 1 < name.size() && name[pos++] == '-') {
    char iso[16];
    std::snprintf(iso, sizeof iso, "%04d-%02d-%02d", y, m, d);
    if (ParseIsoDate(iso, &parts.day_local)) {
      parts.dated = true;
      parts.title_part = name.substr(pos);
    }
  }
  // Jekyll: "slugs shouldn't end with a period".
  while (!parts.title_part.empty() && parts.title_part.back() == '.') parts.title_part.pop_back();
  return parts;
}

// Jekyll's Utils.titleize_slug: "hello-world" -> "Hello World".
std::string TitleFromName(const std::string& part) {
  std::string out;
  bool word_start = true;
  for (char c : part) {
    if (c == '-') {
      out += ' ';
      word_start = true;
      continue;
    }
    const unsigned char u = static_cast<unsigned char>(c);
    out += static_cast<char>(word_start ? std::toupper(u) : std::tolower(u));
    word_start = false;
  }
  return Trim(out);
}

Status ReadSlug(const std::string& source, const Reader& r, const std::string& name_part,
                std::string* slug) {
  if (const FrontMatterValue* v = r.Find({"slug"})) {
    KILN_RETURN_IF_ERROR(r.Text(*v, "slug", slug));
    if (!IsValidSlug(*slug)) {
      return r.Error(*v, "'slug' must be lower-case letters, digits, '-', '_' or '.': '" + *slug + "'");
    }
    return Status::Ok();
  }
  *slug = Slugify(name_part);
  if (!IsValidSlug(*slug)) {
    return Status::Invalid("cannot derive a slug from the file name; set 'slug'", source, 1);
  }
  return Status::Ok();
}

Status ReadTitle(const Reader& r, const std::string& name_part, std::string* title) {
  const FrontMatterValue* v = r.Find({"title"});
  if (!v) {
    *title = TitleFromName(name_part);
    return Status::Ok();
  }
  KILN_RETURN_IF_ERROR(r.Text(*v, "title", title));
  if (Trim(*title).empty()) return r.Error(*v, "'title' is empty");
  return Status::Ok();
}

// tags, then the categories Jekyll and Hugo keep apart: kiln has one
// taxonomy, and a Jekyll blog that files posts under categories only still
// gets its tag pages. Duplicates (by URL slug) are dropped.
Status ReadTags(const Reader& r, std::vector<std::string>* out) {
  for (const char* key : {"tags", "taxonomies.tags", "categories", "category", "taxonomies.categories"}) {
    const FrontMatterValue* v = r.Find({key});
    if (!v) continue;
    std::vector<std::string> raw;
    if (v->type == Type::kList && !v->items_are_scalars) return r.Error(*v, "each tag must be text");
    KILN_RETURN_IF_ERROR(r.List(*v, key, &raw));
    for (const auto& tag : raw) {
      std::string t = Trim(tag);
      for (unsigned char c : t) {
        if (c < 0x20 || c == 0x7f) return r.Error(*v, "tag '" + tag + "' holds a control character");
      }
      if (Slugify(t).empty()) return r.Error(*v, "tag '" + tag + "' has no letters or digits");
      bool seen = false;
      for (const auto& existing : *out) seen = seen || Slugify(existing) == Slugify(t);
      if (!seen) out->push_back(t);
    }
  }
  return Status::Ok();
}

Status ReadSitePath(const Reader& r, const FrontMatterValue& v, const char* key, std::string* out) {
  std::string text, error;
  KILN_RETURN_IF_ERROR(r.Text(v, key, &text));
  text = Trim(text);
  if (!StartsWith(text, "/") && text.find("://") == std::string::npos) text = "/" + text;  // Zola's path
  if (!SanitizeSitePath(text, "", out, &error)) return r.Error(v, std::string("'") + key + "': " + error);
  return Status::Ok();
}

Status ReadLinks(const Reader& r, PostMeta* m) {
  if (const FrontMatterValue* v = r.Find({"permalink", "url", "path"})) {
    KILN_RETURN_IF_ERROR(ReadSitePath(r, *v, "permalink", &m->permalink));
  }
  if (const FrontMatterValue* v = r.Find({"aliases", "redirect_from"})) {
    std::vector<std::string> raw;
    KILN_RETURN_IF_ERROR(r.List(*v, "aliases", &raw));
    for (const auto& text : raw) {
      FrontMatterValue one = *v;
      one.type = Type::kScalar;
      one.scalar = text;
      std::string path;
      KILN_RETURN_IF_ERROR(ReadSitePath(r, one, "aliases", &path));
      m->aliases.push_back(std::move(path));
    }
  }
  return Status::Ok();
}

Status ReadPeople(const Reader& r, PostMeta* m) {
  if (const FrontMatterValue* v = r.Find({"author.name", "author", "authors"})) {
    std::vector<std::string> names;
    KILN_RETURN_IF_ERROR(r.List(*v, "author", &names));
    for (const auto& name : names) m->author += (m->author.empty() ? "" : ", ") + Trim(name);
  }
  return Status::Ok();
}

Status ReadPostFields(const std::string& source, const Reader& r, const TimeZone& zone,
                      std::string_view body, PostMeta* m) {
  const NameParts name = SplitFileName(source);
  KILN_RETURN_IF_ERROR(ReadTitle(r, name.title_part, &m->title));
  if (const FrontMatterValue* v = r.Find({"date"})) {
    KILN_RETURN_IF_ERROR(r.Date(*v, "date", zone, &m->date));
  } else if (name.dated) {
    m->date = zone.LocalToUtc(name.day_local);
  } else {
    return Status::Invalid("no 'date' in the front matter, and the file name does not start with "
                           "one (as in 2016-03-07-title.md)",
                           source, 1);
  }
  if (const FrontMatterValue* v = r.Find({"updated", "lastmod", "last_modified_at"})) {
    KILN_RETURN_IF_ERROR(r.Date(*v, "updated", zone, &m->updated));
  }
  KILN_RETURN_IF_ERROR(ReadTags(r, &m->tags));
  if (const FrontMatterValue* v = r.Find({"draft"})) KILN_RETURN_IF_ERROR(r.Bool(*v, "draft", &m->draft));
  if (const FrontMatterValue* v = r.Find({"published"})) {  // Jekyll
    bool published = true;
    KILN_RETURN_IF_ERROR(r.Bool(*v, "published", &published));
    m->draft = m->draft || !published;
  }
  if (const FrontMatterValue* v = r.Find({"summary", "excerpt"})) {
    KILN_RETURN_IF_ERROR(r.Text(*v, "summary", &m->summary));
  }
  if (const FrontMatterValue* v = r.Find({"description"})) {
    KILN_RETURN_IF_ERROR(r.Text(*v, "description", &m->description));
  }
  KILN_RETURN_IF_ERROR(ReadPeople(r, m));
  KILN_RETURN_IF_ERROR(ReadLinks(r, m));
  KILN_RETURN_IF_ERROR(ReadSlug(source, r, name.title_part, &m->slug));
  // Jekyll's :title is the front matter's slug when there is one.
  const FrontMatterValue* slug = r.Find({"slug"});
  m->title_part = slug ? slug->scalar : name.title_part;
  m->summary = Trim(m->summary);
  m->description = Trim(m->description);
  if (m->summary.empty()) m->summary = ExtractSummary(body);
  m->timezone = zone.name();
  m->date_local = zone.UtcToLocal(m->date);
  m->updated_local = m->updated ? zone.UtcToLocal(m->updated) : 0;
  m->body_hash = HashBytes(body);
  return Status::Ok();
}

}  // namespace

Status ParsePostFile(const std::string& source, std::string_view bytes, PostMeta* meta,
                     std::string* body, const TimeZone& zone) {
  FrontMatterKind kind;
  FrontMatterFields fields;
  std::string_view body_view;
  KILN_RETURN_IF_ERROR(ReadFrontMatter(source, bytes, &kind, &fields, &body_view));
  PostMeta m;
  m.source = source;
  KILN_RETURN_IF_ERROR(ReadPostFields(source, Reader(source, fields), zone, body_view, &m));
  *meta = std::move(m);
  if (body) *body = std::string(body_view);
  return Status::Ok();
}

Status ParsePageFile(const std::string& source, std::string_view bytes, PageMeta* meta,
                     std::string* body) {
  FrontMatterKind kind;
  FrontMatterFields fields;
  std::string_view body_view;
  KILN_RETURN_IF_ERROR(ReadFrontMatter(source, bytes, &kind, &fields, &body_view));
  const Reader r(source, fields);
  PageMeta m;
  m.source = source;
  const std::string name = std::filesystem::path(source).stem().string();
  KILN_RETURN_IF_ERROR(ReadTitle(r, name, &m.title));
  KILN_RETURN_IF_ERROR(ReadSlug(source, r, name, &m.slug));
  m.body_hash = HashBytes(body_view);
  *meta = std::move(m);
  if (body) *body = std::string(body_view);
  return Status::Ok();
}

}  // namespace kiln
