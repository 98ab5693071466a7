// POST /api/comments (SPEC.md, "The server"; issue 3, "Comments over HTTP").
//
// A valid comment is stored, the affected pages are rebuilt, and only then
// is it answered, so the very next GET of the post shows it:
//   form:  303 to /posts/SLUG/#comment-ID (the template renders each comment
//          with id="comment-ID");
//   JSON:  201 with the stored comment (id, post, author, body, created_at,
//          status, url; never the email or the client address).
// Under `moderation = "manual"` the comment is stored as pending, no build is
// needed, and the answer says so: 202 with an HTML page for the form,
// 201 with "status": "pending" and a message for JSON.
// If the rebuild after storing fails, the comment stays stored (it is user
// data) and the answer is still a success, with the build error in the JSON
// "rebuild_error" field (for the form: 202 with a page that says so) and on
// stderr: retrying would store it twice. The coordinator retries the build
// on its own, so the comment appears once the cause is fixed.
//
// A reply carries `parent`; one whose parent is not a published comment of
// the same post is answered 400 when the store refuses it (checked on the
// build worker, where the store is).
//
// Rejections store nothing: 400/404/413/422 from comment_request.h, 429 with
// Retry-After from rate_limiter.h, 503 when the store failed. JSON posts get
// {"error": MESSAGE}. Form posts get the error page of
// render/comment_error_page.h, in the site's theme, with the same status:
// the message in plain words beside the field it concerns and the form
// filled in with what was typed (a reply whose parent is gone is offered
// as a new comment).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "load/config.h"
#include "serve/comment_request.h"
#include "serve/http_server.h"
#include "serve/rate_limiter.h"

namespace SQLite {
class Database;
}

namespace kiln {

class CommentNotifier;
class RebuildCoordinator;
struct CommentPageSite;

class CommentApi {
 public:
  // `connection` gives the connection each comment is stored with; it is
  // called, and the connection used, only on the coordinator's worker
  // thread. What it returns and `coordinator` must outlive this.
  CommentApi(const CommentsConfig& config, std::function<SQLite::Database*()> connection,
             RebuildCoordinator* coordinator);

  HandlerResult Handle(const HttpRequest& request);

  // The largest request body taken (MaxCommentRequestBytes), and the 413
  // answer for one over it, as a form or JSON rejection by its
  // Content-Type. The HTTP layer uses both before it reads the body.
  size_t max_request_bytes() const;
  HttpResponse TooLarge(const HttpRequest& request) const;

  // Thread-safe. The sorted slugs of the published posts: from the last
  // build (BuildReport::published_posts), or from loading content/ when a
  // build failed before it knew them (serve/published_posts.h).
  void SetPublishedPosts(std::vector<std::string> slugs);

  // Thread-safe. What the form's error page needs from the site (its
  // theme, title, posts), from the last build that loaded them; until one
  // is set, the page is the built-in one.
  void SetPageSite(std::shared_ptr<const CommentPageSite> site);
  // Thread-safe. Post slug -> its link (BuildReport::post_links): `replace`
  // for a build that planned every post, else merged in (a resident
  // comment build reports only the commented posts). Used for the links of
  // notifications about comments that no build has shown (pending ones).
  void SetPostLinks(const std::map<std::string, std::string>& links, bool replace);

  // Optional, set before the server starts: every stored comment is handed
  // to `notifier` (serve/comment_notifier.h) before its answer is sent; the
  // notifier only queues it. Must outlive this.
  void SetNotifier(CommentNotifier* notifier) { notifier_ = notifier; }

  // Milliseconds for the rate limiter; steady clock by default.
  // Used for tests.
  void SetClockForTest(std::function<int64_t()> now_ms) { now_ms_ = std::move(now_ms); }

 private:
  // `fields` as sent (for the form's page); `rejection` says what is wrong.
  HttpResponse Rejection(bool form, const CommentFields& fields, const CommentRejection& rejection) const;
  std::shared_ptr<const std::vector<std::string>> published() const;
  std::shared_ptr<const CommentPageSite> page_site() const;
  std::string LinkOf(const std::string& post) const;

  CommentsConfig config_;
  std::function<SQLite::Database*()> connection_;
  RebuildCoordinator* coordinator_;
  RateLimiter limiter_;
  std::function<int64_t()> now_ms_;
  mutable std::mutex mutex_;
  std::shared_ptr<const std::vector<std::string>> published_;
  std::shared_ptr<const CommentPageSite> page_site_;
  std::map<std::string, std::string> links_;  // guarded by mutex_
  CommentNotifier* notifier_ = nullptr;
};

}  // namespace kiln
