// {{name}} escaping (render/template_escape.h) gives kainjow's html_escape
// byte for byte, so no page changes with it.
#include "render/template_escape.h"

#include <gtest/gtest.h>

#include <kainjow/mustache.hpp>
#include <random>
#include <string>

namespace kiln {
namespace {

TEST(TemplateEscape, EscapesTheFiveAsKainjowDoes) {
  EXPECT_EQ(EscapeTemplateValue("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;");
  EXPECT_EQ(EscapeTemplateValue(""), "");
  EXPECT_EQ(EscapeTemplateValue("plain text, é and 東京"), "plain text, é and 東京");
  EXPECT_EQ(EscapeTemplateValue("&"), "&amp;");
  EXPECT_EQ(EscapeTemplateValue("a&&b"), "a&amp;&amp;b");
  EXPECT_EQ(EscapeTemplateValue(std::string("nul\0<", 5)), std::string("nul\0&lt;", 8));
}

TEST(TemplateEscape, EqualsKainjowsEscapeOnRandomBytes) {
  std::mt19937 random(12345);
  const std::string alphabet =
      std::string("&<>\"'ab \n\t") + "\xc3\xa9" + std::string(1, '\0') + "\xff";
  for (int round = 0; round < 2000; ++round) {
    std::string value(random() % 40, ' ');
    for (char& c : value) {
      c = random() % 4 == 0 ? static_cast<char>(random() % 256)
                            : alphabet[random() % alphabet.size()];
    }
    ASSERT_EQ(EscapeTemplateValue(value), kainjow::mustache::html_escape(value))
        << "round " << round;
  }
}

TEST(TemplateEscape, KainjowCallsItForEscapedValuesOnly) {
  kainjow::mustache::mustache tmpl("{{v}}|{{{v}}}");
  tmpl.set_custom_escape(&EscapeTemplateValue);
  kainjow::mustache::data data;
  data.set("v", "<'&'>");
  EXPECT_EQ(tmpl.render(data), "&lt;&apos;&amp;&apos;&gt;|<'&'>");
}

}  // namespace
}  // namespace kiln
