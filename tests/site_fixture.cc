#include "site_fixture.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <fstream>
#include <sstream>

#include "engine/reference_build.h"
#include "util/fs.h"
#include "util/time_format.h"

namespace kiln::testing {
namespace {

std::filesystem::path MakeTempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "kiln-test-XXXXXX").string();
  char* made = ::mkdtemp(pattern.data());
  EXPECT_NE(made, nullptr);
  return made;
}

int64_t Seconds(const char* iso) {
  int64_t s = 0;
  ParseIsoDate(iso, &s);
  return s;
}

std::map<std::string, std::string> ReadTree(const std::filesystem::path& dir) {
  std::vector<std::string> files;
  EXPECT_TRUE(ListFilesRecursive(dir, &files).ok());
  std::map<std::string, std::string> out;
  for (const auto& f : files) EXPECT_TRUE(kiln::ReadFile(dir / f, &out[f]).ok());
  return out;
}

}  // namespace

TempSite::TempSite(int posts_per_page, int feed_size)
    : root_(MakeTempDir()), clock_(Seconds("2026-11-26T12:00:00Z")) {
  const std::filesystem::path source = KILN_SOURCE_DIR;
  std::filesystem::copy(source / "templates", root_ / "templates", std::filesystem::copy_options::recursive);
  std::filesystem::copy(source / "static", root_ / "static", std::filesystem::copy_options::recursive);
  std::filesystem::create_directories(root_ / "content" / "posts");
  WriteConfig(posts_per_page, feed_size);
}

TempSite::~TempSite() {
  std::error_code ec;
  std::filesystem::remove_all(root_, ec);
}

void TempSite::WriteFile(const std::string& rel, const std::string& bytes) {
  std::filesystem::create_directories((root_ / rel).parent_path());
  std::ofstream out(root_ / rel, std::ios::binary | std::ios::trunc);
  out << bytes;
}

std::string TempSite::ReadFile(const std::string& rel) const {
  std::string bytes;
  EXPECT_TRUE(kiln::ReadFile(root_ / rel, &bytes).ok()) << rel;
  return bytes;
}

void TempSite::RemoveFile(const std::string& rel) { std::filesystem::remove(root_ / rel); }

bool TempSite::Exists(const std::string& rel) const { return std::filesystem::exists(root_ / rel); }

void TempSite::WritePost(const std::string& file, const std::string& title, const std::string& date,
                         const std::vector<std::string>& tags, const std::string& body,
                         const std::string& extra_front_matter) {
  std::string text = "---\ntitle: \"" + title + "\"\ndate: " + date + "\n";
  if (!tags.empty()) {
    text += "tags:\n";
    for (const auto& t : tags) text += "  - " + t + "\n";
  }
  text += extra_front_matter + "---\n" + body;
  WriteFile("content/posts/" + file + ".md", text);
}

void TempSite::WriteOddEvenPosts(int n) {
  for (int i = 1; i <= n; ++i) {
    WritePost("p" + std::to_string(i), "Post " + std::to_string(i), "2026-01-0" + std::to_string(i),
              {i % 2 ? "odd" : "even"});
  }
}

void TempSite::AgeInputs() {
  std::vector<std::filesystem::path> files{root_ / "kiln.toml"};
  for (const char* dir : {"content", "templates", "static"}) {
    if (!std::filesystem::exists(root_ / dir)) continue;
    for (const auto& e : std::filesystem::recursive_directory_iterator(root_ / dir)) {
      if (e.is_regular_file()) files.push_back(e.path());
    }
  }
  for (const auto& f : files) {
    std::filesystem::last_write_time(f, std::filesystem::last_write_time(f) - std::chrono::seconds(10));
  }
}

void TempSite::WriteConfig(int posts_per_page, int feed_size, const std::string& title) {
  WriteFile("kiln.toml", "title = \"" + title + "\"\nbase_url = \"https://blog.example/\"\n"
                         "description = \"Tests\"\nauthor = \"Ada\"\n"
                         "posts_per_page = " + std::to_string(posts_per_page) +
                         "\nfeed_size = " + std::to_string(feed_size) + "\n");
}

void TempSite::Sql(const std::string& sql) {
  SQLite::Database db((root_ / "kiln.db").string(), SQLite::OPEN_READWRITE);
  db.setBusyTimeout(5000);
  db.exec(sql);
}

Status TempSite::TryBuild(bool full, BuildReport* report) {
  BuildOptions options;
  options.site_root = root_;
  options.full = full;
  options.explain = true;
  options.clock = &clock_;
  return RunBuild(options, report);
}

BuildReport TempSite::Build(bool full) {
  BuildReport report;
  Status s = TryBuild(full, &report);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return report;
}

std::map<std::string, std::string> TempSite::SiteFiles() const { return ReadTree(root_ / "site"); }

std::map<std::string, std::string> TempSite::FullBuildFromScratch() {
  std::map<std::string, std::string> files;
  EXPECT_EQ(BuildReferenceFromScratch(root_, FormatRfc3339(clock_.NowSeconds()), &files), "");
  return files;
}

std::string DescribeDifferences(const std::map<std::string, std::string>& a,
                                const std::map<std::string, std::string>& b) {
  std::ostringstream out;
  for (const auto& [path, bytes] : a) {
    auto it = b.find(path);
    if (it == b.end()) out << "  only in incremental: " << path << "\n";
    else if (it->second != bytes) out << "  differs: " << path << "\n";
  }
  for (const auto& [path, bytes] : b) {
    if (!a.count(path)) out << "  only in full: " << path << "\n";
  }
  return out.str();
}

}  // namespace kiln::testing
