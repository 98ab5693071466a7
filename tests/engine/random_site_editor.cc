#include "engine/random_site_editor.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "kiln_process.h"
#include "util/strings.h"
#include "util/time_format.h"

namespace kiln::testing {

// Implementation details: every edit writes new text (counter_), so no edit
// is a silent no-op; edits that need something to act on (a comment to
// moderate, a published post) fall back to creating it. Strings avoid what
// would make the site invalid (two posts with one slug, reserved slugs), so
// every build must succeed.

namespace fs = std::filesystem;

// The page bundle's folder under content/posts/, and its post's file.
constexpr char kBundle[] = "bundle";
constexpr char kBundlePost[] = "bundle/index";

const std::vector<RandomSiteEditor::EditKind>& RandomSiteEditor::Kinds() {
  // name, edit, weight in the random draw, in the cycle, global, narrow
  static const std::vector<EditKind> kinds = {
      {"add post", &RandomSiteEditor::AddPost, 6, true, false, false},
      {"post body only", &RandomSiteEditor::EditPostBodyOnly, 8, true, false, true},
      {"post first paragraph", &RandomSiteEditor::EditPostLead, 2, true, false, false},
      {"post title", &RandomSiteEditor::EditPostTitle, 4, true, false, false},
      {"post tags", &RandomSiteEditor::EditPostTags, 4, true, false, false},
      {"post date", &RandomSiteEditor::EditPostDate, 4, true, false, false},
      {"post updated", &RandomSiteEditor::EditPostUpdated, 2, true, false, false},
      {"post draft", &RandomSiteEditor::TogglePostDraft, 3, true, false, false},
      {"post summary", &RandomSiteEditor::EditPostSummary, 2, true, false, false},
      {"post description or author", &RandomSiteEditor::EditPostHeadFields, 2, true, false, false},
      {"post permalink", &RandomSiteEditor::EditPostPermalink, 2, true, false, false},
      {"post aliases", &RandomSiteEditor::EditPostAliases, 2, true, false, false},
      {"post slug", &RandomSiteEditor::EditPostSlug, 2, false, false, false},
      {"rename post", &RandomSiteEditor::RenamePost, 2, false, false, false},
      {"delete post", &RandomSiteEditor::DeletePost, 3, true, false, false},
      {"page body only", &RandomSiteEditor::EditPageBodyOnly, 6, true, false, false},
      {"static file", &RandomSiteEditor::EditStaticFile, 6, true, false, false},
      {"existing static file", &RandomSiteEditor::EditExistingStaticFile, 0, false, false, false},
      {"bundle file", &RandomSiteEditor::EditBundleFile, 3, true, false, false},
      {"comment by SQL", &RandomSiteEditor::AddCommentBySql, 7, true, false, false},
      {"comment by kiln", &RandomSiteEditor::AddCommentByKiln, 3, false, false, false},
      {"published comment text", &RandomSiteEditor::EditPublishedCommentBody, 8, true, false, true},
      {"hidden comment text", &RandomSiteEditor::EditHiddenCommentBody, 2, false, false, false},
      {"delete comment", &RandomSiteEditor::DeleteComment, 3, true, false, false},
      {"moderate comment", &RandomSiteEditor::ModerateComment, 4, true, false, false},
      {"move comment", &RandomSiteEditor::MoveComment, 1, false, false, false},
      {"delete a file of site/", &RandomSiteEditor::DeleteOutputFile, 1, false, false, false},
      // Global: these re-render most pages, so each has a step of its own.
      {"page title", &RandomSiteEditor::EditPageTitle, 0, true, true, false},
      {"add or remove page", &RandomSiteEditor::AddOrRemovePage, 0, true, true, false},
      {"partial template", &RandomSiteEditor::EditPartialTemplate, 0, true, true, false},
      {"page template", &RandomSiteEditor::EditTopLevelTemplate, 0, true, true, false},
      {"revert template", &RandomSiteEditor::RevertTemplate, 0, true, true, false},
      {"kiln.toml field", &RandomSiteEditor::EditConfigField, 0, true, true, false},
      {"kiln.toml markdown.highlight", &RandomSiteEditor::ToggleHighlight, 0, true, true, false},
      {"advance clock", &RandomSiteEditor::AdvanceClock, 0, true, true, false},
      // Alone so the build takes the comment path (only kiln.db changed).
      {"comments alone", &RandomSiteEditor::CommentsAlone, 0, true, true, false},
  };
  return kinds;
}

RandomSiteEditor::RandomSiteEditor(TempSite* site, uint32_t seed, std::string binary)
    : site_(site), rng_(seed), binary_(std::move(binary)) {
  config_field_ = Pick(8);
  // The theme is whatever templates/ ships: partials are the names some
  // template includes with {{> name}}.
  for (const auto& entry : fs::directory_iterator(site_->root() / "templates")) {
    if (entry.path().extension() != ".mustache") continue;
    const std::string name = entry.path().stem().string();
    original_templates_[name] = site_->ReadFile("templates/" + name + ".mustache");
  }
  for (const auto& [name, text] : original_templates_) {
    for (size_t open = text.find("{{>"); open != std::string::npos; open = text.find("{{>", open + 3)) {
      size_t close = text.find("}}", open);
      if (close != std::string::npos) partials_.insert(Trim(text.substr(open + 3, close - open - 3)));
    }
  }
}

std::string RandomSiteEditor::NowIso() const { return FormatRfc3339(site_->clock().NowSeconds()); }

// ---- Text -------------------------------------------------------------

std::string RandomSiteEditor::Words(int n) {
  static const char* kWords[] = {"kiln", "cache", "page", "fire", "clay", "graph", "build", "blog",
                                 "café", "naïve", "A&B", "<tag>"};
  std::string out;
  for (int i = 0; i < n; ++i) out += (i ? " " : "") + std::string(kWords[Pick(12)]);
  return out;
}

// One paragraph: what a listing shows as the summary when the front matter
// has none.
std::string RandomSiteEditor::Lead() {
  static const char* kInline[] = {" *em*", " **strong**", " `code`", " ~~struck~~", " www.kiln.example",
                                  " https://example.org/x", ""};
  return Words(4) + kInline[Pick(7)] + " " + std::to_string(++counter_) + ".";
}

// Blocks of GitHub flavoured markdown (tables, strikethrough, autolinks,
// task lists) and the rest of what posts contain.
std::string RandomSiteEditor::Rest() {
  std::string out;
  for (int blocks = 1 + Pick(3); blocks > 0; --blocks) {
    const std::string w = Words(2) + " " + std::to_string(++counter_);
    switch (Pick(9)) {
      case 0: out += "| a | b |\n|---|:-:|\n| " + w + " | ~~" + Words(1) + "~~ |\n"; break;
      case 1: out += "- [x] " + w + "\n- [ ] www.kiln.example/" + std::to_string(counter_) + "\n"; break;
      case 2: out += "```cpp\nint x = " + std::to_string(counter_) + ";  // " + Words(1) + "\n```\n"; break;
      case 3: out += "## " + w + "\n"; break;
      case 4: out += "> " + w + " ~~old~~ new\n"; break;
      case 5: out += "Text[^1] " + w + ".\n\n[^1]: A footnote.\n"; break;
      case 6: out += "<div class=\"note\">" + w + "</div>\n"; break;
      case 7: out += "See https://example.org/" + std::to_string(counter_) + " and www.kiln.example.\n"; break;
      default: out += w + " *" + Words(1) + "* `x`.\n"; break;
    }
    out += "\n";
  }
  return out;
}

// Markdown from untrusted readers: GFM, and what sanitizing must remove.
std::string RandomSiteEditor::CommentBody() {
  static const char* kExtras[] = {" ~~no~~", " www.kiln.example", " <b>x</b>", " <script>alert(1)</script>",
                                  " [x](javascript:alert(1))", "\n\n| a |\n|---|\n| b |", "\n\n- [ ] task", ""};
  return Words(3) + " " + std::to_string(++counter_) + kExtras[Pick(8)];
}

std::vector<std::string> RandomSiteEditor::Tags() {
  static const char* kTags[] = {"alpha", "beta", "Beta", "gamma rays", "delta"};
  std::vector<std::string> tags;
  for (int i = Pick(3); i > 0; --i) tags.push_back(kTags[Pick(5)]);
  return tags;
}

// Mostly past dates; some after the starting clock (2026-11-26), published
// once time passes.
std::string RandomSiteEditor::Date() {
  const int day = 1 + Pick(28);
  const char* month = Pick(5) == 0 ? "12" : (Pick(2) ? "10" : "11");
  return std::string("2026-") + month + "-" + (day < 10 ? "0" : "") + std::to_string(day);
}

// ---- Posts ------------------------------------------------------------

bool RandomSiteEditor::Published(const Post& p) const {
  return !p.draft && p.date <= FormatDay(site_->clock().NowSeconds());
}

std::vector<std::string> RandomSiteEditor::PublishedSlugs() const {
  std::vector<std::string> out;
  for (const auto& [file, p] : posts_) {
    if (Published(p)) out.push_back(SlugOf(file, p));
  }
  return out;
}

std::string RandomSiteEditor::SlugOf(const std::string& file, const Post& p) {
  if (!p.slug.empty()) return p.slug;
  const size_t bundle = file.rfind("/index");
  return bundle != std::string::npos && bundle + 6 == file.size() ? file.substr(0, bundle) : file;
}

std::string RandomSiteEditor::PostUrlOfSlug(const std::string& slug) const {
  for (const auto& [file, p] : posts_) {
    if (SlugOf(file, p) == slug && !p.permalink.empty()) return p.permalink;
  }
  return "/posts/" + slug + "/";
}

std::set<std::string> RandomSiteEditor::FeedUrlsOf(const std::vector<std::string>& tags) {
  std::set<std::string> urls = {"/feed.xml"};
  for (const auto& tag : tags) urls.insert("/tags/" + Slugify(tag) + "/feed.xml");
  return urls;
}

std::set<std::string> RandomSiteEditor::FeedUrls() const {
  std::set<std::string> urls = {"/feed.xml"};
  for (const auto& [file, p] : posts_) {
    if (Published(p)) urls.merge(FeedUrlsOf(p.tags));
  }
  return urls;
}

// The engine's order (load/site_index.cc): newest first, then by slug.
void RandomSiteEditor::TouchAround(const std::string& file) {
  auto it = posts_.find(file);
  if (it == posts_.end()) return;
  touched_.insert(SlugOf(file, it->second));
  for (const std::string& slug : NeighboursOf(file)) touched_.insert(slug);
}

std::vector<std::string> RandomSiteEditor::NeighboursOf(const std::string& file) const {
  std::vector<std::string> out;
  auto it = posts_.find(file);
  if (it == posts_.end()) return out;
  std::vector<std::pair<std::string, std::string>> order;  // (date, slug), published
  for (const auto& [f, p] : posts_) {
    if (Published(p)) order.emplace_back(p.date, SlugOf(f, p));
  }
  std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  const std::string slug = SlugOf(file, it->second);
  for (size_t i = 0; i < order.size(); ++i) {
    if (order[i].second != slug) continue;
    if (i > 0) out.push_back(order[i - 1].second);
    if (i + 1 < order.size()) out.push_back(order[i + 1].second);
  }
  return out;
}

void RandomSiteEditor::SavePost(const std::string& file) {
  const Post& p = posts_[file];
  std::string extra;
  if (p.draft) extra += "draft: true\n";
  if (!p.slug.empty()) extra += "slug: " + p.slug + "\n";
  if (!p.summary.empty()) extra += "summary: \"" + p.summary + "\"\n";
  if (!p.updated.empty()) extra += "updated: " + p.updated + "\n";
  if (!p.description.empty()) extra += "description: \"" + p.description + "\"\n";
  if (!p.author.empty()) extra += "author: \"" + p.author + "\"\n";
  if (!p.permalink.empty()) extra += "permalink: " + p.permalink + "\n";
  if (!p.aliases.empty()) {
    extra += "aliases:\n";
    for (const auto& alias : p.aliases) extra += "  - " + alias + "\n";
  }
  site_->WritePost(file, p.title, p.date, p.tags, p.lead + "\n\n" + p.rest, extra);
}

std::string RandomSiteEditor::AnyPost(bool prefer_published, bool avoid_touched, bool movable) {
  std::vector<std::string> files;
  // Loosened one condition at a time until some post fits.
  for (int pass = 0; files.empty() && pass < 3; ++pass) {
    for (const auto& [file, p] : posts_) {
      if (movable && file.find('/') != std::string::npos) continue;
      if (pass < 2 && prefer_published && !Published(p)) continue;
      if (pass < 1 && avoid_touched && touched_.count(SlugOf(file, p))) continue;
      files.push_back(file);
    }
  }
  if (files.empty()) {
    for (const auto& [file, p] : posts_) files.push_back(file);
  }
  return files[Pick(static_cast<int>(files.size()))];
}

template <typename F>
Edit RandomSiteEditor::MutatePost(const char* what, bool prefer_published, F change, bool avoid_touched) {
  if (posts_.empty()) return AddPost();
  const std::string file = AnyPost(prefer_published, avoid_touched);
  const std::vector<std::string> near = NeighboursOf(file);
  touched_.insert(SlugOf(file, posts_[file]));
  Post& p = posts_[file];
  const Post before = p;
  Edit edit = change(file, p);
  if (!p.slug.empty()) {
    for (const auto& [other, q] : posts_) {
      if (other != file && SlugOf(other, q) == p.slug) p.slug.clear();
    }
  }
  SavePost(file);
  // The neighbours' pages show the post's title and URL (nav: keys), and
  // which posts are neighbours follows dates, drafts and slugs.
  if (p.title != before.title || p.date != before.date || p.draft != before.draft || p.slug != before.slug ||
      p.permalink != before.permalink) {
    touched_.insert(near.begin(), near.end());
    TouchAround(file);
  }
  edit.what = std::string(what) + " of " + file + edit.what;
  return edit;
}

Edit RandomSiteEditor::AddPost() {
  const std::string file = "post-" + std::to_string(next_post_++);
  posts_[file] = Post{Words(3), Date(), "", Tags(), Lead(), Rest(), Pick(8) == 0, "", "", "", "", "", {}};
  SavePost(file);
  TouchAround(file);
  return {"add " + file, std::nullopt};
}

// SPEC.md invariant 2: "Editing a post body that leaves its title, date,
// tags and summary alone does not re-render the listing pages."
Edit RandomSiteEditor::EditPostBodyOnly() {
  return MutatePost(
      "edit body (not the first paragraph)", true,
      [&](const std::string& file, Post& p) {
        p.rest = Rest();
        std::set<std::string> bound;
        if (Published(p)) bound.insert(PostUrlOfSlug(SlugOf(file, p)));
        // Full-content feeds show the body: the site's and its tags' feeds
        // may list the post.
        if (Published(p) && config_.feed_content == "full") bound.merge(FeedUrlsOf(p.tags));
        return Edit{"", bound};
      },
      /*avoid_touched=*/true);
}

Edit RandomSiteEditor::EditPostLead() {
  return MutatePost("edit first paragraph", true, [&](const std::string&, Post& p) { p.lead = Lead(); return Edit{}; });
}

// Half the time the title of a post with aliases, which its redirect pages
// show.
Edit RandomSiteEditor::EditPostTitle() {
  const bool aliased = Pick(2) == 0;
  return MutatePost("edit title", true, [&](const std::string& file, Post& p) {
    if (aliased && p.aliases.empty()) {
      for (auto& [other, q] : posts_) {
        if (!q.aliases.empty() && Published(q) && other != file) {
          q.title = Words(3);
          SavePost(other);
          TouchAround(other);
          return Edit{": instead, of aliased " + other, std::nullopt};
        }
      }
    }
    p.title = Words(3);
    return Edit{};
  });
}

Edit RandomSiteEditor::EditPostTags() {
  return MutatePost("edit tags", true, [&](const std::string&, Post& p) { p.tags = Tags(); return Edit{}; });
}

Edit RandomSiteEditor::EditPostDate() {
  return MutatePost("edit date", true, [&](const std::string&, Post& p) {
    p.date = Date();
    return Edit{" to " + p.date, std::nullopt};
  });
}

Edit RandomSiteEditor::EditPostUpdated() {
  return MutatePost("edit updated", true, [&](const std::string&, Post& p) {
    p.updated = Pick(3) == 0 ? "" : "2026-11-" + std::to_string(10 + Pick(16));
    return Edit{};
  });
}

Edit RandomSiteEditor::TogglePostDraft() {
  return MutatePost("toggle draft", false, [&](const std::string&, Post& p) { p.draft = !p.draft; return Edit{}; });
}

Edit RandomSiteEditor::EditPostSummary() {
  return MutatePost("edit summary", true, [&](const std::string&, Post& p) { p.summary = Pick(2) ? Words(5) : ""; return Edit{}; });
}

// What the post's own page head shows (and the feed, the author).
Edit RandomSiteEditor::EditPostHeadFields() {
  const bool description = Pick(2) == 0;
  return MutatePost(description ? "edit description" : "edit author", true, [&](const std::string&, Post& p) {
    std::string& field = description ? p.description : p.author;
    field = field.empty() || Pick(3) ? Words(description ? 4 : 1) + " " + std::to_string(++counter_) : "";
    return Edit{" to '" + field + "'", std::nullopt};
  });
}

// The post's own URL (../shared/SPEC.md: `permalink`): its slug stays, its URL moves,
// and every page that links to it must follow.
Edit RandomSiteEditor::EditPostPermalink() {
  return MutatePost("edit permalink", true, [&](const std::string& file, Post& p) {
    std::string stem = file;
    std::replace(stem.begin(), stem.end(), '/', '-');
    p.permalink = p.permalink.empty() || Pick(2) ? "/writing/" + stem + "-" + std::to_string(++counter_) + "/" : "";
    return Edit{" to '" + p.permalink + "'", std::nullopt};
  });
}

// Old URLs (../shared/SPEC.md: each alias is a redirect page to the post).
Edit RandomSiteEditor::EditPostAliases() {
  return MutatePost("edit aliases", true, [&](const std::string&, Post& p) {
    p.aliases.clear();
    if (Pick(4) != 0) {
      p.aliases.push_back("/old/" + std::to_string(++counter_) + "/");
      if (Pick(2)) p.aliases.push_back("/archive/" + std::to_string(++counter_) + ".html");
    }
    std::string list;
    for (const auto& a : p.aliases) list += " " + a;
    return Edit{" to [" + list + " ]", std::nullopt};
  });
}

Edit RandomSiteEditor::EditPostSlug() {
  return MutatePost("edit slug", false, [&](const std::string&, Post& p) {
    p.slug = Pick(2) ? "custom-" + std::to_string(Pick(5)) : "";
    return Edit{" to '" + p.slug + "'", std::nullopt};
  });
}

Edit RandomSiteEditor::RenamePost() {
  if (posts_.empty()) return AddPost();
  const std::string from = AnyPost(true, false, /*movable=*/true), to = "renamed-" + std::to_string(next_post_++);
  if (from == kBundlePost) return AddPost();  // the bundle is the only post left
  TouchAround(from);
  site_->RemoveFile("content/posts/" + from + ".md");
  posts_[to] = posts_[from];
  posts_.erase(from);
  SavePost(to);
  TouchAround(to);
  return {"rename " + from + " to " + to, std::nullopt};
}

Edit RandomSiteEditor::DeletePost() {
  if (posts_.size() < 3) return AddPost();
  const std::string file = AnyPost(true, false, /*movable=*/true);
  if (file == kBundlePost) return AddPost();
  TouchAround(file);
  site_->RemoveFile("content/posts/" + file + ".md");
  posts_.erase(file);
  return {"delete " + file, std::nullopt};
}

// ---- Standalone pages -------------------------------------------------

std::string RandomSiteEditor::PageUrl(const std::string& file) const {
  const Page& page = pages_.at(file);
  return "/" + (page.slug.empty() ? file : page.slug) + "/";
}

void RandomSiteEditor::SavePage(const std::string& file) {
  const Page& page = pages_[file];
  std::string text = "---\ntitle: \"" + page.title + "\"\n";
  if (!page.slug.empty()) text += "slug: " + page.slug + "\n";
  site_->WriteFile("content/" + file + ".md", text + "---\n" + page.body);
}

Edit RandomSiteEditor::EditPageBodyOnly() {
  if (pages_.empty()) return AddOrRemovePage();
  auto it = pages_.begin();
  std::advance(it, Pick(static_cast<int>(pages_.size())));
  it->second.body = Lead() + "\n\n" + Rest();
  SavePage(it->first);
  return {"edit body of page " + it->first, std::set<std::string>{PageUrl(it->first)}};
}

Edit RandomSiteEditor::EditPageTitle() {
  if (pages_.empty()) return AddOrRemovePage();
  auto it = pages_.begin();
  std::advance(it, Pick(static_cast<int>(pages_.size())));
  it->second.title = Words(2);
  SavePage(it->first);
  return {"edit title of page " + it->first, std::nullopt};
}

Edit RandomSiteEditor::AddOrRemovePage() {
  static const char* kFiles[] = {"about", "colophon", "notes"};
  const std::string file = kFiles[Pick(3)];
  if (pages_.count(file)) {
    pages_.erase(file);
    site_->RemoveFile("content/" + file + ".md");
    return {"remove page " + file, std::nullopt};
  }
  // One page has a slug of its own, as SPEC.md allows.
  pages_[file] = Page{Words(2), Lead() + "\n\n" + Rest(), file == "notes" ? "field-notes" : ""};
  SavePage(file);
  return {"add page " + file, std::nullopt};
}

// ---- Theme, static files, kiln.toml ----------------------------------

Edit RandomSiteEditor::EditTemplate(bool partial) {
  std::vector<std::string> names;
  for (const auto& [name, text] : original_templates_) {
    if (partials_.count(name) == static_cast<size_t>(partial)) names.push_back(name);
  }
  if (names.empty()) return {"no template to edit", std::nullopt};
  const std::string name = names[Pick(static_cast<int>(names.size()))];
  const std::string rel = "templates/" + name + ".mustache";
  site_->WriteFile(rel, site_->ReadFile(rel) + "<!-- edit " + std::to_string(++counter_) + " -->\n");
  return {std::string("edit ") + (partial ? "partial " : "template ") + name, std::nullopt};
}

Edit RandomSiteEditor::EditPartialTemplate() { return EditTemplate(true); }
Edit RandomSiteEditor::EditTopLevelTemplate() { return EditTemplate(false); }

// Back to bytes a build has seen before: a fingerprint may return to an
// older value.
Edit RandomSiteEditor::RevertTemplate() {
  std::vector<std::string> edited;
  for (const auto& [name, text] : original_templates_) {
    if (site_->ReadFile("templates/" + name + ".mustache") != text) edited.push_back(name);
  }
  if (edited.empty()) return EditTemplate(Pick(2) == 0);
  const std::string name = edited[Pick(static_cast<int>(edited.size()))];
  site_->WriteFile("templates/" + name + ".mustache", original_templates_[name]);
  return {"revert template " + name, std::nullopt};
}

void RandomSiteEditor::SaveConfig() {
  const Config& c = config_;
  site_->WriteFile("kiln.toml", "title = \"" + c.title + "\"\nbase_url = \"" + c.base_url +
                                    "\"\ndescription = \"" + c.description + "\"\nauthor = \"" + c.author +
                                    "\"\nposts_per_page = " + std::to_string(c.posts_per_page) +
                                    "\nfeed_size = " + std::to_string(c.feed_size) +
                                    "\nfeed_content = \"" + c.feed_content + "\"" +
                                    "\n\n[comments]\nmoderation = \"" + c.moderation +
                                    "\"\nmax_length = " + std::to_string(c.max_length) +
                                    // The server variant posts comments from one address.
                                    "\nrate_limit_per_minute = 0\n" +
                                    "\n[markdown]\nhighlight = " + (c.highlight ? "true" : "false") + "\n" +
                                    "\n[edge]\nheaders_file = " + (c.headers_file ? "true" : "false") + "\n");
}

// One field at a time, so each config:FIELD key is exercised alone: the
// fields pages show through config: keys take turns. The others ride along
// some of the time, since none of them can hide a forgotten config: key:
// posts_per_page (the listings' own keys, not the post pages), moderation
// (no page of the theme shows it) and headers_file (site/_headers only).
// The feed fields reach the feeds only (the site's and every tag's), so
// their turns bound the build to them and take no rider that reaches more.
Edit RandomSiteEditor::EditConfigField() {
  Config& c = config_;
  std::string field;
  std::optional<std::set<std::string>> bound;
  // Every field in turn, from a random one; base_url twice a round: it
  // shows beside config:base_url on most pages, and a mutation that forgot
  // it failed 4 seeds of 8 with one turn a round. (markdown.highlight also
  // has a turn of its own in the cycle: ToggleHighlight.)
  static const int kTurns[] = {0, 1, 2, 3, 4, 5, 6, 7, 3};
  const int turn = kTurns[config_field_++ % 9];
  switch (turn) {
    case 0: field = "title"; c.title = "Blog " + Words(1); break;
    case 1: field = "description"; c.description = Words(3); break;
    case 2: field = "author"; c.author = Words(1); break;
    case 3:
      field = "base_url";
      c.base_url = c.base_url == "https://blog.example/" ? "https://example.org/blog/" : "https://blog.example/";
      break;
    case 4: field = "comments.max_length"; c.max_length = c.max_length == 10000 ? 2000 + Pick(100) : 10000; break;
    case 5: field = "markdown.highlight"; c.highlight = !c.highlight; break;
    case 6:  // the feeds' length shows through list:feed and list:tagfeed too
      field = "feed_size";
      c.feed_size = 2 + Pick(4);
      bound = FeedUrls();
      break;
    default:  // summaries only, or the bodies too: config:feed_content alone
      field = "feed_content";
      c.feed_content = c.feed_content == "full" ? "summary" : "full";
      bound = FeedUrls();
      break;
  }
  if (Pick(3) == 0) {
    field += ", edge.headers_file";
    c.headers_file = !c.headers_file;
  }
  if (!bound && Pick(3) == 0) {
    field += ", comments.moderation";
    c.moderation = c.moderation == "auto" ? "manual" : "auto";
  }
  if (!bound && Pick(4) == 0) {
    field += ", posts_per_page";
    c.posts_per_page = 2 + Pick(3);
  }
  SaveConfig();
  return {"edit kiln.toml " + field, bound};
}

// markdown.highlight alone, once a round besides its kiln.toml field turn:
// it changes only the posts with a code block, and with one turn in eight
// config turns a mutation that forgot it failed 2 seeds of 8.
Edit RandomSiteEditor::ToggleHighlight() {
  config_.highlight = !config_.highlight;
  SaveConfig();
  return {std::string("edit kiln.toml markdown.highlight = ") + (config_.highlight ? "true" : "false"),
          std::nullopt};
}

// Mostly an edit of a file that exists: only that shows a forgotten
// static: key (a new file is a new output, copied anyway).
Edit RandomSiteEditor::EditStaticFile() { return EditStatic(Pick(10)); }
Edit RandomSiteEditor::EditExistingStaticFile() { return EditStatic(0); }

Edit RandomSiteEditor::EditStatic(int what) {
  const std::string n = std::to_string(Pick(3));
  if (what < 6) {
    std::vector<std::string> files;
    for (const auto& entry : fs::recursive_directory_iterator(site_->root() / "static")) {
      if (entry.is_regular_file()) files.push_back(fs::relative(entry.path(), site_->root()).generic_string());
    }
    std::sort(files.begin(), files.end());
    if (!files.empty()) {
      const std::string rel = files[Pick(static_cast<int>(files.size()))];
      site_->WriteFile(rel, site_->ReadFile(rel) + "\n/* " + std::to_string(++counter_) + " */\n");
      return {"edit " + rel, std::set<std::string>{}};
    }
  }
  switch (what) {
    case 6:
    case 7:
      site_->WriteFile("static/extra-" + n + ".txt", Words(3) + " " + std::to_string(++counter_));
      return {"write static/extra-" + n + ".txt", std::set<std::string>{}};
    case 8:
      site_->RemoveFile("static/extra-" + n + ".txt");
      return {"remove static/extra-" + n + ".txt", std::set<std::string>{}};
    default:
      // A nested folder: created, emptied and removed in site/ too.
      if (site_->Exists("static/files/note-" + n + ".txt")) {
        site_->RemoveFile("static/files/note-" + n + ".txt");
        return {"remove static/files/note-" + n + ".txt", std::set<std::string>{}};
      }
      site_->WriteFile("static/files/note-" + n + ".txt", Words(2));
      return {"write static/files/note-" + n + ".txt", std::set<std::string>{}};
  }
}

// A page bundle's files (../shared/SPEC.md: content/posts/NAME/index.md, its other
// files copied beside the page): note.txt edited, extra.txt added or
// removed. Only the file's own page may render.
Edit RandomSiteEditor::EditBundleFile() {
  const std::string rel = Pick(4) == 0 ? "extra.txt" : "note.txt";
  const std::string path = "content/posts/" + std::string(kBundle) + "/" + rel;
  auto post = posts_.find(kBundlePost);
  const std::string url = PostUrlOfSlug(post == posts_.end() ? kBundle : SlugOf(post->first, post->second)) + rel;
  if (rel == "extra.txt" && site_->Exists(path)) {
    site_->RemoveFile(path);
    return {"remove " + path, std::set<std::string>{url}};
  }
  site_->WriteFile(path, Words(3) + " " + std::to_string(++counter_) + "\n");
  return {"write " + path, std::set<std::string>{url}};
}
// ---- Comments ---------------------------------------------------------

std::vector<RandomSiteEditor::CommentRow> RandomSiteEditor::ReadComments() {
  SQLite::Database db((site_->root() / "kiln.db").string(), SQLite::OPEN_READONLY);
  db.setBusyTimeout(10000);
  SQLite::Statement q(db, "SELECT id, post, status, parent FROM comments ORDER BY id");
  std::vector<CommentRow> rows;
  while (q.executeStep()) {
    rows.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                    q.getColumn(3).isNull() ? std::nullopt : std::optional<int64_t>(q.getColumn(3).getInt64())});
  }
  return rows;
}

Edit RandomSiteEditor::AddCommentBySql() {
  std::vector<std::string> slugs = PublishedSlugs();
  std::string post;
  if (slugs.empty() || Pick(10) == 0) {
    post = posts_.empty() || Pick(2) ? "no-such-post" : SlugOf(posts_.begin()->first, posts_.begin()->second);
  } else {
    post = slugs[Pick(static_cast<int>(slugs.size()))];
  }
  // A reply (SPEC.md: `parent` is the id of a comment on the same post).
  std::optional<int64_t> parent;
  if (Pick(4) == 0) {
    for (const CommentRow& row : ReadComments()) {
      if (row.post == post) parent = row.id;
    }
  } else if (Pick(8) == 0) {  // plain SQL may name any comment: shown at top level
    const std::vector<CommentRow> rows = ReadComments();
    if (!rows.empty()) parent = rows[Pick(static_cast<int>(rows.size()))].id;
  }
  const bool with_status = Pick(3) == 0;
  static const char* kStatus[] = {"published", "pending", "spam"};
  const std::string status = kStatus[Pick(3)];
  const int day = 10 + Pick(15), minute = Pick(60);
  const std::string created = "2026-11-" + std::to_string(day) + "T10:" + (minute < 10 ? "0" : "") +
                              std::to_string(minute) + ":00Z";
  SQLite::Database db((site_->root() / "kiln.db").string(), SQLite::OPEN_READWRITE);
  db.setBusyTimeout(10000);
  SQLite::Statement insert(db, std::string("INSERT INTO comments(post, author, body, created_at, parent") +
                                   (with_status ? ", status" : "") + ") VALUES (?, ?, ?, ?, ?" +
                                   (with_status ? ", ?" : "") + ")");
  insert.bind(1, post);
  insert.bind(2, Words(1));
  insert.bind(3, CommentBody());
  insert.bind(4, created);
  if (parent) insert.bind(5, *parent); else insert.bind(5);
  if (with_status) insert.bind(6, status);
  insert.exec();
  touched_.insert(post);
  return {"SQL insert comment on '" + post + "'" + (with_status ? " (" + status + ")" : "") +
              (parent ? " replying to " + std::to_string(*parent) : ""),
          std::nullopt};
}

Edit RandomSiteEditor::RunKilnComment(const std::vector<std::string>& args, const std::string& what) {
  std::vector<std::string> all = args;
  all.insert(all.end(), {"--site", site_->root().string()});
  ProcessResult run = RunKiln(binary_, all, KilnEnv());
  EXPECT_EQ(run.exit_code, 0) << "kiln " << what << ": " << run.err;
  return {"kiln comment " + what, std::nullopt};
}

Edit RandomSiteEditor::AddCommentByKiln() {
  std::vector<std::string> slugs = PublishedSlugs();
  if (slugs.empty()) return AddCommentBySql();
  const std::string post = slugs[Pick(static_cast<int>(slugs.size()))];
  touched_.insert(post);
  std::vector<std::string> args = {"comment", "add", "--post", post, "--author", Words(1), "--body", CommentBody()};
  if (Pick(3) == 0) args.insert(args.end(), {"--status", Pick(2) ? "pending" : "spam"});
  // A reply through kiln, which takes only a published parent of the post.
  std::string parent;
  if (Pick(2) == 0) {
    for (const CommentRow& row : ReadComments()) {
      if (row.post == post && row.status == "published") parent = std::to_string(row.id);
    }
    if (!parent.empty()) args.insert(args.end(), {"--parent", parent});
  }
  return RunKilnComment(args, "add on '" + post + "'" + (parent.empty() ? "" : " replying to " + parent));
}

// Text changes, count stays: only the post page shows it. Its author, its
// body, or (plain SQL) which comment it answers. A shown one is chosen on a
// post whose page no other edit of the step re-renders, which would hide a
// forgotten comments: key.
Edit RandomSiteEditor::EditCommentBody(bool visible) {
  const std::vector<std::string> published = PublishedSlugs();
  const std::vector<CommentRow> rows = ReadComments();
  std::vector<CommentRow> candidates, untouched;
  for (const CommentRow& row : rows) {
    const bool shown = row.status == "published" &&
                       std::find(published.begin(), published.end(), row.post) != published.end();
    if (shown != visible) continue;
    candidates.push_back(row);
    if (!touched_.count(row.post)) untouched.push_back(row);
  }
  if (candidates.empty()) return visible ? AddCommentBySql() : EditCommentBody(true);
  if (visible && !untouched.empty()) candidates = untouched;
  // 0 author, 1 parent, else body: the parent once in four (it was once in
  // eight, and a mutation that ignored it failed 3 seeds of 8).
  const int field = Pick(4);
  if (field == 1) {
    // A comment with another published one on its post to answer, when
    // there is one: the thread on the page then changes shape, where a
    // parent edit of a post's only comment fell back to a body edit.
    std::vector<CommentRow> answering;
    for (const CommentRow& c : candidates) {
      if (std::any_of(rows.begin(), rows.end(), [&](const CommentRow& other) {
            return other.post == c.post && other.id != c.id && other.status == "published";
          })) {
        answering.push_back(c);
      }
    }
    if (!answering.empty()) candidates = answering;
  }
  const CommentRow row = candidates[Pick(static_cast<int>(candidates.size()))];
  touched_.insert(row.post);
  // Another published comment of the post it could answer, or none.
  std::vector<int64_t> parents;
  for (const CommentRow& other : rows) {
    if (other.post == row.post && other.id != row.id && other.status == "published") parents.push_back(other.id);
  }
  SQLite::Database db((site_->root() / "kiln.db").string(), SQLite::OPEN_READWRITE);
  db.setBusyTimeout(10000);
  std::string what;
  if (field == 1 && (row.parent || !parents.empty())) {
    std::optional<int64_t> parent;
    if (!row.parent || (!parents.empty() && Pick(2))) parent = parents[Pick(static_cast<int>(parents.size()))];
    SQLite::Statement update(db, "UPDATE comments SET parent = ?, modified_at = '2026-11-26T13:00:00Z' WHERE id = ?");
    if (parent) update.bind(1, *parent); else update.bind(1);
    update.bind(2, row.id);
    update.exec();
    what = "parent (to " + (parent ? std::to_string(*parent) : std::string("none")) + ")";
  } else {
    const bool author = field == 0;
    SQLite::Statement update(db, std::string("UPDATE comments SET ") + (author ? "author" : "body") +
                                     " = ?, modified_at = '2026-11-26T13:00:00Z' WHERE id = ?");
    update.bind(1, author ? Words(1) + " " + std::to_string(++counter_) : CommentBody());
    update.bind(2, row.id);
    update.exec();
    what = author ? "author" : "body";
  }
  std::set<std::string> bound;
  if (visible) bound.insert(PostUrlOfSlug(row.post));
  return {"SQL edit " + what + " of " + row.status + " comment " + std::to_string(row.id) + " on '" + row.post + "'",
          bound};
}

Edit RandomSiteEditor::EditPublishedCommentBody() { return EditCommentBody(true); }
Edit RandomSiteEditor::EditHiddenCommentBody() { return EditCommentBody(false); }

Edit RandomSiteEditor::DeleteComment() {
  std::vector<CommentRow> rows = ReadComments();
  if (rows.empty()) return AddCommentBySql();
  CommentRow row = rows[Pick(static_cast<int>(rows.size()))];
  // Half the time a comment that has replies, which then lose their parent.
  std::vector<CommentRow> parents;
  for (const CommentRow& r : rows) {
    if (std::any_of(rows.begin(), rows.end(), [&](const CommentRow& c) { return c.parent == r.id; })) parents.push_back(r);
  }
  if (!parents.empty() && Pick(2) == 0) row = parents[Pick(static_cast<int>(parents.size()))];
  touched_.insert(row.post);
  if (Pick(2)) return RunKilnComment({"comment", "delete", std::to_string(row.id)}, "delete " + std::to_string(row.id));
  site_->Sql("DELETE FROM comments WHERE id = " + std::to_string(row.id));
  return {"SQL delete comment " + std::to_string(row.id) + " on '" + row.post + "'", std::nullopt};
}

Edit RandomSiteEditor::ModerateComment() {
  std::vector<CommentRow> rows = ReadComments();
  if (rows.empty()) return AddCommentBySql();
  const CommentRow row = rows[Pick(static_cast<int>(rows.size()))];
  touched_.insert(row.post);
  const std::string id = std::to_string(row.id);
  switch (Pick(4)) {
    case 0: return RunKilnComment({"comment", "approve", id}, "approve " + id);
    case 1: return RunKilnComment({"comment", "spam", id}, "spam " + id);
    default: {
      static const char* kStatus[] = {"published", "pending", "spam"};
      const std::string status = kStatus[Pick(3)];
      site_->Sql("UPDATE comments SET status = '" + status + "' WHERE id = " + id);
      return {"SQL set comment " + id + " (" + row.status + ") to " + status, std::nullopt};
    }
  }
}

Edit RandomSiteEditor::MoveComment() {
  std::vector<CommentRow> rows = ReadComments();
  std::vector<std::string> slugs = PublishedSlugs();
  if (rows.empty() || slugs.empty()) return AddCommentBySql();
  const CommentRow row = rows[Pick(static_cast<int>(rows.size()))];
  const std::string to = slugs[Pick(static_cast<int>(slugs.size()))];
  touched_.insert(row.post);
  touched_.insert(to);
  site_->Sql("UPDATE comments SET post = '" + to + "' WHERE id = " + std::to_string(row.id));
  return {"SQL move comment " + std::to_string(row.id) + " from '" + row.post + "' to '" + to + "'", std::nullopt};
}

// A step of comments only, which the engine builds on its comment path
// (engine/build.cc): the first published comment of a post (its page then
// reads keys it did not read before, the reply forms' config: keys, which
// site/_headers lists), and some steps a text edit too.
Edit RandomSiteEditor::CommentsAlone() {
  std::set<std::string> commented;
  for (const CommentRow& row : ReadComments()) {
    if (row.status == "published") commented.insert(row.post);
  }
  std::vector<std::string> bare;
  for (const std::string& slug : PublishedSlugs()) {
    if (!commented.count(slug)) bare.push_back(slug);
  }
  Edit edit;
  if (bare.empty()) {
    edit = AddCommentBySql();
  } else {
    const std::string post = bare[Pick(static_cast<int>(bare.size()))];
    SQLite::Database db((site_->root() / "kiln.db").string(), SQLite::OPEN_READWRITE);
    db.setBusyTimeout(10000);
    SQLite::Statement insert(db, "INSERT INTO comments(post, author, body, created_at) VALUES (?, ?, ?, ?)");
    insert.bind(1, post);
    insert.bind(2, Words(1));
    insert.bind(3, CommentBody());
    insert.bind(4, "2026-11-20T09:00:00Z");
    insert.exec();
    touched_.insert(post);
    edit = {"SQL insert the first comment on '" + post + "'", std::nullopt};
  }
  if (Pick(2)) edit.what += "; " + EditCommentBody(true).what;
  edit.may_render.reset();
  return edit;
}

// ---- Time and site/ ---------------------------------------------------

Edit RandomSiteEditor::AdvanceClock() {
  const int days = 1 + Pick(10);
  site_->clock().Set(site_->clock().NowSeconds() + 86400 * days);
  return {"advance clock " + std::to_string(days) + " days to " + NowIso(), std::nullopt};
}

// SPEC.md: the next build restores a file deleted from site/ by hand.
Edit RandomSiteEditor::DeleteOutputFile() {
  std::vector<fs::path> files;
  if (fs::exists(site_->root() / "site")) {
    for (const auto& entry : fs::recursive_directory_iterator(site_->root() / "site")) {
      if (entry.is_regular_file()) files.push_back(entry.path());
    }
  }
  if (files.empty()) return AddPost();
  std::sort(files.begin(), files.end());
  const fs::path victim = files[Pick(static_cast<int>(files.size()))];
  fs::remove(victim);
  for (const auto& [file, p] : posts_) touched_.insert(SlugOf(file, p));  // may be any post's page
  return {"delete site/" + fs::relative(victim, site_->root() / "site").generic_string() + " by hand",
          std::nullopt};
}

// ---- Steps ------------------------------------------------------------

void RandomSiteEditor::WriteInitialContent() {
  SaveConfig();
  for (int i = 0; i < 7; ++i) {
    const std::string file = "post-" + std::to_string(next_post_++);
    // Published (October), sharing tags, so listings, tag pages and
    // neighbours exist from the first build; one draft.
    const std::string day = std::to_string(10 + i);
    posts_[file] = Post{Words(3), "2026-10-" + day, "", {i % 2 ? "alpha" : "beta", "delta"}, Lead(), Rest(),
                        i == 6, "", "", "", "", "", {}};
    // Two with a code block from the start, which markdown.highlight
    // changes (Rest() writes one in nine blocks).
    if (i == 0 || i == 3) posts_[file].rest += "```python\nprint(" + std::to_string(i) + ")\n```\n";
    // Two with old URLs (redirect pages), one with a URL of its own.
    if (i == 1 || i == 4) posts_[file].aliases = {"/old/" + file + "/"};
    if (i == 2) posts_[file].permalink = "/writing/" + file + "/";
    SavePost(file);
  }
  // A page bundle: its post, and a file copied beside the page.
  posts_[kBundlePost] = Post{Words(3), "2026-10-20", "", {"gamma rays"}, Lead(), Rest(), false, "", "", "", "", "", {}};
  SavePost(kBundlePost);
  site_->WriteFile("content/posts/" + std::string(kBundle) + "/note.txt", Words(3) + "\n");
  pages_["about"] = Page{"About", Lead() + "\n\n" + Rest(), ""};
  pages_["colophon"] = Page{"Colophon", Lead() + "\n\n" + Rest(), ""};
  SavePage("about");
  SavePage("colophon");
}

// One published comment on each published post (so a comment's text edit
// finds a post the step's other edits leave alone), and a few at random.
void RandomSiteEditor::WriteInitialComments() {
  for (const std::string& slug : PublishedSlugs()) {
    site_->Sql("INSERT INTO comments(post, author, body, created_at) VALUES ('" + slug +
               "', 'Ada', 'First! " + std::to_string(++counter_) + "', '2026-11-01T08:00:00Z')");
  }
  for (int i = 0; i < 4; ++i) AddCommentBySql();
}

// An edit that re-renders every page would hide a forgotten dependency of
// the other edits of its step, so a global edit is a step of its own. A
// narrow edit comes last, so it can pick a post no other edit touched.
// The chosen kinds' edits, narrow ones last (EditKind::narrow).
std::vector<Edit> RandomSiteEditor::ApplyKinds(std::vector<size_t> chosen) {
  const auto& kinds = Kinds();
  std::stable_partition(chosen.begin(), chosen.end(), [&](size_t i) { return !kinds[i].narrow; });
  std::vector<Edit> edits;
  for (size_t i : chosen) edits.push_back((this->*kinds[i].fn)());
  return edits;
}

std::vector<Edit> RandomSiteEditor::ApplyStep() {
  const auto& kinds = Kinds();
  touched_.clear();
  std::vector<size_t> chosen;
  while (chosen.size() < kCycleEditsPerStep) {
    if (cycle_at_ == cycle_.size()) {
      cycle_.clear();
      for (size_t i = 0; i < kinds.size(); ++i) {
        if (kinds[i].in_cycle && !excluded_.count(kinds[i].name)) cycle_.push_back(i);
      }
      std::shuffle(cycle_.begin(), cycle_.end(), rng_);
      cycle_at_ = 0;
    }
    const size_t next = cycle_[cycle_at_];
    if (kinds[next].global && !chosen.empty()) break;
    ++cycle_at_;
    chosen.push_back(next);
    if (kinds[next].global) break;
  }
  if (chosen.size() == kCycleEditsPerStep && Pick(2)) {
    auto weight = [&](const EditKind& k) { return excluded_.count(k.name) ? 0 : k.weight; };
    int total = 0;
    for (const EditKind& k : kinds) total += weight(k);
    int draw = Pick(total);
    size_t i = 0;
    while (draw >= weight(kinds[i])) draw -= weight(kinds[i++]);
    chosen.push_back(i);
  }
  // And one edit rides along, by turns a comment's text, a post body, an
  // existing static file and a post's description or author: they can hide
  // nothing, and each forgotten key they show is then tried every few
  // steps instead of once a round (the head fields were once a round, and
  // a mutation that ignores the author failed 5 seeds of 8).
  if (!kinds[chosen[0]].global) {
    static const char* kRiders[] = {"published comment text", "post body only", "existing static file",
                                    "post description or author"};
    const char* rider = kRiders[riders_++ % 4];
    for (size_t i = 0; i < kinds.size(); ++i) {
      if (kinds[i].name == std::string(rider) && !excluded_.count(rider)) chosen.push_back(i);
    }
  }
  return ApplyKinds(chosen);
}

std::vector<Edit> RandomSiteEditor::ApplyInPlaceStep() {
  static const char* kInPlace[] = {"post body only",
                                   "post first paragraph",
                                   "post title",
                                   "post summary",
                                   "post description or author",
                                   "post updated",
                                   "post date",
                                   "post tags",
                                   "page body only",
                                   "page title"};
  const auto& kinds = Kinds();
  touched_.clear();
  std::vector<size_t> chosen;
  const int n = 1 + Pick(3);
  for (int k = 0; k < n; ++k) {
    const char* name = kInPlace[Pick(static_cast<int>(std::size(kInPlace)))];
    for (size_t i = 0; i < kinds.size(); ++i) {
      if (kinds[i].name == std::string(name) && !excluded_.count(name)) chosen.push_back(i);
    }
  }
  return ApplyKinds(chosen);
}

}  // namespace kiln::testing
