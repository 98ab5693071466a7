// Random edits of a real site, of every kind of input a page can depend on:
// the edit generator of the incremental property test
// (tests/engine/incremental_property_test.cc).
//
// Each kind of dependency the engine records (the keys of
// render/dep_recorder.h: post:, body:, nav:, comments:, count:, config:F,
// page:, template:X for pages and partials, static:, asset:, list:home:N,
// list:tag:T/N, list:tags, list:feed, list:tagfeed:T, list:sitemap,
// list:pages; and the
// fields each fingerprint hashes: a post's URL through `permalink`, its
// description and author, a comment's parent) has at least one edit that
// changes what a page shows through that key and nothing else where
// possible: a post body that leaves its first paragraph (the listing
// summary) alone, a comment edited without changing the count, a partial
// template, a standalone page's body, a file of a page bundle, the title of
// a post with aliases (its redirect pages). The steps walk a cycle through
// these classes (28 of them, shuffled per seed and per round, about 14
// steps a round), so a build that forgets one kind of dependency fails
// within a round on every seed. An edit that re-renders most pages (a
// template, kiln.toml, a page title) is a step of its own, since it would
// hide a forgotten dependency of the other edits of its step; so are some
// comment edits, which a build with nothing else changed takes on its
// comment path. The others go three a step, with some steps adding one
// drawn at random, rarer kinds included, and every such step one edit
// more that can hide nothing (a comment's text, a post body, an existing
// static file, by turns). A narrow edit
// comes last in its step and picks a post whose page the step's other
// edits do not re-render.
//
// Comments include replies, by plain SQL (any parent, even one on another
// post) and by `kiln comment add --parent`, and deletions prefer, half the
// time, a comment that has replies.
//
// The editor keeps a model of the posts, pages and kiln.toml it wrote;
// comments are read back from kiln.db, which kiln and plain SQL both write.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "site_fixture.h"

namespace kiln::testing {

// One edit, for failure messages and for SPEC.md invariant 2 ("Minimal").
struct Edit {
  std::string what;
  // For edits small enough to know: the URLs the next build may render at
  // most (empty: none). nullopt when the edit may touch any page.
  std::optional<std::set<std::string>> may_render;
};

class RandomSiteEditor {
 public:
  // `site` must outlive the editor. `binary` is the kiln the `kiln comment`
  // edits run.
  RandomSiteEditor(TempSite* site, uint32_t seed, std::string binary);

  // Posts (some sharing tags, one draft), two standalone pages, kiln.toml.
  void WriteInitialContent();
  // A few comments by plain SQL; kiln.db must exist (after a first build).
  void WriteInitialComments();

  // The edits of the next step: the cycle's next global class alone, or
  // its next two other classes and, some steps, one drawn at random.
  std::vector<Edit> ApplyStep();
  // One to three edits of existing posts' and pages' files in place, and
  // nothing else: what the edit path of `kiln build` (engine/build.cc,
  // TakeEdits) takes on when they move no page, listing or tag, and leaves
  // to the normal path when they do (a date, tags, a page's title).
  std::vector<Edit> ApplyInPlaceStep();

  // The model's time, for KILN_NOW: what every build and command sees.
  std::string NowIso() const;
  std::vector<std::string> KilnEnv() const { return {"KILN_NOW=" + NowIso()}; }

  // Never applies the edits of the kind named `name` (Kinds()' names, e.g.
  // "advance clock": a running server's clock cannot be moved).
  void Exclude(const std::string& name) { excluded_.insert(name); }

  // Slugs of the published posts of the model, sorted.
  std::vector<std::string> PublishedSlugs() const;

 private:
  struct Post {
    std::string title, date, updated;
    std::vector<std::string> tags;
    std::string lead, rest;  // body: first paragraph (the derived summary), then the rest
    bool draft = false;
    std::string slug;     // empty: from the file name
    std::string summary;  // empty: derived from `lead`
    std::string description, author;  // front matter; empty: none
    std::string permalink;            // front matter: this post's own URL; empty: the pattern's
    std::vector<std::string> aliases;  // old URLs, each a redirect page
  };
  struct Page {
    std::string title, body;
    std::string slug;  // empty: from the file name
  };
  struct Config {
    std::string title = "Test blog", description = "Tests", author = "Ada";
    std::string base_url = "https://blog.example/";
    int posts_per_page = 3, feed_size = 4;
    std::string moderation = "auto";
    int max_length = 10000;
    bool highlight = true;  // [markdown] highlight
    bool headers_file = true;  // [edge] headers_file: site/_headers kept by every build
    std::string feed_content = "summary";  // or "full": feeds carry the post bodies
  };
  struct CommentRow {
    int64_t id;
    std::string post, status;
    std::optional<int64_t> parent;
  };
  using EditFn = Edit (RandomSiteEditor::*)();
  struct EditKind {
    const char* name;
    EditFn fn;
    int weight;     // in the random draw (0: never drawn)
    bool in_cycle;  // one of the classes every cycle visits
    bool global;    // re-renders most pages (or must reach the comment path): alone in its step
    bool narrow;    // shows through one key of one page: applied last in its step, on
                    // a post the step's other edits leave alone (touched_)
  };

  static const std::vector<EditKind>& Kinds();
  std::vector<Edit> ApplyKinds(std::vector<size_t> chosen);
  static constexpr size_t kCycleEditsPerStep = 3;

  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  std::string Words(int n);
  std::string Lead();
  std::string Rest();
  std::string CommentBody();
  std::vector<std::string> Tags();
  std::string Date();

  // Posts.
  Edit AddPost();
  Edit EditPostBodyOnly();
  Edit EditPostLead();
  Edit EditPostTitle();
  Edit EditPostTags();
  Edit EditPostDate();
  Edit EditPostUpdated();
  Edit TogglePostDraft();
  Edit EditPostSummary();
  Edit EditPostHeadFields();
  Edit EditPostPermalink();
  Edit EditPostAliases();
  Edit EditPostSlug();
  Edit RenamePost();
  Edit DeletePost();
  // Standalone pages.
  Edit EditPageBodyOnly();
  Edit EditPageTitle();
  Edit AddOrRemovePage();
  // Theme, static files, kiln.toml.
  Edit EditPartialTemplate();
  Edit EditTopLevelTemplate();
  Edit RevertTemplate();
  Edit EditConfigField();
  Edit ToggleHighlight();
  Edit EditStaticFile();
  Edit EditExistingStaticFile();
  Edit EditStatic(int what);  // what < 6: an existing file; else add or remove one
  Edit EditBundleFile();
  // Comments, by plain SQL and by `kiln comment`.
  Edit AddCommentBySql();
  Edit AddCommentByKiln();
  Edit EditPublishedCommentBody();
  Edit EditHiddenCommentBody();
  Edit DeleteComment();
  Edit ModerateComment();
  Edit MoveComment();
  Edit CommentsAlone();
  // Time, and site/ itself.
  Edit AdvanceClock();
  Edit DeleteOutputFile();

  template <typename F>
  Edit MutatePost(const char* what, bool prefer_published, F change, bool avoid_touched = false);
  // A post's file; `avoid_touched`: preferably one whose page no earlier
  // edit of this step re-renders. `movable`: not the page bundle.
  std::string AnyPost(bool prefer_published, bool avoid_touched = false, bool movable = false);
  bool Published(const Post& p) const;
  // "bundle/index" (content/posts/bundle/index.md) is the post "bundle".
  static std::string SlugOf(const std::string& file, const Post& p);
  std::string PostUrlOfSlug(const std::string& slug) const;
  // The site's feed and the feed of every tag a published post has: what
  // a kiln.toml feed field reaches. With `tags`, only those tags' feeds.
  std::set<std::string> FeedUrls() const;
  static std::set<std::string> FeedUrlsOf(const std::vector<std::string>& tags);
  // Marks the pages of `file`'s post and of its previous and next posts as
  // re-rendered by this step (their nav: keys follow the post).
  void TouchAround(const std::string& file);
  // Slugs of the published posts before and after `file`'s post.
  std::vector<std::string> NeighboursOf(const std::string& file) const;
  void SavePost(const std::string& file);
  void SavePage(const std::string& file);
  void SaveConfig();
  std::string PageUrl(const std::string& file) const;
  std::vector<CommentRow> ReadComments();
  Edit EditTemplate(bool partial);
  Edit RunKilnComment(const std::vector<std::string>& args, const std::string& what);
  Edit EditCommentBody(bool visible);  // visible: shown on a published post

  TempSite* site_;
  std::mt19937 rng_;
  std::string binary_;
  std::map<std::string, Post> posts_;  // file name without .md -> model
  std::map<std::string, Page> pages_;  // file name without .md -> model
  Config config_;
  std::map<std::string, std::string> original_templates_;  // name -> text as shipped
  std::set<std::string> partials_;                         // names included by {{> name}}
  std::vector<size_t> cycle_;                              // indices into Kinds()
  size_t cycle_at_ = 0;                                    // next class in cycle_
  int config_field_ = 0;                                   // next kiln.toml field to edit
  int next_post_ = 0;
  int counter_ = 0;  // makes every edited text new
  std::set<std::string> touched_;  // slugs of posts whose page this step's edits re-render
  int riders_ = 0;                 // which narrow edit rides along the next local step
  std::set<std::string> excluded_;  // kinds never applied (Exclude)
};

}  // namespace kiln::testing
