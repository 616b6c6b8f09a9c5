#include "prod/common/file_watch.h"

#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace vipcast::prod {
namespace {

namespace fs = std::filesystem;

// What counts as a change (inotify(7)): a file written and closed, deleted,
// renamed in or out (editors' and our own atomic replace), or its
// mode/owner changed (a file made readable); an entry created that is not a
// regular file (a subdirectory, a symlink: nothing more will follow for
// it); the directory itself removed or renamed. Not IN_MODIFY: see the
// header. A regular file's IN_CREATE is watched only to be ignored (its
// IN_CLOSE_WRITE follows); a hard link made with link(2), which has no
// close, waits for the safety poll.
constexpr uint32_t kMask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_MOVED_FROM |
                           IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR;

bool Has(uint32_t mask, uint32_t bits) { return (mask & bits) != 0; }

// A regular file just created is still being written by whoever created
// it; it counts at its IN_CLOSE_WRITE. One already gone counts (its
// IN_DELETE follows anyway).
bool IsFileStillBeingWritten(uint32_t mask, const std::string& path) {
  if (!Has(mask, IN_CREATE) || Has(mask, IN_ISDIR)) return false;
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

}  // namespace

std::string_view ToString(WatchTrigger trigger) {
  switch (trigger) {
    case WatchTrigger::kChanged:
      return "changed";
    case WatchTrigger::kOverflow:
      return "overflow";
    case WatchTrigger::kPoll:
      return "poll";
  }
  return "changed";
}

FileWatcher::FileWatcher(boost::asio::io_context& io, FileWatchOptions options, Callback callback)
    : options_(options),
      callback_(std::move(callback)),
      stream_(io),
      debounce_timer_(io),
      poll_timer_(io) {}

FileWatcher::~FileWatcher() { Stop(); }

core::Status<> FileWatcher::Watch(const std::vector<std::string>& paths) {
  SchedulePoll();
  if (!stream_.is_open()) {
    const int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd < 0) return core::MakeErr(std::string("inotify_init1: ") + std::strerror(errno));
    boost::system::error_code ec;
    stream_.assign(fd, ec);
    if (ec) {
      ::close(fd);
      return core::MakeErr("inotify: " + ec.message());
    }
    Read();
  }
  for (const std::string& path : paths) paths_.push_back(path);
  return AddPaths(paths);
}

core::Status<> FileWatcher::AddPaths(const std::vector<std::string>& paths) {
  std::string errors;
  for (const std::string& path : paths) {
    std::error_code ec;
    core::Status<> added = core::Unit{};
    if (fs::is_directory(path, ec)) {
      added = AddDirectory(path, /*recursive=*/true, "");
    } else {
      // A file, or one that does not exist yet (a status file before the
      // controller's first write): watch the directory it will appear in.
      const fs::path file(path);
      const fs::path parent = file.parent_path().empty() ? fs::path(".") : file.parent_path();
      added = AddDirectory(parent.string(), /*recursive=*/false, file.filename().string());
    }
    if (!added) errors += (errors.empty() ? "" : "; ") + added.error();
  }
  if (!errors.empty()) return core::MakeErr(errors);
  return core::Unit{};
}

core::Status<> FileWatcher::AddDirectory(const std::string& path, bool recursive,
                                         const std::string& only_name) {
  const int wd = inotify_add_watch(stream_.native_handle(), path.c_str(), kMask);
  if (wd < 0) return core::MakeErr(path + ": cannot watch: " + std::strerror(errno));
  // The kernel returns the same descriptor for a directory watched twice
  // (a file and its directory both given, or a subdirectory found again).
  auto [it, inserted] = dirs_.try_emplace(wd);
  WatchedDir& dir = it->second;
  if (inserted) {
    dir.path = path;
    dir.all = only_name.empty();
  } else if (only_name.empty()) {
    dir.all = true;
  }
  if (!only_name.empty() &&
      std::find(dir.names.begin(), dir.names.end(), only_name) == dir.names.end()) {
    dir.names.push_back(only_name);
  }
  if (!recursive) return core::Unit{};
  dir.recursive = true;
  // Subdirectories, as ReadManifestPaths reads them. One that cannot be
  // listed is left to the safety poll.
  std::error_code ec;
  for (fs::directory_iterator sub(path, ec), end; !ec && sub != end; sub.increment(ec)) {
    std::error_code type_ec;
    if (sub->is_directory(type_ec) && !sub->is_symlink(type_ec)) {
      (void)AddDirectory(sub->path().string(), /*recursive=*/true, "");
    }
  }
  return core::Unit{};
}

void FileWatcher::Read() {
  stream_.async_read_some(boost::asio::buffer(buffer_),
                          [this](const boost::system::error_code& ec, size_t bytes) {
                            if (ec || stopped_) return;  // the safety poll still runs
                            Handle(bytes);
                            if (!stopped_) Read();
                          });
}

void FileWatcher::Handle(size_t bytes) {
  bool changed = false;
  bool overflow = false;
  size_t offset = 0;
  while (offset + sizeof(inotify_event) <= bytes) {
    inotify_event event;
    std::memcpy(&event, buffer_.data() + offset, sizeof(event));
    const char* name_start = buffer_.data() + offset + sizeof(inotify_event);
    offset += sizeof(inotify_event) + event.len;
    if (offset > bytes) break;
    // The name is NUL-padded to the event's length.
    const std::string name(name_start, strnlen(name_start, event.len));
    if (Has(event.mask, IN_Q_OVERFLOW)) {
      overflow = true;
      continue;
    }
    auto it = dirs_.find(event.wd);
    if (it == dirs_.end()) continue;
    if (Has(event.mask, IN_IGNORED)) {  // the directory is gone; its watch was removed
      dirs_.erase(it);
      changed = true;
      continue;
    }
    const WatchedDir& dir = it->second;
    const bool relevant = dir.all || Has(event.mask, IN_DELETE_SELF | IN_MOVE_SELF) ||
                          std::find(dir.names.begin(), dir.names.end(), name) != dir.names.end();
    if (!relevant) continue;
    if (!name.empty() && IsFileStillBeingWritten(event.mask, dir.path + "/" + name)) continue;
    changed = true;
    if (dir.recursive && Has(event.mask, IN_ISDIR) && Has(event.mask, IN_CREATE | IN_MOVED_TO) &&
        !name.empty()) {
      const std::string sub = dir.path + "/" + name;
      (void)AddDirectory(sub, /*recursive=*/true, "");
    }
  }
  if (overflow) Fire(WatchTrigger::kOverflow);
  if (changed) Fire(WatchTrigger::kChanged);
}

void FileWatcher::Fire(WatchTrigger trigger) {
  if (trigger == WatchTrigger::kOverflow) pending_ = WatchTrigger::kOverflow;
  // Every event pushes the callback back to `quiet` after it, up to
  // `max_delay` after the burst's first event.
  const auto now = std::chrono::steady_clock::now();
  if (!burst_open_) {
    burst_open_ = true;
    burst_start_ = now;
  }
  const auto deadline = std::min(now + options_.quiet, burst_start_ + options_.max_delay);
  // Re-arming cancels the previous wait, but its handler may already be
  // queued with success; the generation tells it that it is stale.
  const uint64_t generation = ++generation_;
  debounce_timer_.expires_at(deadline);
  debounce_timer_.async_wait([this, generation](const boost::system::error_code& ec) {
    if (ec || stopped_ || generation != generation_) return;
    burst_open_ = false;
    const WatchTrigger fired = pending_;
    pending_ = WatchTrigger::kChanged;
    callback_(fired);  // last: the callback may Stop() the watcher
  });
}

void FileWatcher::SchedulePoll() {
  poll_timer_.expires_after(options_.safety_poll);
  poll_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || stopped_) return;
    SchedulePoll();
    // Directories removed and created again (or created after Watch) are
    // watched again; adding a watch that exists is a no-op.
    if (stream_.is_open()) (void)AddPaths(paths_);
    callback_(WatchTrigger::kPoll);
  });
}

void FileWatcher::Stop() {
  stopped_ = true;
  boost::system::error_code ignored;
  debounce_timer_.cancel();
  poll_timer_.cancel();
  if (stream_.is_open()) stream_.close(ignored);  // closing the fd drops every watch
  dirs_.clear();
}

}  // namespace vipcast::prod
