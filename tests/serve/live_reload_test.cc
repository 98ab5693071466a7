// `kiln serve --watch` (issue 3, "Preview"): inotify-triggered incremental
// rebuilds, live reload through Server-Sent Events, the script injected only
// in watch mode and never written to site/, build errors shown in the
// browser while the server keeps serving.
#include "serve/live_reload.h"

#include <curl/curl.h>

#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include "serve_test_util.h"

namespace kiln::test {
namespace {

TEST(InjectReloadScriptTest, GoesBeforeTheLastClosingBody) {
  std::string out = InjectReloadScript("<html><body>x</BODY></html>");
  size_t script = out.find("<script>");
  ASSERT_NE(script, std::string::npos);
  EXPECT_EQ(out.substr(0, script), "<html><body>x");
  EXPECT_TRUE(out.ends_with("</script>\n</BODY></html>"));
  EXPECT_TRUE(InjectReloadScript("no body").starts_with("no body<script>"));
}

TEST(FormatSseEventTest, OneDataLinePerLine) {
  EXPECT_EQ(FormatSseEvent("build-error", "a\r\nb\nc"),
            "event: build-error\ndata: a\ndata: b\ndata: c\n\n");
  EXPECT_EQ(ReloadEvent().substr(0, 14), "event: reload\n");
}

// Reads an SSE stream on a thread until stopped (or 60 s pass).
class SseClient {
 public:
  explicit SseClient(const std::string& url) {
    thread_ = std::thread([this, url] {
      CURL* curl = curl_easy_init();
      curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
      curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &SseClient::OnData);
      curl_easy_setopt(curl, CURLOPT_WRITEDATA, this);
      curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
      curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, &SseClient::OnProgress);
      curl_easy_setopt(curl, CURLOPT_XFERINFODATA, this);
      curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
      curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
      curl_easy_perform(curl);
      curl_easy_cleanup(curl);
    });
  }
  ~SseClient() {
    stop_ = true;
    thread_.join();
  }
  std::string Text() {
    std::lock_guard lock(mutex_);
    return text_;
  }
  // Waits for `needle` to appear after byte `from` of the stream.
  bool WaitFor(const std::string& needle, size_t from = 0, int seconds = 15) {
    for (int i = 0; i < seconds * 100; ++i) {
      std::string text = Text();
      if (text.size() > from && text.find(needle, from) != std::string::npos) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

 private:
  static size_t OnData(char* data, size_t size, size_t n, void* self) {
    auto* client = static_cast<SseClient*>(self);
    std::lock_guard lock(client->mutex_);
    client->text_.append(data, size * n);
    return size * n;
  }
  static int OnProgress(void* self, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    return static_cast<SseClient*>(self)->stop_ ? 1 : 0;
  }
  std::atomic<bool> stop_ = false;
  std::mutex mutex_;
  std::string text_;
  std::thread thread_;
};

TEST(LiveReloadTest, EditRebuildsAndReloadsOpenPages) {
  TestSite site;
  ServerProcess server(site.root(), {"--watch"});
  ASSERT_TRUE(server.WaitServing()) << server.Stderr();
  HttpResult home = HttpGet(server.Url("/"));
  EXPECT_NE(home.body.find("new EventSource('/_kiln/live-reload')"), std::string::npos);
  EXPECT_EQ(site.ReadFile("site/index.html").find("EventSource"), std::string::npos);
  EXPECT_EQ(HttpGet(server.Url("/style.css")).body.find("EventSource"), std::string::npos);

  SseClient events(server.Url("/_kiln/live-reload"));
  ASSERT_TRUE(events.WaitFor("retry: 1000")) << server.Stderr();
  size_t mark = events.Text().size();
  site.WritePost("first", "First post, edited", "Edited while watching.\n");
  ASSERT_TRUE(events.WaitFor("event: reload", mark)) << server.Stderr();
  HttpResult page = HttpGet(server.Url("/posts/first/"));
  EXPECT_NE(page.body.find("First post, edited"), std::string::npos);
  EXPECT_NE(page.body.find("EventSource"), std::string::npos);
  EXPECT_EQ(site.ReadFile("site/posts/first/index.html").find("EventSource"), std::string::npos);
}

TEST(LiveReloadTest, BuildErrorIsShownAndTheServerKeepsServing) {
  TestSite site;
  ServerProcess server(site.root(), {"--watch"});
  ASSERT_TRUE(server.WaitServing()) << server.Stderr();
  std::string good_template = site.ReadFile("templates/post.mustache");
  std::string before = HttpGet(server.Url("/posts/first/")).body;

  SseClient events(server.Url("/_kiln/live-reload"));
  ASSERT_TRUE(events.WaitFor("retry: 1000"));
  size_t mark = events.Text().size();
  site.WriteFile("templates/post.mustache", good_template + "{{#unclosed}}\n");
  ASSERT_TRUE(events.WaitFor("event: build-error", mark)) << server.Stderr();
  EXPECT_NE(events.Text().find("post.mustache", mark), std::string::npos) << events.Text();

  // Still serving the last good site, and a page opened now learns of the
  // error at once.
  EXPECT_EQ(HttpGet(server.Url("/posts/first/")).body, before);
  SseClient late(server.Url("/_kiln/live-reload"));
  EXPECT_TRUE(late.WaitFor("event: build-error"));

  mark = events.Text().size();
  site.WriteFile("templates/post.mustache", good_template);
  EXPECT_TRUE(events.WaitFor("event: reload", mark)) << server.Stderr();
}

}  // namespace
}  // namespace kiln::test
