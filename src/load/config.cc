#include "load/config.h"

#include <toml++/toml.h>

#include <set>

#include "load/permalink.h"

namespace kiln {
namespace {

// Implementation details: toml++ throws toml::parse_error on malformed
// files; we catch it here and convert it to a Status with the line. Every key
// is checked against the known set so that a typo ("post_per_page") is an
// error with its line rather than a silent default.

// "https://x.github.io/blog/" -> "/blog/"; "http://127.0.0.1:8080/" -> "/".
std::string BasePathOf(const std::string& base_url) {
  size_t scheme = base_url.find("://");
  size_t path = base_url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  return path == std::string::npos ? "/" : base_url.substr(path);
}

int LineOf(const toml::node& node) { return static_cast<int>(node.source().begin.line); }

class ConfigReader {
 public:
  ConfigReader(std::string file) : file_(std::move(file)) {}

  Status ReadString(const toml::node& node, std::string* out) {
    if (!node.is_string()) return Status::Invalid("expected a string", file_, LineOf(node));
    *out = *node.value<std::string>();
    return Status::Ok();
  }

  Status ReadInt(const toml::node& node, int min, int max, int* out) {
    if (!node.is_integer()) return Status::Invalid("expected an integer", file_, LineOf(node));
    int64_t v = *node.value<int64_t>();
    if (v < min || v > max) {
      return Status::Invalid("value " + std::to_string(v) + " out of range " + std::to_string(min) +
                                 ".." + std::to_string(max),
                             file_, LineOf(node));
    }
    *out = static_cast<int>(v);
    return Status::Ok();
  }

  Status UnknownKey(const std::string& prefix, const toml::key& key) {
    return Status::Invalid("unknown key '" + prefix + std::string(key.str()) + "'", file_,
                           static_cast<int>(key.source().begin.line));
  }

  Status ReadComments(const toml::table& table, CommentsConfig* out) {
    for (auto&& [key, node] : table) {
      if (key == "moderation") {
        KILN_RETURN_IF_ERROR(ReadString(node, &out->moderation));
        if (out->moderation != "auto" && out->moderation != "manual") {
          return Status::Invalid("comments.moderation must be \"auto\" or \"manual\"", file_,
                                 LineOf(node));
        }
      } else if (key == "max_length") {
        // Capped: cmark-gfm's tables are quadratic in their columns, so a
        // huge body could stall a build (20,000 columns took 10 s).
        KILN_RETURN_IF_ERROR(ReadInt(node, 1, 100000, &out->max_length));
      } else if (key == "rate_limit_per_minute") {
        KILN_RETURN_IF_ERROR(ReadInt(node, 0, 100000, &out->rate_limit_per_minute));
      } else {
        return UnknownKey("comments.", key);
      }
    }
    return Status::Ok();
  }

  Status ReadServer(const toml::table& table, ServerConfig* out) {
    for (auto&& [key, node] : table) {
      if (key == "host") {
        KILN_RETURN_IF_ERROR(ReadString(node, &out->host));
      } else if (key == "port") {
        KILN_RETURN_IF_ERROR(ReadInt(node, 0, 65535, &out->port));
      } else if (key == "connections_per_address") {
        KILN_RETURN_IF_ERROR(ReadInt(node, 1, 100000, &out->connections_per_address));
      } else if (key == "timeout_seconds") {
        KILN_RETURN_IF_ERROR(ReadInt(node, 1, 3600, &out->timeout_seconds));
      } else {
        return UnknownKey("server.", key);
      }
    }
    return Status::Ok();
  }

  Status ReadBool(const toml::node& node, bool* out) {
    if (!node.is_boolean()) return Status::Invalid("expected true or false", file_, LineOf(node));
    *out = *node.value<bool>();
    return Status::Ok();
  }

  // An endpoint is an http:// URL: purges go to caches on the server's
  // own network, and a typo must fail here, not at every build.
  Status ReadEndpoints(const toml::node& node, std::vector<std::string>* out) {
    if (!node.is_array()) return Status::Invalid("expected a list of URLs", file_, LineOf(node));
    for (const toml::node& item : *node.as_array()) {
      std::string url;
      KILN_RETURN_IF_ERROR(ReadString(item, &url));
      if (!url.starts_with("http://") && !url.starts_with("https://")) {
        return Status::Invalid("edge.purge: '" + url + "' is not an http:// or https:// URL", file_,
                               LineOf(item));
      }
      out->push_back(url);
    }
    return Status::Ok();
  }

  Status ReadEdge(const toml::table& table, EdgeConfig* out) {
    for (auto&& [key, node] : table) {
      if (key == "purge") {
        KILN_RETURN_IF_ERROR(ReadEndpoints(node, &out->purge));
      } else if (key == "xkey_purge") {
        KILN_RETURN_IF_ERROR(ReadBool(node, &out->xkey_purge));
      } else if (key == "timeout_ms") {
        KILN_RETURN_IF_ERROR(ReadInt(node, 1, 60000, &out->timeout_ms));
      } else if (key == "retries") {
        KILN_RETURN_IF_ERROR(ReadInt(node, 0, 10, &out->retries));
      } else if (key == "s_maxage") {
        KILN_RETURN_IF_ERROR(ReadInt(node, 0, 31536000, &out->s_maxage));
      } else if (key == "headers_file") {
        KILN_RETURN_IF_ERROR(ReadBool(node, &out->headers_file));
      } else {
        return UnknownKey("edge.", key);
      }
    }
    return Status::Ok();
  }

  Status ReadNotify(const toml::table& table, NotifyConfig* out) {
    for (auto&& [key, node] : table) {
      if (key == "url") {
        KILN_RETURN_IF_ERROR(ReadString(node, &out->url));
        if (!out->url.starts_with("http://") && !out->url.starts_with("https://")) {
          return Status::Invalid("notify.url: '" + out->url + "' is not an http:// or https:// URL", file_,
                                 LineOf(node));
        }
      } else if (key == "secret") {
        KILN_RETURN_IF_ERROR(ReadString(node, &out->secret));
      } else if (key == "events") {
        KILN_RETURN_IF_ERROR(ReadEvents(node, &out->events));
      } else if (key == "timeout_ms") {
        KILN_RETURN_IF_ERROR(ReadInt(node, 1, 60000, &out->timeout_ms));
      } else if (key == "retries") {
        KILN_RETURN_IF_ERROR(ReadInt(node, 0, 100, &out->retries));
      } else if (key == "retry_ms") {
        KILN_RETURN_IF_ERROR(ReadInt(node, 1, 300000, &out->retry_ms));
      } else if (key == "queue_size") {
        KILN_RETURN_IF_ERROR(ReadInt(node, 1, 1000000, &out->queue_size));
      } else {
        return UnknownKey("notify.", key);
      }
    }
    return Status::Ok();
  }

  Status ReadEvents(const toml::node& node, std::vector<std::string>* out) {
    if (!node.is_array()) return Status::Invalid("expected a list of events", file_, LineOf(node));
    out->clear();
    for (const toml::node& item : *node.as_array()) {
      std::string event;
      KILN_RETURN_IF_ERROR(ReadString(item, &event));
      if (event != "pending" && event != "published") {
        return Status::Invalid("notify.events: '" + event + "' is not \"pending\" or \"published\"", file_,
                               LineOf(item));
      }
      out->push_back(event);
    }
    return Status::Ok();
  }

  // An address is compared as written with the client's ("127.0.0.1",
  // "::1"): no ranges, so what is open is visible at a glance.
  Status ReadAddresses(const toml::node& node, std::vector<std::string>* out) {
    if (!node.is_array()) return Status::Invalid("expected a list of addresses", file_, LineOf(node));
    out->clear();
    for (const toml::node& item : *node.as_array()) {
      std::string address;
      KILN_RETURN_IF_ERROR(ReadString(item, &address));
      out->push_back(address);
    }
    return Status::Ok();
  }

  Status ReadStats(const toml::table& table, StatsConfig* out) {
    for (auto&& [key, node] : table) {
      if (key == "enabled") {
        KILN_RETURN_IF_ERROR(ReadBool(node, &out->enabled));
      } else if (key == "allow") {
        KILN_RETURN_IF_ERROR(ReadAddresses(node, &out->allow));
      } else if (key == "record") {
        KILN_RETURN_IF_ERROR(ReadBool(node, &out->record));
      } else if (key == "flush_seconds") {
        KILN_RETURN_IF_ERROR(ReadInt(node, 1, 3600, &out->flush_seconds));
      } else {
        return UnknownKey("stats.", key);
      }
    }
    return Status::Ok();
  }

  Status ReadPermalinks(const toml::table& table, PermalinksConfig* out) {
    for (auto&& [key, node] : table) {
      if (key != "post") return UnknownKey("permalinks.", key);
      KILN_RETURN_IF_ERROR(ReadString(node, &out->post));
      std::string error;
      if (!CheckPermalinkPattern(out->post, &error)) {
        return Status::Invalid("permalinks.post: " + error, file_, LineOf(node));
      }
    }
    return Status::Ok();
  }

  Status ReadMarkdown(const toml::table& table, MarkdownConfig* out) {
    for (auto&& [key, node] : table) {
      if (key != "highlight") return UnknownKey("markdown.", key);
      KILN_RETURN_IF_ERROR(ReadBool(node, &out->highlight));
    }
    return Status::Ok();
  }

  Status ReadTable(const toml::node& node, const char* name, const toml::table** out) {
    if (!node.is_table()) {
      return Status::Invalid(std::string("'") + name + "' must be a table", file_, LineOf(node));
    }
    *out = node.as_table();
    return Status::Ok();
  }

  Status Read(const toml::table& root, Config* out) {
    for (auto&& [key, node] : root) {
      const toml::table* sub;
      if (key == "title") {
        KILN_RETURN_IF_ERROR(ReadString(node, &out->title));
      } else if (key == "base_url") {
        KILN_RETURN_IF_ERROR(ReadString(node, &out->base_url));
        if (out->base_url.empty() || out->base_url.back() != '/') out->base_url += '/';
        out->base_path = BasePathOf(out->base_url);
      } else if (key == "description") {
        KILN_RETURN_IF_ERROR(ReadString(node, &out->description));
      } else if (key == "author") {
        KILN_RETURN_IF_ERROR(ReadString(node, &out->author));
      } else if (key == "posts_per_page") {
        KILN_RETURN_IF_ERROR(ReadInt(node, 1, 10000, &out->posts_per_page));
      } else if (key == "feed_size") {
        KILN_RETURN_IF_ERROR(ReadInt(node, 1, 10000, &out->feed_size));
      } else if (key == "feed_content") {
        KILN_RETURN_IF_ERROR(ReadString(node, &out->feed_content));
        if (out->feed_content != "summary" && out->feed_content != "full") {
          return Status::Invalid("feed_content must be \"summary\" or \"full\"", file_, LineOf(node));
        }
      } else if (key == "timezone") {
        std::string name;
        KILN_RETURN_IF_ERROR(ReadString(node, &name));
        Status found = TimeZone::Find(name, &out->timezone);
        if (!found.ok()) return Status::Invalid(found.message(), file_, LineOf(node));
      } else if (key == "permalinks") {
        KILN_RETURN_IF_ERROR(ReadTable(node, "permalinks", &sub));
        KILN_RETURN_IF_ERROR(ReadPermalinks(*sub, &out->permalinks));
      } else if (key == "markdown") {
        KILN_RETURN_IF_ERROR(ReadTable(node, "markdown", &sub));
        KILN_RETURN_IF_ERROR(ReadMarkdown(*sub, &out->markdown));
      } else if (key == "comments") {
        KILN_RETURN_IF_ERROR(ReadTable(node, "comments", &sub));
        KILN_RETURN_IF_ERROR(ReadComments(*sub, &out->comments));
      } else if (key == "server") {
        KILN_RETURN_IF_ERROR(ReadTable(node, "server", &sub));
        KILN_RETURN_IF_ERROR(ReadServer(*sub, &out->server));
      } else if (key == "edge") {
        KILN_RETURN_IF_ERROR(ReadTable(node, "edge", &sub));
        KILN_RETURN_IF_ERROR(ReadEdge(*sub, &out->edge));
      } else if (key == "stats") {
        KILN_RETURN_IF_ERROR(ReadTable(node, "stats", &sub));
        KILN_RETURN_IF_ERROR(ReadStats(*sub, &out->stats));
      } else if (key == "notify") {
        KILN_RETURN_IF_ERROR(ReadTable(node, "notify", &sub));
        KILN_RETURN_IF_ERROR(ReadNotify(*sub, &out->notify));
      } else {
        return UnknownKey("", key);
      }
    }
    return Status::Ok();
  }

 private:
  std::string file_;
};

}  // namespace

Status LoadConfig(const std::filesystem::path& file, Config* out) {
  const std::string name = file.filename().string();
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) {
    return Status::NotFound("missing site configuration (is this a kiln site? try `kiln init`)",
                            file.string());
  }
  if (!std::filesystem::is_regular_file(file, ec)) {
    return Status::Invalid("is not a file", file.string());
  }
  toml::table root;
  try {
    root = toml::parse_file(file.string());
  } catch (const toml::parse_error& e) {
    return Status::Invalid(std::string(e.description()), file.string(),
                           static_cast<int>(e.source().begin.line));
  }
  Config config;
  KILN_RETURN_IF_ERROR(ConfigReader(file.string()).Read(root, &config));
  *out = std::move(config);
  return Status::Ok();
}

}  // namespace kiln
