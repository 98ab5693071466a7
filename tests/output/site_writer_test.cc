#include "output/site_writer.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>

#include "unit_test_util.h"
#include "util/fs.h"

namespace kiln {
namespace {

using unit::ReadFileOrEmpty;
using unit::WriteFileOrDie;

class SiteWriterTest : public ::testing::Test {
 protected:
  std::filesystem::path site() const { return dir_ / "site"; }
  std::filesystem::path temp() const { return dir_ / ".kiln/tmp"; }
  std::vector<std::string> Files() {
    std::vector<std::string> files;
    EXPECT_TRUE(ListFilesRecursive(site(), &files).ok());
    return files;
  }

  unit::TempDir dir_;
  SiteWriter writer_{dir_ / "site", dir_ / ".kiln/tmp"};
};

TEST_F(SiteWriterTest, WriteCreatesFoldersAndFile) {
  bool changed = false;
  ASSERT_TRUE(writer_.Write("posts/a/index.html", "<p>a</p>", &changed).ok());
  EXPECT_TRUE(changed);
  EXPECT_EQ(ReadFileOrEmpty(site() / "posts/a/index.html"), "<p>a</p>");
}

TEST_F(SiteWriterTest, NoTempFileRemainsButTheRetiredOldFile) {
  // Written via a temp file exchanged with the target (SPEC.md invariant
  // 3): the old file is retired in the temp folder, for the caller to delete.
  bool changed;
  ASSERT_TRUE(writer_.Write("a/index.html", "x", &changed).ok());
  EXPECT_EQ(writer_.TakeRetired(), std::vector<std::filesystem::path>{});  // nothing was replaced
  ASSERT_TRUE(writer_.Write("a/index.html", "y", &changed).ok());
  EXPECT_EQ(Files(), std::vector<std::string>{"a/index.html"});
  EXPECT_EQ(ReadFileOrEmpty(site() / "a/index.html"), "y");
  const std::vector<std::filesystem::path> retired = writer_.TakeRetired();
  ASSERT_EQ(retired.size(), 1u);
  EXPECT_EQ(retired[0].parent_path(), temp());
  EXPECT_EQ(ReadFileOrEmpty(retired[0]), "x");
  EXPECT_EQ(writer_.TakeRetired(), std::vector<std::filesystem::path>{});  // handed over once
  std::filesystem::remove(retired[0]);
  EXPECT_TRUE(std::filesystem::is_empty(temp()));
}

TEST_F(SiteWriterTest, RemoveRetiresTheFileOutOfSite) {
  bool changed, removed;
  ASSERT_TRUE(writer_.Write("posts/a/index.html", "old page", &changed).ok());
  ASSERT_TRUE(writer_.Remove("posts/a/index.html", &removed).ok());
  EXPECT_TRUE(removed);
  EXPECT_EQ(Files(), std::vector<std::string>{});
  EXPECT_FALSE(std::filesystem::exists(site() / "posts"));  // emptied folders pruned
  const std::vector<std::filesystem::path> retired = writer_.TakeRetired();
  ASSERT_EQ(retired.size(), 1u);
  EXPECT_EQ(ReadFileOrEmpty(retired[0]), "old page");
  ASSERT_TRUE(writer_.Remove("posts/a/index.html", &removed).ok());
  EXPECT_FALSE(removed);
}

// Only a regular file is exchanged: a folder where a page is to go is
// refused, as rename refuses it, and stays in site/.
TEST_F(SiteWriterTest, AFolderInTheTargetsPlaceIsNotExchanged) {
  std::filesystem::create_directories(site() / "about/index.html");
  WriteFileOrDie(site() / "about/index.html/keep.txt", "mine");
  bool changed;
  EXPECT_FALSE(writer_.Write("about/index.html", "page", &changed).ok());
  EXPECT_EQ(ReadFileOrEmpty(site() / "about/index.html/keep.txt"), "mine");
  EXPECT_EQ(writer_.TakeRetired(), std::vector<std::filesystem::path>{});
}

// Two writers (two processes' builds) never pick the same temporary name:
// a retired file the server has yet to delete is not taken by a build.
TEST_F(SiteWriterTest, RetiredNamesAreUniquePerWrite) {
  SiteWriter other(site(), temp());
  bool changed;
  for (const char* bytes : {"1", "2", "3"}) {
    ASSERT_TRUE(writer_.Write("a.html", bytes, &changed).ok());
    ASSERT_TRUE(other.Write("b.html", bytes, &changed).ok());
  }
  std::vector<std::filesystem::path> retired = writer_.TakeRetired();
  for (auto& p : other.TakeRetired()) retired.push_back(p);
  ASSERT_EQ(retired.size(), 4u);
  std::sort(retired.begin(), retired.end());
  EXPECT_EQ(std::unique(retired.begin(), retired.end()), retired.end());
}

// The server's builds follow one another, each with a writer of its own,
// while the janitor deletes the last build's retired files: the next
// build's temporary file for the same page must not take such a name.
TEST_F(SiteWriterTest, RetiredNamesAreUniqueAcrossWritersOfOneProcess) {
  bool changed;
  std::vector<std::filesystem::path> retired;
  for (const char* bytes : {"1", "2", "3", "4"}) {
    SiteWriter build(site(), temp());  // one build's writer
    ASSERT_TRUE(build.Write("index.html", bytes, &changed).ok());
    ASSERT_TRUE(changed);
    for (auto& p : build.TakeRetired()) retired.push_back(p);
  }
  ASSERT_EQ(retired.size(), 3u);  // the first write had nothing to retire
  std::sort(retired.begin(), retired.end());
  EXPECT_EQ(std::unique(retired.begin(), retired.end()), retired.end());
  // A retired file deleted late cannot take the next build's new file.
  for (const auto& p : retired) std::filesystem::remove(p);
  SiteWriter next(site(), temp());
  ASSERT_TRUE(next.Write("index.html", "5", &changed).ok());
  EXPECT_TRUE(changed);
}

TEST_F(SiteWriterTest, TempFilesLiveOutsideSite) {
  // A build killed while writing a page that replaces another leaves
  // nothing partial in site/: the temp file is written in the temp folder,
  // then exchanged with the old page.
  bool changed;
  ASSERT_TRUE(writer_.Write("posts/a/index.html", "old page", &changed).ok());
  setenv("KILN_TEST_CRASH_AFTER_WRITES", "1.5", 1);
  EXPECT_EXIT(
      {
        SiteWriter writer(site(), temp());
        bool ignored;
        (void)writer.Write("other/index.html", "x", &ignored);  // write 1
        (void)writer.Write("posts/a/index.html", std::string(10000, 'x'), &ignored);
      },
      ::testing::KilledBySignal(SIGKILL), "");
  unsetenv("KILN_TEST_CRASH_AFTER_WRITES");
  EXPECT_EQ(ReadFileOrEmpty(site() / "posts/a/index.html"), "old page");
  EXPECT_EQ(Files(), (std::vector<std::string>{"other/index.html", "posts/a/index.html"}));
  int count = -1;
  ASSERT_TRUE(writer_.RemoveTempFiles(&count).ok());
  EXPECT_EQ(count, 1);
  EXPECT_TRUE(std::filesystem::is_empty(temp()));
}

// Whether the folder's filesystem takes unnamed files (O_TMPFILE): NFS and
// older overlayfs do not, and the writer then uses the temp folder.
bool TakesUnnamedFiles(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  const int fd = ::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
  if (fd < 0) return false;
  ::close(fd);
  return true;
}

// A page that does not exist yet is written as an unnamed file in its own
// folder and named once whole: a build killed mid-write leaves nothing at
// all, in site/ or in the temp folder, and the temp folder is not used.
TEST_F(SiteWriterTest, ANewPageKilledMidWriteLeavesNothingAnywhere) {
  if (!TakesUnnamedFiles(site())) GTEST_SKIP() << "no O_TMPFILE on this filesystem";
  setenv("KILN_TEST_CRASH_AFTER_WRITES", "0.5", 1);
  EXPECT_EXIT(
      {
        SiteWriter writer(site(), temp());
        bool changed;
        (void)writer.Write("posts/a/index.html", std::string(10000, 'x'), &changed);
      },
      ::testing::KilledBySignal(SIGKILL), "");
  unsetenv("KILN_TEST_CRASH_AFTER_WRITES");
  EXPECT_FALSE(std::filesystem::exists(site() / "posts/a/index.html"));
  EXPECT_EQ(Files(), std::vector<std::string>{});
  int count = -1;
  ASSERT_TRUE(writer_.RemoveTempFiles(&count).ok());
  EXPECT_EQ(count, 0);
}

TEST_F(SiteWriterTest, ANewPageIsNamedOnlyOnceWholeAndNeedsNoTempFolder) {
  if (!TakesUnnamedFiles(site())) GTEST_SKIP() << "no O_TMPFILE on this filesystem";
  bool changed;
  const std::string page(200000, 'p');
  ASSERT_TRUE(writer_.Write("posts/a/index.html", page, &changed).ok());
  EXPECT_TRUE(changed);
  EXPECT_EQ(ReadFileOrEmpty(site() / "posts/a/index.html"), page);
  EXPECT_FALSE(std::filesystem::exists(temp())) << "a new page went through the temp folder";
  struct stat st;
  ASSERT_EQ(::lstat((site() / "posts/a/index.html").c_str(), &st), 0);
  EXPECT_TRUE(S_ISREG(st.st_mode));
  const mode_t mask = ::umask(0);
  ::umask(mask);
  EXPECT_EQ(st.st_mode & 0777, 0644 & ~mask);
  EXPECT_EQ(st.st_nlink, 1u);
  // Written again with other bytes, it is replaced through the temp folder.
  ASSERT_TRUE(writer_.Write("posts/a/index.html", "new", &changed).ok());
  EXPECT_EQ(ReadFileOrEmpty(site() / "posts/a/index.html"), "new");
  EXPECT_EQ(writer_.TakeRetired().size(), 1u);
}

// Where there are no unnamed files, a new page goes through the temp folder
// as a replacing one does, and a kill mid-write still leaves site/ clean.
TEST_F(SiteWriterTest, WithoutUnnamedFilesANewPageGoesThroughTheTempFolder) {
  setenv("KILN_TEST_NO_UNNAMED_FILES", "1", 1);
  setenv("KILN_TEST_CRASH_AFTER_WRITES", "1.5", 1);
  EXPECT_EXIT(
      {
        SiteWriter writer(site(), temp());
        bool changed;
        if (!writer.Write("a/index.html", "first", &changed).ok()) std::exit(3);
        if (!std::filesystem::is_directory(temp())) std::exit(4);  // it went through it
        (void)writer.Write("b/index.html", std::string(10000, 'x'), &changed);  // killed mid-write
      },
      ::testing::KilledBySignal(SIGKILL), "");
  unsetenv("KILN_TEST_CRASH_AFTER_WRITES");
  unsetenv("KILN_TEST_NO_UNNAMED_FILES");
  EXPECT_EQ(Files(), std::vector<std::string>{"a/index.html"});
  EXPECT_EQ(ReadFileOrEmpty(site() / "a/index.html"), "first");
  int count = -1;
  ASSERT_TRUE(writer_.RemoveTempFiles(&count).ok());
  EXPECT_EQ(count, 1);  // the half-written temporary file of b
}

TEST_F(SiteWriterTest, TempFolderOnAnotherFilesystemFallsBackBesideTarget) {
  // rename() across filesystems fails with EXDEV; the writer then writes the
  // temp file beside the target and still leaves no temp file behind.
  if (!std::filesystem::is_directory("/dev/shm")) GTEST_SKIP() << "no /dev/shm";
  std::string pattern = "/dev/shm/kiln-unit-XXXXXX";
  ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
  SiteWriter writer(site(), pattern);
  bool changed;
  Status s = writer.Write("posts/a/index.html", "x", &changed);
  EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_TRUE(changed);
  EXPECT_EQ(Files(), std::vector<std::string>{"posts/a/index.html"});
  std::filesystem::remove_all(pattern);
}

TEST_F(SiteWriterTest, OverwriteReplacesTheInode) {
  // A rename swaps in a new file; a reader holding the old one keeps it whole.
  bool changed;
  ASSERT_TRUE(writer_.Write("index.html", "old", &changed).ok());
  FileStat before, after;
  ASSERT_TRUE(StatFile(site() / "index.html", &before).ok());
  ASSERT_TRUE(writer_.Write("index.html", "new", &changed).ok());
  ASSERT_TRUE(StatFile(site() / "index.html", &after).ok());
  EXPECT_TRUE(changed);
  EXPECT_NE(before.inode, after.inode);
  EXPECT_EQ(ReadFileOrEmpty(site() / "index.html"), "new");
}

TEST_F(SiteWriterTest, EqualBytesLeaveTheFileAlone) {
  // Write-if-changed: mtime (and so ETag/Last-Modified) stays put.
  bool changed;
  ASSERT_TRUE(writer_.Write("index.html", "same", &changed).ok());
  unit::AgeFile(site() / "index.html", 100);
  FileStat before, after;
  ASSERT_TRUE(StatFile(site() / "index.html", &before).ok());
  ASSERT_TRUE(writer_.Write("index.html", "same", &changed).ok());
  ASSERT_TRUE(StatFile(site() / "index.html", &after).ok());
  EXPECT_FALSE(changed);
  EXPECT_EQ(before, after);
}

TEST_F(SiteWriterTest, SameSizeDifferentBytesIsWritten) {
  bool changed;
  ASSERT_TRUE(writer_.Write("index.html", "aaaa", &changed).ok());
  ASSERT_TRUE(writer_.Write("index.html", "bbbb", &changed).ok());
  EXPECT_TRUE(changed);
  EXPECT_EQ(ReadFileOrEmpty(site() / "index.html"), "bbbb");
}

TEST_F(SiteWriterTest, EmptyFileIsWritten) {
  bool changed;
  ASSERT_TRUE(writer_.Write("empty.txt", "", &changed).ok());
  EXPECT_TRUE(changed);
  EXPECT_TRUE(std::filesystem::exists(site() / "empty.txt"));
  ASSERT_TRUE(writer_.Write("empty.txt", "", &changed).ok());
  EXPECT_FALSE(changed);
}

TEST_F(SiteWriterTest, BinaryBytesRoundTrip) {
  const std::string bytes("\0\x01\xff\n\r\0", 6);
  bool changed;
  ASSERT_TRUE(writer_.Write("favicon.ico", bytes, &changed).ok());
  EXPECT_EQ(ReadFileOrEmpty(site() / "favicon.ico"), bytes);
}

TEST_F(SiteWriterTest, WriteOverAFolderIsAnErrorAndCleansUp) {
  std::filesystem::create_directories(site() / "posts/a/index.html");
  bool changed = true;
  Status s = writer_.Write("posts/a/index.html", "x", &changed);
  EXPECT_EQ(s.code(), Status::Code::kIo);
  EXPECT_FALSE(changed);
  EXPECT_TRUE(!std::filesystem::exists(temp()) || std::filesystem::is_empty(temp()));
}

TEST_F(SiteWriterTest, RemovePrunesEmptyFolders) {
  bool changed, removed = false;
  ASSERT_TRUE(writer_.Write("posts/old/index.html", "x", &changed).ok());
  ASSERT_TRUE(writer_.Write("posts/kept/index.html", "y", &changed).ok());
  ASSERT_TRUE(writer_.Remove("posts/old/index.html", &removed).ok());
  EXPECT_TRUE(removed);
  EXPECT_FALSE(std::filesystem::exists(site() / "posts/old"));
  EXPECT_TRUE(std::filesystem::exists(site() / "posts/kept/index.html"));
}

TEST_F(SiteWriterTest, RemoveNeverDeletesSiteItself) {
  bool changed, removed;
  ASSERT_TRUE(writer_.Write("a/b/c/index.html", "x", &changed).ok());
  ASSERT_TRUE(writer_.Remove("a/b/c/index.html", &removed).ok());
  EXPECT_FALSE(std::filesystem::exists(site() / "a"));
  EXPECT_TRUE(std::filesystem::is_directory(site()));
}

TEST_F(SiteWriterTest, RemoveTopLevelFileKeepsEmptySite) {
  bool changed, removed;
  ASSERT_TRUE(writer_.Write("feed.xml", "x", &changed).ok());
  ASSERT_TRUE(writer_.Remove("feed.xml", &removed).ok());
  EXPECT_TRUE(removed);
  EXPECT_TRUE(std::filesystem::is_directory(site()));
}

TEST_F(SiteWriterTest, RemoveWithTrailingSlashSiteDirKeepsSite) {
  SiteWriter writer(dir_.path().string() + "/site/", dir_.path().string() + "/tmp/");
  bool changed, removed;
  ASSERT_TRUE(writer.Write("a/index.html", "x", &changed).ok());
  ASSERT_TRUE(writer.Remove("a/index.html", &removed).ok());
  EXPECT_TRUE(removed);
  EXPECT_TRUE(std::filesystem::is_directory(site()));
  EXPECT_FALSE(std::filesystem::exists(site() / "a"));
}

TEST_F(SiteWriterTest, RemoveMissingFileIsNotAnError) {
  bool removed = true;
  ASSERT_TRUE(writer_.Remove("gone/index.html", &removed).ok());
  EXPECT_FALSE(removed);
}

TEST_F(SiteWriterTest, RemoveKeepsFoldersThatStillHoldFiles) {
  bool changed, removed;
  ASSERT_TRUE(writer_.Write("tags/a/index.html", "x", &changed).ok());
  WriteFileOrDie(site() / "tags/a/extra.txt", "user file");
  ASSERT_TRUE(writer_.Remove("tags/a/index.html", &removed).ok());
  EXPECT_TRUE(std::filesystem::exists(site() / "tags/a/extra.txt"));
}

TEST_F(SiteWriterTest, RemoveTempFilesEmptiesTheTempFolderOnly) {
  // What a killed build leaves behind: files in the temp folder.
  WriteFileOrDie(temp() / "posts%a%index.html.kiln-tmp", "partial");
  WriteFileOrDie(temp() / "feed.xml.kiln-tmp", "partial");
  WriteFileOrDie(site() / "posts/a/index.html", "whole");
  WriteFileOrDie(site() / "notes.kiln-tmp", "a user's file in site/ is not ours to judge");
  int count = -1;
  ASSERT_TRUE(writer_.RemoveTempFiles(&count).ok());
  EXPECT_EQ(count, 2);
  EXPECT_TRUE(std::filesystem::is_empty(temp()));
  EXPECT_EQ(Files(), (std::vector<std::string>{"notes.kiln-tmp", "posts/a/index.html"}));
}

TEST_F(SiteWriterTest, RemoveTempFilesWithoutSiteFolder) {
  int count = -1;
  ASSERT_TRUE(writer_.RemoveTempFiles(&count).ok());
  EXPECT_EQ(count, 0);
}

}  // namespace
}  // namespace kiln
