// The _headers file (edge/headers_file.h; issue 9): the rules static hosts
// read, with the Cache-Control and cache tags kiln serve sends, kept by
// every build as the incremental invariants keep pages (SPEC.md,
// "Incremental builds").
#include "edge/headers_file.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "edge/cache_tags.h"
#include "edge/output_keys.h"
#include "site_fixture.h"
#include "util/status.h"

namespace kiln::testing {
namespace {

using Files = std::vector<std::string>;

bool HasFile(const Files& files, const std::string& file) {
  return std::find(files.begin(), files.end(), file) != files.end();
}

TEST(HeadersFileTest, OneCacheControlRuleThenTheTagsOfEachOutput) {
  EXPECT_EQ(HeadersFileOf({{"index.html", {"template:home", "post:a"}},
                           {"posts/a b/index.html", {"post:a", "comments:a"}},
                           {"feed.xml", {"post:a"}},
                           {"style.css", {}}},
                          60),
            "# Written by kiln build ([edge] headers_file): the headers kiln serve sends.\n"
            "/*\n"
            "  Cache-Control: public, max-age=0, must-revalidate, s-maxage=60\n"
            "/feed.xml\n"
            "  Cache-Tag: post:a\n"
            "/\n"
            "  Cache-Tag: post:a,template:home\n"
            "/posts/a%20b/\n"
            "  Cache-Tag: comments:a,post:a\n");
}

class HeadersFileBuild : public ::testing::Test {
 protected:
  void SetUp() override {
    site_.WritePost("hello", "Hello", "2026-01-01", {"intro"}, "Hi.\n");
    EnableHeadersFile(true);
  }

  void EnableHeadersFile(bool on) {
    site_.WriteConfig(3, 4);
    site_.WriteFile("kiln.toml", site_.ReadFile("kiln.toml") + "\n[edge]\nheaders_file = " +
                                     (on ? "true" : "false") + "\ns_maxage = 120\n");
  }

  // The tags kiln serve would send with OUTPUT's path, as a _headers line.
  std::string ServedTagLine(const std::string& output) {
    std::map<std::string, std::vector<std::string>> keys;
    EXPECT_TRUE(LoadOutputKeys(site_.root(), &keys).ok());
    std::string tags = CacheTagHeaders(keys).at(output);
    std::replace(tags.begin(), tags.end(), ' ', ',');
    return UrlPathOf(output) + "\n  Cache-Tag: " + tags + "\n";
  }

  TempSite site_;
};

// Pins the whole file of a one-post site: every page and static file, its
// dependency keys as tags, in the order of the outputs' paths.
TEST_F(HeadersFileBuild, SmallSiteExactContent) {
  BuildReport report = site_.Build();
  EXPECT_TRUE(HasFile(report.written, "_headers"));
  EXPECT_EQ(site_.ReadFile("site/_headers"),
            "# Written by kiln build ([edge] headers_file): the headers kiln serve sends.\n"
            "/*\n"
            "  Cache-Control: public, max-age=0, must-revalidate, s-maxage=120\n"
            "/404.html\n"
            "  Cache-Tag: config:author,config:base_path,config:description,config:title,list:pages,template:404,template:foot,template:head\n"
            "/favicon.svg\n"
            "  Cache-Tag: static:favicon.svg\n"
            "/feed.xml\n"
            "  Cache-Tag: config:author,config:base_url,config:description,config:feed_content,config:feed_size,config:title,list:feed,post:hello,template:feed\n"
            "/\n"
            "  Cache-Tag: config:author,config:base_path,config:base_url,config:description,config:title,count:hello,list:home:1,list:pages,post:hello,template:foot,template:head,template:index,template:pagination,template:post_list,template:post_meta,template:tag_list\n"
            "/posts/hello/\n"
            "  Cache-Tag: body:hello,comments:hello,config:author,config:base_path,config:base_url,config:comments.max_length,config:markdown.highlight,config:title,count:hello,list:pages,nav:hello,post:hello,template:comment,template:comment_section,template:foot,template:head,template:post,template:post_meta,template:tag_list\n"
            "/robots.txt\n"
            "  Cache-Tag: config:base_url,template:robots\n"
            "/sitemap.xml\n"
            "  Cache-Tag: config:base_url,list:sitemap,template:sitemap\n"
            "/style.css\n"
            "  Cache-Tag: static:style.css\n"
            "/tags/\n"
            "  Cache-Tag: config:author,config:base_path,config:base_url,config:description,config:title,list:pages,list:tags,template:foot,template:head,template:tags\n"
            "/tags/intro/feed.xml\n"
            "  Cache-Tag: config:author,config:base_url,config:feed_content,config:feed_size,config:title,list:tagfeed:intro,post:hello,template:feed\n"
            "/tags/intro/\n"
            "  Cache-Tag: config:author,config:base_path,config:base_url,config:title,count:hello,list:pages,list:tag:intro/1,post:hello,template:foot,template:head,template:pagination,template:post_list,template:post_meta,template:tag,template:tag_list\n");
}

// The same tags as the server's xkey header, for every output: both come
// from edge/cache_tags.h.
TEST_F(HeadersFileBuild, TagsAreThoseKilnServeSends) {
  site_.Build();
  const std::string file = site_.ReadFile("site/_headers");
  for (const char* output : {"index.html", "posts/hello/index.html", "tags/intro/index.html", "feed.xml"}) {
    EXPECT_NE(file.find(ServedTagLine(output)), std::string::npos) << output;
  }
  EXPECT_NE(file.find("/*\n  Cache-Control: public, max-age=0, must-revalidate, s-maxage=120\n"),
            std::string::npos);
}

// A build that changes a page's tags changes the file and reports it
// written; a build that changes nothing leaves it alone (mtime and all).
TEST_F(HeadersFileBuild, IncrementalBuildRewritesItWhenTagsChange) {
  site_.Build();
  site_.WritePost("second", "Second", "2026-01-02", {"intro"}, "Two.\n");
  BuildReport report = site_.Build();
  EXPECT_TRUE(HasFile(report.written, "_headers"));
  EXPECT_NE(site_.ReadFile("site/_headers").find(ServedTagLine("posts/second/index.html")), std::string::npos);
  EXPECT_NE(site_.ReadFile("site/_headers").find("post:second"), std::string::npos);
  EXPECT_EQ(DescribeDifferences(site_.SiteFiles(), site_.FullBuildFromScratch()), "");

  site_.AgeInputs();
  BuildReport again = site_.Build();
  EXPECT_EQ(again.written, Files{});
}

// A comment re-renders the post but reads the same keys: the file is not
// rewritten, and still equals a full build's.
TEST_F(HeadersFileBuild, CommentLeavesItAlone) {
  site_.Build();
  site_.Sql("INSERT INTO comments(post, author, body, created_at) "
            "VALUES ('hello', 'Ada', 'Nice', '2026-11-26T10:00:00Z')");
  BuildReport report = site_.Build();
  EXPECT_TRUE(HasFile(report.rendered, "/posts/hello/"));
  EXPECT_FALSE(HasFile(report.written, "_headers"));
  EXPECT_EQ(DescribeDifferences(site_.SiteFiles(), site_.FullBuildFromScratch()), "");
}

TEST_F(HeadersFileBuild, DeletedByHandIsWrittenAgain) {
  site_.Build();
  site_.RemoveFile("site/_headers");
  site_.AgeInputs();
  EXPECT_TRUE(HasFile(site_.Build().written, "_headers"));
  EXPECT_TRUE(site_.Exists("site/_headers"));
}

TEST_F(HeadersFileBuild, SwitchedOffRemovesIt) {
  site_.Build();
  EnableHeadersFile(false);
  BuildReport report = site_.Build();
  EXPECT_TRUE(HasFile(report.removed, "_headers"));
  EXPECT_FALSE(site_.Exists("site/_headers"));
}

// A site's own static/_headers would be overwritten without a word.
TEST_F(HeadersFileBuild, StaticHeadersFileIsAnError) {
  site_.WriteFile("static/_headers", "/*\n  X-Frame-Options: DENY\n");
  BuildReport report;
  Status s = site_.TryBuild(false, &report);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.ToString().find("static/_headers"), std::string::npos) << s.ToString();
  EXPECT_NE(s.ToString().find("[edge] headers_file"), std::string::npos) << s.ToString();
}

}  // namespace
}  // namespace kiln::testing
