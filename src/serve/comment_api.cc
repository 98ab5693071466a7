// Implementation notes: parsing, validation and the rate limit run on the
// I/O thread (they are cheap and touch no disk); storing runs in the
// coordinator's `prepare` on the build worker, so the server's one SQLite
// writer is that thread and inserts never wait behind a build of their own.
#include "serve/comment_api.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "render/comment_error_page.h"
#include "render/comment_notice_page.h"
#include "serve/comment_notifier.h"
#include "serve/comment_request.h"
#include "serve/rebuild_coordinator.h"
#include "store/comment_store.h"
#include "util/strings.h"

namespace kiln {
namespace {

int64_t SteadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string PostUrl(const std::string& slug) { return "/posts/" + slug + "/"; }

// The post's link as the build that showed the comment made it (a
// permalink pattern or base path moves posts off /posts/SLUG/).
std::string PostLink(const Comment& c, const JobResult& result) {
  if (result.report) {
    auto it = result.report->post_links.find(c.post);
    if (it != result.report->post_links.end()) return it->second;
  }
  return PostUrl(c.post);
}

// `site`: the theme and data of the pages answered to the form (may be
// null before the first build).
HttpResponse StoredResponse(bool form, const Comment& c, const JobResult& result, const CommentPageSite* site) {
  std::string anchor = PostLink(c, result) + "#comment-" + std::to_string(c.id);
  bool pending = c.status != "published";
  if (form && pending) {
    return MakeResponse(202, "text/html; charset=utf-8",
                        RenderCommentNoticePage(site, {"Thank you: your comment awaits moderation",
                                                       "Your comment was received and will appear on the post "
                                                       "once it is approved.",
                                                       c.post}));
  }
  if (form && result.built && !result.build.ok()) {
    // A 303 would show the reader a page without their comment: say why.
    return MakeResponse(202, "text/html; charset=utf-8",
                        RenderCommentNoticePage(site, {"Thank you: your comment is stored",
                                                       "It will appear on the post once the site builds "
                                                       "again. The build failed: " + result.build.ToString(),
                                                       c.post}));
  }
  if (form) {
    HttpResponse response = TextResponse(303, "comment stored: " + anchor);
    response.SetHeader("Location", anchor);
    return response;
  }
  nlohmann::json json = {{"id", c.id},       {"post", c.post},
                         {"author", c.author}, {"body", c.body},
                         {"created_at", c.created_at}, {"status", c.status},
                         {"url", anchor}};
  if (c.parent) json["parent"] = *c.parent;
  if (pending) json["message"] = "held for moderation: it will be shown once approved";
  if (result.built && !result.build.ok()) json["rebuild_error"] = result.build.ToString();
  return MakeResponse(201, "application/json",
                      json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
}

}  // namespace

CommentApi::CommentApi(const CommentsConfig& config, std::function<SQLite::Database*()> connection,
                       RebuildCoordinator* coordinator)
    : config_(config),
      connection_(std::move(connection)),
      coordinator_(coordinator),
      limiter_(config.rate_limit_per_minute),
      now_ms_(SteadyMs),
      published_(std::make_shared<const std::vector<std::string>>()) {}

void CommentApi::SetPublishedPosts(std::vector<std::string> slugs) {
  auto sorted = std::make_shared<std::vector<std::string>>(std::move(slugs));
  std::sort(sorted->begin(), sorted->end());
  std::lock_guard lock(mutex_);
  published_ = std::move(sorted);
}

void CommentApi::SetPostLinks(const std::map<std::string, std::string>& links, bool replace) {
  std::lock_guard lock(mutex_);
  if (replace) links_.clear();
  for (const auto& [slug, link] : links) links_[slug] = link;
}

std::string CommentApi::LinkOf(const std::string& post) const {
  std::lock_guard lock(mutex_);
  auto it = links_.find(post);
  return it == links_.end() ? PostUrl(post) : it->second;
}

std::shared_ptr<const std::vector<std::string>> CommentApi::published() const {
  std::lock_guard lock(mutex_);
  return published_;
}

void CommentApi::SetPageSite(std::shared_ptr<const CommentPageSite> site) {
  std::lock_guard lock(mutex_);
  page_site_ = std::move(site);
}

std::shared_ptr<const CommentPageSite> CommentApi::page_site() const {
  std::lock_guard lock(mutex_);
  return page_site_;
}

HttpResponse CommentApi::Rejection(bool form, const CommentFields& fields,
                                   const CommentRejection& rejection) const {
  if (!form) return JsonErrorResponse(rejection.status, rejection.message);
  CommentFormError error;
  error.status = rejection.status;
  error.message = rejection.for_people.empty() ? rejection.message : rejection.for_people;
  error.field = rejection.field;
  error.post = fields.post;
  error.author = fields.author;
  error.email = fields.email;
  error.body = fields.body;
  // A rejected parent is dropped, so the page offers a new comment.
  if (rejection.for_people != kParentGone) error.parent = fields.parent;
  const std::shared_ptr<const CommentPageSite> site = page_site();
  return MakeResponse(rejection.status, "text/html; charset=utf-8",
                      RenderCommentErrorPage(site.get(), error));
}

size_t CommentApi::max_request_bytes() const { return MaxCommentRequestBytes(config_); }

HttpResponse CommentApi::TooLarge(const HttpRequest& request) const {
  bool form = ToLower(request.Header("content-type")).starts_with("application/x-www-form-urlencoded");
  CommentRejection rejection{413,
                              "the request is too large: at most " + std::to_string(max_request_bytes()) +
                                  " bytes",
                              "", "Your comment is too long to send. Please shorten it, then send it again."};
  return Rejection(form, CommentFields{}, rejection);
}

HandlerResult CommentApi::Handle(const HttpRequest& request) {
  HandlerResult result;
  std::string_view content_type = request.Header("content-type");
  bool form = ToLower(content_type).starts_with("application/x-www-form-urlencoded");
  if (request.body.size() > max_request_bytes()) {
    result.response = TooLarge(request);
    return result;
  }
  CommentFields fields;
  CommentRejection rejection;
  NewComment comment;
  if (!ParseCommentRequest(content_type, request.body, &fields, &rejection) ||
      !ValidateComment(fields, config_, *published(), &comment, &rejection)) {
    result.response = Rejection(form, fields, rejection);
    return result;
  }
  int retry_after = 0;
  if (!limiter_.TryAcquire(request.client_addr, now_ms_(), &retry_after)) {
    const std::string seconds = std::to_string(retry_after);
    result.response = Rejection(form, fields,
                                {429, "too many comments from your address: try again in " + seconds + " s", "",
                                 "You have sent several comments in a short time. Please wait " + seconds +
                                     (retry_after == 1 ? " second" : " seconds") + ", then send it again."});
    result.response.SetHeader("Retry-After", std::to_string(retry_after));
    return result;
  }
  comment.client_addr = request.client_addr;
  result.deferred = [this, form, fields = std::move(fields), comment = std::move(comment)](
                        std::function<void(HttpResponse)> respond) {
    auto stored = std::make_shared<Comment>();
    RebuildJob job;
    job.prepare = [this, comment, stored](bool* needs_build) {
      *needs_build = comment.status == "published";
      try {
        return CommentStore(connection_()).Add(comment, stored.get());
      } catch (const std::exception& e) {
        return Status::Io(std::string("could not store the comment: ") + e.what());
      }
    };
    job.done = [this, form, fields, comment, stored, respond](const JobResult& job_result) {
      if (job_result.prepared.code() == Status::Code::kInvalid) {  // the parent (CommentStore::Add)
        limiter_.Release(comment.client_addr);
        respond(Rejection(form, fields, {400, job_result.prepared.message(), "", kParentGone}));
        return;
      }
      if (!job_result.prepared.ok()) {
        limiter_.Release(comment.client_addr);
        std::fprintf(stderr, "kiln: comment on '%s' not stored: %s\n", comment.post.c_str(),
                     job_result.prepared.ToString().c_str());
        respond(Rejection(form, fields,
                          {503, "the comment could not be stored: " + job_result.prepared.message(), "",
                           "Your comment could not be saved just now. Nothing was lost: it is below. "
                           "Please send it again in a moment."}));
        return;
      }
      if (job_result.built && !job_result.build.ok()) {
        std::fprintf(stderr, "kiln: comment %lld stored, but the rebuild failed: %s\n",
                     static_cast<long long>(stored->id), job_result.build.ToString().c_str());
      }
      // Whatever Add() leaves empty, we know from the request.
      if (stored->post.empty()) stored->post = comment.post;
      if (stored->author.empty()) stored->author = comment.author;
      if (stored->body.empty()) stored->body = comment.body;
      if (stored->status.empty()) stored->status = comment.status;
      // Only queued here: a slow or dead endpoint never delays the answer.
      if (notifier_) notifier_->Enqueue(*stored, LinkOf(stored->post));
      respond(StoredResponse(form, *stored, job_result, page_site().get()));
    };
    job.comments_only = true;
    coordinator_->Submit(std::move(job));
  };
  return result;
}

}  // namespace kiln
