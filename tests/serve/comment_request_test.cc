#include "serve/comment_request.h"

#include <gtest/gtest.h>

namespace kiln {
namespace {

const std::vector<std::string> kPublished = {"first", "second"};

CommentRejection Validate(const CommentFields& fields, const CommentsConfig& config = {}) {
  NewComment out;
  CommentRejection rejection;
  EXPECT_FALSE(ValidateComment(fields, config, kPublished, &out, &rejection));
  return rejection;
}

TEST(CommentRequestTest, ParsesFormWithPlusAndEscapes) {
  CommentFields f;
  CommentRejection r;
  ASSERT_TRUE(ParseCommentRequest("application/x-www-form-urlencoded; charset=UTF-8",
                                   "post=first&author=Ada+L&body=a%26b%0Ac&extra=1", &f, &r));
  EXPECT_TRUE(f.from_form);
  EXPECT_EQ(f.author, "Ada L");
  EXPECT_EQ(f.body, "a&b\nc");
}

TEST(CommentRequestTest, ParsesJsonAndChecksTypes) {
  CommentFields f;
  CommentRejection r;
  ASSERT_TRUE(ParseCommentRequest("application/json", R"({"post":"first","email":null})", &f, &r));
  EXPECT_FALSE(f.from_form);
  EXPECT_FALSE(ParseCommentRequest("application/json", R"({"body":["x"]})", &f, &r));
  EXPECT_EQ(r.status, 422);
  EXPECT_FALSE(ParseCommentRequest("application/json", "nope", &f, &r));
  EXPECT_EQ(r.status, 400);
  EXPECT_FALSE(ParseCommentRequest("multipart/form-data", "", &f, &r));
  EXPECT_EQ(r.status, 400);
}

TEST(CommentRequestTest, ValidCommentIsTrimmedAndFollowsModeration) {
  CommentFields f{"first", "  Ada ", " hi \n", "ada@example.com", "", true};
  NewComment out;
  CommentRejection r;
  ASSERT_TRUE(ValidateComment(f, {}, kPublished, &out, &r));
  EXPECT_EQ(out.author, "Ada");
  EXPECT_EQ(out.body, "hi");
  EXPECT_EQ(out.status, "published");
  CommentsConfig manual;
  manual.moderation = "manual";
  ASSERT_TRUE(ValidateComment(f, manual, kPublished, &out, &r));
  EXPECT_EQ(out.status, "pending");
}

TEST(CommentRequestTest, MaxLengthCountsCharactersNotBytes) {
  CommentsConfig config;
  config.max_length = 3;
  NewComment out;
  CommentRejection r;
  EXPECT_TRUE(ValidateComment({"first", "A", "\xc3\xa9\xc3\xa9\xc3\xa9", "", "", false}, config,
                              kPublished, &out, &r));  // "ééé": 3 characters, 6 bytes
  EXPECT_EQ(Validate({"first", "A", "abcd", "", "", false}, config).status, 422);
}

TEST(CommentRequestTest, EachRejection) {
  EXPECT_EQ(Validate({"", "A", "b", "", "", false}).status, 422);
  EXPECT_EQ(Validate({"third", "A", "b", "", "", false}).status, 404);
  EXPECT_EQ(Validate({"first", "", "b", "", "", false}).status, 422);
  EXPECT_EQ(Validate({"first", std::string(101, 'a'), "b", "", "", false}).status, 422);
  EXPECT_EQ(Validate({"first", "A\nB", "b", "", "", false}).status, 422);
  EXPECT_EQ(Validate({"first", "A", "b", "not-an-email", "", false}).status, 422);
  EXPECT_EQ(Validate({"first", "A", "\xff", "", "", false}).status, 422);
  EXPECT_EQ(Validate({"first", "A", "\xed\xa0\x80", "", "", false}).status, 422);  // surrogate
  EXPECT_EQ(Validate({"first", "A", "\xc0\xaf", "", "", false}).status, 422);      // overlong
  CommentRejection trap = Validate({"first", "A", "b", "", "http://x", false});
  EXPECT_EQ(trap.status, 422);
  EXPECT_NE(trap.message.find("website"), std::string::npos);
}

}  // namespace
}  // namespace kiln
