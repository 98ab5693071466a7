// Layout (util/byte_codec.h):
//   "KLNS" u32 format | u64 key | i64 planned_at | u8 static_robots
//   u32 n × (str path, u64 content_hash)        sources of templates, static, bundle files
//   u32 n × post | u32 n × (str source slug title, u64 body_hash)  posts, pages
//   u32 n × (str url output kind key, i64 number)               plan
//   u32 n × (str name, str text)                                templates
//   u64 XXH3 of everything before it.
#include "engine/site_snapshot.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "load/config.h"
#include "util/byte_codec.h"
#include "util/fs.h"
#include "util/hash.h"

namespace kiln {
namespace {

constexpr char kSnapshotMagic[4] = {'K', 'L', 'N', 'S'};
constexpr uint32_t kSnapshotFormat = 1;

// A post's or standalone page's file: content/….md or .markdown.
bool IsContentMarkdown(const std::string& rel) {
  return rel.starts_with("content/") && (rel.ends_with(".md") || rel.ends_with(".markdown"));
}

void PutStrings(ByteWriter* w, const std::vector<std::string>& v) {
  w->U32(static_cast<uint32_t>(v.size()));
  for (const auto& s : v) w->Str(s);
}

bool GetStrings(ByteReader* r, std::vector<std::string>* v) {
  uint32_t n;
  if (!r->Count(&n, 4)) return false;
  v->resize(n);
  for (auto& s : *v) {
    if (!r->Str(&s)) return false;
  }
  return true;
}

void PutPost(ByteWriter* w, const PostMeta& p) {
  for (const std::string* s : {&p.source, &p.slug, &p.title, &p.summary, &p.title_part, &p.timezone,
                               &p.author, &p.description, &p.permalink, &p.url}) {
    w->Str(*s);
  }
  for (int64_t v : {p.date, p.updated, p.date_local, p.updated_local}) w->I64(v);
  w->U64(p.body_hash);
  w->U8(p.draft ? 1 : 0);
  PutStrings(w, p.tags);
  PutStrings(w, p.aliases);
  PutStrings(w, p.assets);
}

bool GetPost(ByteReader* r, PostMeta* p) {
  for (std::string* s : {&p->source, &p->slug, &p->title, &p->summary, &p->title_part, &p->timezone,
                         &p->author, &p->description, &p->permalink, &p->url}) {
    if (!r->Str(s)) return false;
  }
  for (int64_t* v : {&p->date, &p->updated, &p->date_local, &p->updated_local}) {
    if (!r->I64(v)) return false;
  }
  uint8_t draft;
  if (!r->U64(&p->body_hash) || !r->U8(&draft)) return false;
  p->draft = draft != 0;
  return GetStrings(r, &p->tags) && GetStrings(r, &p->aliases) && GetStrings(r, &p->assets);
}

bool Decode(std::string_view bytes, uint64_t key, ResidentState* state) {
  if (bytes.size() < 8) return false;
  uint64_t sum;
  std::memcpy(&sum, bytes.data() + bytes.size() - 8, 8);
  const std::string_view body = bytes.substr(0, bytes.size() - 8);
  if (HashBytes(body) != sum) return false;
  ByteReader r(body);
  char magic[4];
  uint32_t format, n;
  uint64_t stored_key;
  uint8_t robots;
  if (!r.Raw(magic, 4) || std::memcmp(magic, kSnapshotMagic, 4) != 0 || !r.U32(&format) ||
      format != kSnapshotFormat || !r.U64(&stored_key) || stored_key != key ||
      !r.I64(&state->planned_at) || !r.U8(&robots)) {
    return false;
  }
  state->content->static_robots = robots != 0;
  if (!r.Count(&n, 12)) return false;
  for (uint32_t i = 0; i < n; ++i) {
    std::string path;
    CachedSource source;
    if (!r.Str(&path) || !r.U64(&source.content_hash)) return false;
    state->sources.emplace_hint(state->sources.end(), std::move(path), std::move(source));
  }
  if (!r.Count(&n, 4)) return false;
  state->content->posts.resize(n);
  for (PostMeta& post : state->content->posts) {
    if (!GetPost(&r, &post)) return false;
  }
  if (!r.Count(&n, 20)) return false;
  state->content->pages.resize(n);
  for (PageMeta& page : state->content->pages) {
    if (!r.Str(&page.source) || !r.Str(&page.slug) || !r.Str(&page.title) ||
        !r.U64(&page.body_hash)) {
      return false;
    }
  }
  if (!r.Count(&n, 24)) return false;
  state->plan.resize(n);
  for (PageSpec& spec : state->plan) {
    int64_t number;
    if (!r.Str(&spec.url) || !r.Str(&spec.output) || !r.Str(&spec.kind) || !r.Str(&spec.key) ||
        !r.I64(&number)) {
      return false;
    }
    spec.number = static_cast<int>(number);
  }
  if (!r.Count(&n, 8)) return false;
  for (uint32_t i = 0; i < n; ++i) {
    std::string name, text;
    if (!r.Str(&name) || !r.Str(&text)) return false;
    state->template_texts.emplace(std::move(name), std::move(text));
  }
  return r.AtEnd();
}

// A temporary file being written: the first error writing it, and the file
// closed and removed unless Keep() renamed it into place.
class FileSink {
 public:
  explicit FileSink(std::filesystem::path tmp)
      : tmp_(std::move(tmp)),
        fd_(::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) {
    if (fd_ < 0)
      status_ = Status::Io(std::string("cannot write: ") + std::strerror(errno), tmp_.string());
  }
  ~FileSink() {
    if (fd_ >= 0) ::close(fd_);
    if (!kept_) ::unlink(tmp_.c_str());
  }
  FileSink(const FileSink&) = delete;
  FileSink& operator=(const FileSink&) = delete;

  bool failed() const { return !status_.ok(); }
  void Write(std::string_view bytes) {
    if (status_.ok()) status_ = WriteAll(fd_, bytes, tmp_.string());
  }
  // Closes the file and renames it to `file`.
  Status Keep(const std::filesystem::path& file) {
    const int fd = fd_;
    fd_ = -1;
    if (fd >= 0 && ::close(fd) != 0 && status_.ok()) {
      status_ = Status::Io(std::string("cannot write: ") + std::strerror(errno), tmp_.string());
    }
    KILN_RETURN_IF_ERROR(status_);
    if (::rename(tmp_.c_str(), file.c_str()) != 0) {
      return Status::Io(std::string("cannot rename: ") + std::strerror(errno), file.string());
    }
    kept_ = true;
    return Status::Ok();
  }

 private:
  const std::filesystem::path tmp_;
  int fd_;
  Status status_ = Status::Ok();
  bool kept_ = false;
};

}  // namespace

uint64_t SiteSnapshotKey(const Manifest& manifest) {
  return ManifestChecksum(EncodeManifest(manifest));
}

Status SaveSiteSnapshot(const std::filesystem::path& file, uint64_t key,
                        const ResidentState& state) {
  if (!state.content) return Status::Invalid("no content to snapshot");
  // Written and hashed a megabyte at a time as it is encoded: held whole,
  // the bytes (69 MB at 100,000 posts, in a string grown by doubling) were
  // the last rise to a full build's peak memory.
  FileSink out(file.string() + ".tmp");
  if (out.failed()) return out.Keep(file);  // the error opening it
  Hasher sum;
  ByteWriter w(
      [&](std::string_view bytes) {
        if (out.failed()) return;  // the rest is not worth hashing
        sum.AddRaw(bytes);
        out.Write(bytes);
      },
      1 << 20);
  w.Raw(kSnapshotMagic, 4);
  w.U32(kSnapshotFormat);
  w.U64(key);
  w.I64(state.planned_at);
  w.U8(state.content->static_robots ? 1 : 0);
  // Only the sources whose content hash a fingerprint reads (templates,
  // static and bundle files): a post's or page's own file is fingerprinted
  // through its metadata in `content`, and a comment build, the one reader,
  // saves no source row. At 4,000 posts that leaves out 4,000 of the
  // entries, each a CachedSource of some 700 bytes to make.
  std::vector<const std::pair<const std::string, CachedSource>*> kept;
  for (const auto& entry : state.sources) {
    if (!IsContentMarkdown(entry.first)) kept.push_back(&entry);
  }
  w.U32(static_cast<uint32_t>(kept.size()));
  for (const auto* entry : kept) {
    w.Str(entry->first);
    w.U64(entry->second.content_hash);
  }
  w.U32(static_cast<uint32_t>(state.content->posts.size()));
  for (const PostMeta& post : state.content->posts) PutPost(&w, post);
  w.U32(static_cast<uint32_t>(state.content->pages.size()));
  for (const PageMeta& page : state.content->pages) {
    w.Str(page.source);
    w.Str(page.slug);
    w.Str(page.title);
    w.U64(page.body_hash);
  }
  w.U32(static_cast<uint32_t>(state.plan.size()));
  for (const PageSpec& spec : state.plan) {
    for (const std::string* s : {&spec.url, &spec.output, &spec.kind, &spec.key}) w.Str(*s);
    w.I64(spec.number);
  }
  w.U32(static_cast<uint32_t>(state.template_texts.size()));
  for (const auto& [name, text] : state.template_texts) {
    w.Str(name);
    w.Str(text);
  }
  w.Flush();
  const uint64_t checksum = sum.Finish();
  out.Write(std::string_view(reinterpret_cast<const char*>(&checksum), 8));
  return out.Keep(file);
}

bool LoadSiteSnapshot(const std::filesystem::path& root, const std::filesystem::path& file,
                      uint64_t key, ResidentState* state) {
  state->Clear();
  MappedFile mapped;
  if (!mapped.Open(file).ok()) return false;
  state->content = std::make_unique<SiteContent>();
  if (!Decode(mapped.bytes(), key, state) ||
      !LoadConfig(root / "kiln.toml", &state->content->config).ok()) {
    state->Clear();
    return false;
  }
  state->index = std::make_unique<SiteIndex>(*state->content, state->planned_at);
  return true;
}

}  // namespace kiln
