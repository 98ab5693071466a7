// A `kiln serve` killed with SIGKILL while it rebuilds after comments, then
// started again (issue 7; SPEC.md invariant 3, "Crash safe", and "The
// server": a comment is answered only once it is stored). After the
// restart:
//   - every comment answered 201 is in kiln.db, once, and its post's page
//     shows it;
//   - the site the server answers equals `kiln build --full` from scratch
//     of the same inputs and comments, byte for byte, file by file.
// Two ways to kill it: at each named point of the state save of a build
// after comments (the engine's KILN_TEST_CRASH_AT hook, which SIGKILLs the
// process itself), and from outside in the middle of a storm of comments
// from several clients, which keeps the server's worker building.
// The real binary on loopback; every wait is bounded.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>

#include <atomic>
#include <csignal>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "engine/reference_build.h"
#include "kiln_process.h"
#include "serve/serve_test_util.h"
#include "site_fixture.h"
#include "util/time_format.h"
#include "wait_until.h"

namespace kiln::testing {
namespace {

using kiln::test::HttpGet;
using kiln::test::HttpPost;
using kiln::test::ServerProcess;
using Tree = std::map<std::string, std::string>;

struct Answered {
  int64_t id = 0;
  std::string post;
  std::string body;
};

class KilledServer : public ::testing::Test {
 protected:
  void SetUp() override {
    site_.WriteOddEvenPosts(6);
    // The storm comes from one address.
    site_.WriteFile("kiln.toml", site_.ReadFile("kiln.toml") + "[comments]\nrate_limit_per_minute = 0\n");
    site_.AgeInputs();
    site_.Build();
  }

  std::vector<std::string> Env(const std::string& crash_at = "") {
    std::vector<std::string> env = {"KILN_NOW=" + FormatRfc3339(site_.clock().NowSeconds())};
    if (!crash_at.empty()) env.push_back("KILN_TEST_CRASH_AT=" + crash_at);
    return env;
  }

  // POSTs one JSON comment; fills `answered` when the answer is 201.
  static bool PostComment(const ServerProcess& server, const std::string& post, const std::string& body,
                          Answered* answered) {
    auto posted = HttpPost(server.Url("/api/comments"), "application/json",
                           nlohmann::json{{"post", post}, {"author", "Kim"}, {"body", body}}.dump());
    if (!posted.ok || posted.status != 201) return false;
    auto json = nlohmann::json::parse(posted.body, nullptr, false);
    answered->id = json.value("id", int64_t{0});
    answered->post = post;
    answered->body = body;
    return answered->id > 0;
  }

  // The comments kiln.db holds by id, read by the binary as a user would.
  std::map<int64_t, Answered> StoredComments() {
    ProcessResult list = RunKiln(ReferenceKilnBinary(),
                                 {"comment", "list", "--json", "--site", site_.root().string()}, Env());
    EXPECT_EQ(list.exit_code, 0) << list.err;
    std::map<int64_t, Answered> stored;
    auto json = nlohmann::json::parse(list.out, nullptr, false);
    if (!json.is_array()) {
      ADD_FAILURE() << "kiln comment list --json: " << list.out;
      return stored;
    }
    for (const auto& c : json) {
      const int64_t id = c.value("id", int64_t{0});
      stored[id] = Answered{id, c.value("post", ""), c.value("body", "")};
    }
    return stored;
  }

  // What differs between the restarted server and the reference: site/ on
  // disk, and every file of the reference as the server answers it.
  std::string CompareWithFullBuild(const ServerProcess& server) {
    const Tree reference = site_.FullBuildFromScratch();
    if (reference.empty()) return "no reference build";
    std::string diff = DescribeDifferences(ReadSiteTree(site_.root() / "site"), reference);
    for (const auto& [path, bytes] : reference) {
      auto got = HttpGet(server.Url("/" + path));
      if (!got.ok || got.status != 200) {
        diff += "  GET /" + path + ": " + (got.ok ? std::to_string(got.status) : got.error) + "\n";
      } else if (got.body != bytes) {
        diff += "  GET /" + path + " serves other bytes than the full build\n";
      }
    }
    return diff;
  }

  // Each comment answered 201 is stored once, with its body, and shown on
  // its post's page by `server`.
  void ExpectStoredAndShown(const ServerProcess& server, const std::vector<Answered>& answered) {
    const auto stored = StoredComments();
    for (const Answered& a : answered) {
      auto it = stored.find(a.id);
      ASSERT_NE(it, stored.end()) << "comment " << a.id << " was answered 201 but is not stored";
      EXPECT_EQ(it->second.body, a.body);
      auto page = HttpGet(server.Url("/posts/" + a.post + "/"));
      EXPECT_NE(page.body.find("id=\"comment-" + std::to_string(a.id) + "\""), std::string::npos)
          << "comment " << a.id << " is not shown on /posts/" << a.post << "/";
    }
  }

  TempSite site_;
};

class KilledAtSavePoint : public KilledServer, public ::testing::WithParamInterface<const char*> {};

// The build after comments dies at the named point of its save: the
// comments were stored first, the pages may be written, the state saved or
// not. The next server must show every stored comment and serve exactly a
// full build.
//
// A server's first build always saves (it fills the resident engine), so
// the hook would fire at start. Hence a template the build cannot render:
// every build fails before its save (and a comment is still answered 201,
// docs/server.md) until the template is fixed; the next build, that of the
// second comment or the server's own retry, reaches the save and dies.
TEST_P(KilledAtSavePoint, RestartedServerShowsEveryStoredCommentAndServesAFullBuild) {
  const std::string post_template = site_.ReadFile("templates/post.mustache");
  site_.WriteFile("templates/post.mustache", post_template + "{{> no_such_partial}}\n");
  std::vector<Answered> answered(1);
  {
    ServerProcess doomed(site_.root(), {}, Env(GetParam()));
    ASSERT_TRUE(doomed.WaitServing()) << doomed.Stderr();
    ASSERT_TRUE(PostComment(doomed, "p2", "Answered while the builds fail.", &answered[0]));
    ASSERT_TRUE(doomed.running()) << doomed.Stderr();
    site_.WriteFile("templates/post.mustache", post_template);
    Answered never;
    EXPECT_FALSE(PostComment(doomed, "p3", "Posted as the template is fixed.", &never))
        << "the build was expected to die at " << GetParam() << " before this answer";
    ASSERT_EQ(doomed.WaitExit(), 128 + SIGKILL) << doomed.Stderr();
  }
  const auto stored_before = StoredComments();
  ASSERT_GE(stored_before.size(), 1u);

  ServerProcess server(site_.root(), {}, Env());
  ASSERT_TRUE(server.WaitServing()) << server.Stderr();
  ExpectStoredAndShown(server, answered);
  std::vector<Answered> all;
  for (const auto& [id, comment] : stored_before) all.push_back(comment);
  ExpectStoredAndShown(server, all);  // the one whose build died too, if it was stored
  Answered next;
  ASSERT_TRUE(PostComment(server, "p4", "Posted after the restart.", &next));
  ExpectStoredAndShown(server, {next});
  EXPECT_EQ(StoredComments().size(), stored_before.size() + 1);
  EXPECT_EQ(CompareWithFullBuild(server), "");
}

INSTANTIATE_TEST_SUITE_P(StateSave, KilledAtSavePoint,
                         ::testing::Values("save-index", "save-state", "save-commit", "saved"));

// Four clients post comments without pause, so the worker is building
// nearly all the time; the server is killed from outside once 24 have been
// answered, wherever its build then is.
TEST_F(KilledServer, KilledDuringACommentStormLosesNothingAnswered) {
  constexpr int kClients = 4;
  constexpr size_t kAnsweredBeforeKill = 24;
  std::vector<Answered> answered;
  {
    ServerProcess server(site_.root(), {}, Env());
    ASSERT_TRUE(server.WaitServing()) << server.Stderr();
    std::mutex mutex;
    std::atomic<bool> stop = false;
    std::vector<std::thread> clients;
    for (int c = 0; c < kClients; ++c) {
      clients.emplace_back([&, c] {
        for (int i = 0; !stop; ++i) {
          const std::string post = "p" + std::to_string(1 + (c + i) % 6);
          const std::string body = "Storm comment " + std::to_string(c) + "-" + std::to_string(i) + ".";
          Answered a;
          if (PostComment(server, post, body, &a)) {
            std::lock_guard lock(mutex);
            answered.push_back(a);
          } else if (!server.running() || stop) {
            return;
          }
        }
      });
    }
    bool enough = WaitUntil(
        [&] {
          std::lock_guard lock(mutex);
          return answered.size() >= kAnsweredBeforeKill;
        },
        std::chrono::seconds(120), std::chrono::milliseconds(1));
    server.Signal(SIGKILL);
    stop = true;
    for (auto& t : clients) t.join();
    ASSERT_TRUE(enough) << "only " << answered.size() << " comments answered in 120 s";
    ASSERT_EQ(server.WaitExit(), 128 + SIGKILL);
  }
  ServerProcess server(site_.root(), {}, Env());
  ASSERT_TRUE(server.WaitServing()) << server.Stderr();
  ExpectStoredAndShown(server, answered);
  EXPECT_EQ(CompareWithFullBuild(server), "");
}

}  // namespace
}  // namespace kiln::testing
