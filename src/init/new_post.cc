#include "init/new_post.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "util/strings.h"
#include "util/time_format.h"

namespace kiln {
namespace {

// A YAML double-quoted scalar: only '"' and '\' need escaping once control
// characters are refused.
std::string Quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

bool HasControlChar(const std::string& text) {
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

}  // namespace

Status NewPost(const std::filesystem::path& site_root, const NewPostRequest& request,
               std::string* written) {
  if (!std::filesystem::exists(site_root / "kiln.toml")) {
    return Status::NotFound("missing site configuration (is this a kiln site? try `kiln init`)",
                            (site_root / "kiln.toml").string());
  }
  const std::string title = Trim(request.title);
  if (title.empty()) return Status::Invalid("the post needs a title");
  if (HasControlChar(title)) return Status::Invalid("the title holds a control character (a tab or a line break?)");
  const std::string slug = Slugify(title);
  if (slug.empty()) return Status::Invalid("the title has no letter or digit to make the file name from");
  std::string text = "---\ntitle: " + Quoted(title) + "\ndate: " + FormatRfc3339(request.now) + "\n";
  bool any_tag = false;
  for (const std::string& raw : request.tags) {
    const std::string tag = Trim(raw);
    if (tag.empty()) continue;
    if (HasControlChar(tag)) return Status::Invalid("a tag holds a control character");
    if (!any_tag) text += "tags:\n";
    any_tag = true;
    text += "  - " + Quoted(tag) + "\n";
  }
  if (request.draft) text += "draft: true\n";
  text += "---\n\nThe first paragraph is the post's summary on the home page and in the feed.\n";

  *written = "content/posts/" + slug + ".md";
  const std::filesystem::path path = site_root / *written;
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  // O_EXCL: an existing post is never overwritten, even by a race.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    if (errno == EEXIST) return Status::Invalid("a post with this file name already exists", path.string());
    return Status::Io(std::string("cannot create: ") + std::strerror(errno), path.string());
  }
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string why = std::strerror(errno);
      ::close(fd);
      ::unlink(path.c_str());
      return Status::Io("cannot write: " + why, path.string());
    }
    done += static_cast<size_t>(n);
  }
  if (::close(fd) != 0) return Status::Io(std::string("cannot write: ") + std::strerror(errno), path.string());
  return Status::Ok();
}

}  // namespace kiln
