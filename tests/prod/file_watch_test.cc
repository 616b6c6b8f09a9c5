// FileWatcher: inotify on the watched directories, debounced into one
// callback per burst (a quiet period, bounded by max_delay), filtered to the
// watched files, never firing for a file still being written, plus the
// safety poll.
// Waits are bounded loops of io_context::run_for steps; nothing asserts on
// how long anything took.
#include "prod/common/file_watch.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string_view>
#include <vector>

namespace vipcast::prod {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

constexpr milliseconds kStep{10};
constexpr int kMaxSteps = 500;   // 5 s: generous for a loaded machine
constexpr int kQuietSteps = 30;  // how long "nothing happens" is watched for

class FileWatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("vipcast-file-watch-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_ / "watched");
    fs::create_directories(dir_ / "other");
  }
  void TearDown() override {
    watcher_.reset();
    fs::remove_all(dir_);
  }

  void Start(std::vector<std::string> paths,
             FileWatchOptions options = {milliseconds(20), std::chrono::hours(1),
                                         std::chrono::hours(1)}) {
    watcher_ = std::make_unique<FileWatcher>(io_, options,
                                             [this](WatchTrigger t) { triggers_.push_back(t); });
    auto ok = watcher_->Watch(paths);
    ASSERT_TRUE(ok) << ok.error();
  }
  void Write(const fs::path& path, const std::string& text) {
    std::ofstream(path, std::ios::trunc) << text;
  }
  // Runs the loop until `n` callbacks arrived or the step limit is reached.
  bool RunUntilCallbacks(size_t n) {
    for (int i = 0; i < kMaxSteps && triggers_.size() < n; ++i) Step();
    return triggers_.size() >= n;
  }
  void RunQuietly() {
    for (int i = 0; i < kQuietSteps; ++i) Step();
  }
  void Step() {
    if (io_.stopped()) io_.restart();
    io_.run_for(kStep);
  }

  fs::path dir_;
  boost::asio::io_context io_;
  std::unique_ptr<FileWatcher> watcher_;
  std::vector<WatchTrigger> triggers_;
};

TEST_F(FileWatchTest, WriteInWatchedDirectoryFires) {
  Start({(dir_ / "watched").string()});
  Write(dir_ / "watched" / "pool.yaml", "a: 1\n");
  ASSERT_TRUE(RunUntilCallbacks(1));
  EXPECT_EQ(triggers_[0], WatchTrigger::kChanged);
}

TEST_F(FileWatchTest, UnrelatedDirectoryDoesNotFire) {
  Start({(dir_ / "watched").string()});
  Write(dir_ / "other" / "pool.yaml", "a: 1\n");
  fs::remove(dir_ / "other" / "pool.yaml");
  RunQuietly();
  EXPECT_TRUE(triggers_.empty());
}

TEST_F(FileWatchTest, RenameOverWatchedFileFires) {
  const fs::path status = dir_ / "watched" / "status.yaml";
  Write(status, "old\n");
  Start({status.string()});
  // What an editor or the controller does: write elsewhere, rename over.
  Write(dir_ / "watched" / "status.yaml.tmp.1", "new\n");
  ASSERT_EQ(std::rename((dir_ / "watched" / "status.yaml.tmp.1").c_str(), status.c_str()), 0);
  ASSERT_TRUE(RunUntilCallbacks(1));
  EXPECT_EQ(triggers_[0], WatchTrigger::kChanged);
}

TEST_F(FileWatchTest, SiblingOfWatchedFileDoesNotFire) {
  const fs::path status = dir_ / "watched" / "status.yaml";
  Start({status.string()});  // need not exist yet
  Write(dir_ / "watched" / "notes.txt", "x\n");
  RunQuietly();
  EXPECT_TRUE(triggers_.empty());
  Write(status, "created\n");
  ASSERT_TRUE(RunUntilCallbacks(1));
}

TEST_F(FileWatchTest, DeleteFires) {
  Write(dir_ / "watched" / "svc.yaml", "a: 1\n");
  Start({(dir_ / "watched").string()});
  fs::remove(dir_ / "watched" / "svc.yaml");
  ASSERT_TRUE(RunUntilCallbacks(1));
}

TEST_F(FileWatchTest, CreateInNewSubdirectoryFires) {
  Start({(dir_ / "watched").string()});
  fs::create_directories(dir_ / "watched" / "team-a");
  ASSERT_TRUE(RunUntilCallbacks(1));  // the directory's creation
  // The new subdirectory is watched from now on.
  Write(dir_ / "watched" / "team-a" / "svc.yaml", "a: 1\n");
  ASSERT_TRUE(RunUntilCallbacks(2));
}

TEST_F(FileWatchTest, BurstIsCoalescedIntoOneCallback) {
  Start({(dir_ / "watched").string()});
  // All queued in the kernel before the loop reads any of them.
  for (int i = 0; i < 10; ++i) {
    Write(dir_ / "watched" / ("f" + std::to_string(i) + ".yaml"), "a: 1\n");
  }
  ASSERT_TRUE(RunUntilCallbacks(1));
  RunQuietly();
  EXPECT_EQ(triggers_.size(), 1u);
}

// Half of a manifest, as `cat > file` or an editor saving in place leaves
// it between write(2) calls: it parses, and would withdraw the VIPs of the
// Services not yet written.
constexpr std::string_view kFirstHalf = "apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n";
constexpr std::string_view kSecondHalf =
    "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: b\n";

// Writes `text` to the open descriptor; false on a short write.
bool WriteAll(int fd, std::string_view text) {
  return ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
}

TEST_F(FileWatchTest, NewFileHalfWrittenAndOpenDoesNotFireUntilClosed) {
  Start({(dir_ / "watched").string()});
  const fs::path file = dir_ / "watched" / "services.yaml";
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_TRUE(WriteAll(fd, kFirstHalf));
  RunQuietly();  // the writer holds the file open: no reload of half a file
  EXPECT_TRUE(triggers_.empty());
  ASSERT_TRUE(WriteAll(fd, kSecondHalf));
  ASSERT_EQ(::close(fd), 0);
  ASSERT_TRUE(RunUntilCallbacks(1));
  RunQuietly();
  EXPECT_EQ(triggers_.size(), 1u);
  EXPECT_EQ(triggers_[0], WatchTrigger::kChanged);
}

TEST_F(FileWatchTest, FileRewrittenInPlaceFiresOnceAtClose) {
  const fs::path file = dir_ / "watched" / "services.yaml";
  Write(file, std::string(kFirstHalf) + std::string(kSecondHalf));
  Start({(dir_ / "watched").string()});
  // Truncate and rewrite the same inode, as `cat > file` does.
  const int fd = ::open(file.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  ASSERT_TRUE(WriteAll(fd, kFirstHalf));
  RunQuietly();
  EXPECT_TRUE(triggers_.empty());
  ASSERT_TRUE(WriteAll(fd, kSecondHalf));
  ASSERT_EQ(::close(fd), 0);
  ASSERT_TRUE(RunUntilCallbacks(1));
  RunQuietly();
  EXPECT_EQ(triggers_.size(), 1u);
}

TEST_F(FileWatchTest, MaxDelayBoundsTheQuietPeriod) {
  // A quiet period that never ends on its own: the burst still fires,
  // max_delay after its first event.
  Start({(dir_ / "watched").string()},
        {std::chrono::hours(1), std::chrono::hours(1), milliseconds(20)});
  Write(dir_ / "watched" / "pool.yaml", "a: 1\n");
  ASSERT_TRUE(RunUntilCallbacks(1));
  EXPECT_EQ(triggers_[0], WatchTrigger::kChanged);
}

TEST_F(FileWatchTest, SymlinkCreatedFires) {
  Write(dir_ / "other" / "pool.yaml", "a: 1\n");
  Start({(dir_ / "watched").string()});
  // No close follows a symlink's creation: its IN_CREATE counts.
  fs::create_symlink(dir_ / "other" / "pool.yaml", dir_ / "watched" / "pool.yaml");
  ASSERT_TRUE(RunUntilCallbacks(1));
}

TEST_F(FileWatchTest, SafetyPollFiresWithoutEvents) {
  Start({(dir_ / "watched").string()}, {milliseconds(20), milliseconds(30), std::chrono::hours(1)});
  ASSERT_TRUE(RunUntilCallbacks(2));
  EXPECT_EQ(triggers_[0], WatchTrigger::kPoll);
  EXPECT_EQ(triggers_[1], WatchTrigger::kPoll);
}

TEST_F(FileWatchTest, DirectoryRecreatedIsWatchedAgainAfterThePoll) {
  Start({(dir_ / "watched").string()}, {milliseconds(20), milliseconds(50), std::chrono::hours(1)});
  auto changes = [this] {
    return std::count(triggers_.begin(), triggers_.end(), WatchTrigger::kChanged);
  };
  auto polls = [this] {
    return std::count(triggers_.begin(), triggers_.end(), WatchTrigger::kPoll);
  };
  fs::remove_all(dir_ / "watched");
  for (int i = 0; i < kMaxSteps && changes() == 0; ++i) Step();
  ASSERT_EQ(changes(), 1);
  fs::create_directories(dir_ / "watched");
  const auto polls_before = polls();
  for (int i = 0; i < kMaxSteps && polls() == polls_before; ++i) Step();
  ASSERT_GT(polls(), polls_before);  // the poll re-added the watch
  Write(dir_ / "watched" / "pool.yaml", "a: 1\n");
  for (int i = 0; i < kMaxSteps && changes() == 1; ++i) Step();
  EXPECT_EQ(changes(), 2);
}

TEST_F(FileWatchTest, MissingDirectoryIsAnErrorNamingIt) {
  FileWatcher watcher(io_, {}, [](WatchTrigger) {});
  auto ok = watcher.Watch({(dir_ / "absent" / "status.yaml").string()});
  ASSERT_FALSE(ok);
  EXPECT_NE(ok.error().find("absent"), std::string::npos) << ok.error();
}

TEST_F(FileWatchTest, NoCallbackAfterStop) {
  Start({(dir_ / "watched").string()});
  Write(dir_ / "watched" / "pool.yaml", "a: 1\n");
  watcher_->Stop();
  RunQuietly();
  EXPECT_TRUE(triggers_.empty());
}

}  // namespace
}  // namespace vipcast::prod
