// render/lazy_fields.h: a field bound to a maker is made only when a
// template reads it, once however often it is read, and records its
// dependency keys like any field.
#include "render/lazy_fields.h"

#include <gtest/gtest.h>

#include <kainjow/mustache.hpp>

#include "render/dep_recorder.h"
#include "render/page_data.h"
#include "render/template_set.h"
#include "unit_test_util.h"

namespace kiln {
namespace {

namespace mstch = kainjow::mustache;

class LazyFieldsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    DataBuilder data;
    data.Set("title", "T").Set("items", LazyFields::Placeholder(), {"comments:a"});
    page_ = data.Build();
    lazy_.Bind(page_.get("items"), [this] {
      ++made_;
      mstch::list items;
      items.push_back(mstch::object{{"name", "x"}});
      items.push_back(mstch::object{{"name", "y"}});
      return DataBuilder::ListData(std::move(items));
    });
  }
  Status Render(const std::string& text, const LazyFields* lazy) {
    unit::WriteFileOrDie(dir_ / "templates/t.mustache", text);
    return set_.Render("t", page_, "/posts/a/", &deps_, &out_, lazy);
  }
  bool Recorded(const std::string& key) const { return deps_.keys().count(key) > 0; }

  unit::TempDir dir_;
  TemplateSet set_{dir_ / "templates"};
  DepRecorder deps_;
  std::string out_;
  MustacheData page_;
  LazyFields lazy_;
  int made_ = 0;
};

TEST_F(LazyFieldsTest, AFieldNoTemplateReadsIsNeverMade) {
  ASSERT_TRUE(Render("{{title}}", &lazy_).ok());
  EXPECT_EQ(out_, "T");
  EXPECT_EQ(made_, 0);
  EXPECT_FALSE(Recorded("comments:a"));
}

TEST_F(LazyFieldsTest, AFieldReadIsMadeOnceAndRecordsItsKeys) {
  ASSERT_TRUE(
      Render("{{#items}}<{{name}}>{{/items}}|{{^items}}none{{/items}}|{{#items}}{{name}}{{/items}}",
             &lazy_)
          .ok());
  EXPECT_EQ(out_, "<x><y>||xy");
  EXPECT_EQ(made_, 1);
  EXPECT_TRUE(Recorded("comments:a"));
}

TEST_F(LazyFieldsTest, ADottedNameWalksIntoTheMadeValue) {
  DataBuilder data;
  data.Set("post", LazyFields::Placeholder(), {"post:a"});
  const MustacheData page = data.Build();
  LazyFields lazy;
  lazy.Bind(page.get("post"), [] { return MustacheData(mstch::object{{"title", "Made"}}); });
  unit::WriteFileOrDie(dir_ / "templates/t.mustache", "[{{post.title}}]");
  ASSERT_TRUE(set_.Render("t", page, "/posts/a/", &deps_, &out_, &lazy).ok());
  EXPECT_EQ(out_, "[Made]");
  EXPECT_TRUE(Recorded("post:a"));
}

// Rendered without its LazyFields, a placeholder is an empty list.
TEST_F(LazyFieldsTest, APlaceholderWithoutItsFieldsRendersAsAnEmptyList) {
  ASSERT_TRUE(Render("{{#items}}<{{name}}>{{/items}}{{^items}}none{{/items}}", nullptr).ok());
  EXPECT_EQ(out_, "none");
  EXPECT_EQ(made_, 0);
}

}  // namespace
}  // namespace kiln
