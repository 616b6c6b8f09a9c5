// Watches manifest and status paths with inotify(7) on a Boost.Asio
// io_context, so file-mode binaries react to edits within milliseconds
// instead of polling.
//
// Directories are watched, never files: editors save by writing a new file
// and renaming it over the old one, and the controller replaces its status
// file the same way (rename(2)); a watch on the old inode would see neither.
// A watched directory is watched recursively (manifest directories are read
// recursively); for a file, its parent directory is watched and only events
// naming that file count.
//
// A file counts once it is complete: written and closed (IN_CLOSE_WRITE),
// renamed into place (IN_MOVED_TO) or deleted, never while it is being
// written. A manifest saved in place (`cat > file`, editors that truncate
// and rewrite) fires IN_MODIFY while half written, and a half file can
// still parse (the first 3 of 5 Services) and withdraw VIPs; so IN_MODIFY
// is not watched, and a regular file's IN_CREATE waits for its close. The
// safety poll below knows nothing of writers: a file held open half
// written across a poll tick is read as it is then.
//
// Invariants: every burst of events is coalesced into one callback, `quiet`
// after the last event of the burst (a writer's close and the next file's
// create are one burst), but at most `max_delay` after its first event, so
// a steady trickle of events cannot hold a reload off forever; a kernel
// queue overflow (IN_Q_OVERFLOW), after which events are lost, also fires
// the callback; and the callback fires every `safety_poll` regardless, so a
// change missed for any reason (overflow, a directory created after Watch)
// is picked up late rather than never; each poll also re-adds the watches
// of watched paths that were removed and created again. The callback is
// only a hint: the consumer re-reads its inputs and compares.
#pragma once

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/result.h"

namespace vipcast::prod {

enum class WatchTrigger {
  kChanged,   // a watched file or directory changed
  kOverflow,  // the kernel dropped events (IN_Q_OVERFLOW): anything may have changed
  kPoll,      // the safety poll
};
std::string_view ToString(WatchTrigger trigger);

struct FileWatchOptions {
  std::chrono::milliseconds quiet{100};  // after the last event of a burst
  std::chrono::milliseconds safety_poll{10000};
  std::chrono::milliseconds max_delay{2000};  // after the first event of a burst
};

class FileWatcher {
 public:
  using Callback = std::function<void(WatchTrigger)>;

  FileWatcher(boost::asio::io_context& io, FileWatchOptions options, Callback callback);
  ~FileWatcher();
  FileWatcher(const FileWatcher&) = delete;
  FileWatcher& operator=(const FileWatcher&) = delete;

  // Starts watching `paths` (files or directories) and arms the safety poll.
  // Fails, naming the path, when inotify is unavailable or a directory
  // cannot be watched (e.g. it does not exist); the safety poll runs anyway.
  core::Status<> Watch(const std::vector<std::string>& paths);
  // Cancels everything; no callback runs after Stop returns. Final.
  void Stop();

  size_t watched_directories() const { return dirs_.size(); }

 private:
  struct WatchedDir {
    std::string path;
    bool recursive = false;          // a --manifests directory (and its subdirectories)
    bool all = false;                // every entry counts, not only `names`
    std::vector<std::string> names;  // watched files in this directory
  };

  core::Status<> AddPaths(const std::vector<std::string>& paths);
  core::Status<> AddDirectory(const std::string& path, bool recursive,
                              const std::string& only_name);
  void Read();
  void Handle(size_t bytes);
  void Fire(WatchTrigger trigger);
  void SchedulePoll();

  FileWatchOptions options_;
  Callback callback_;
  boost::asio::posix::stream_descriptor stream_;
  boost::asio::steady_timer debounce_timer_;
  boost::asio::steady_timer poll_timer_;
  std::vector<std::string> paths_;  // as given to Watch
  std::map<int, WatchedDir> dirs_;  // by inotify watch descriptor
  bool burst_open_ = false;         // an event arrived, its callback has not run yet
  std::chrono::steady_clock::time_point burst_start_;
  uint64_t generation_ = 0;  // of the latest debounce wait; older ones are stale
  WatchTrigger pending_ = WatchTrigger::kChanged;
  bool stopped_ = false;
  // Aligned for struct inotify_event; 64 KiB holds hundreds of events.
  alignas(8) std::array<char, 65536> buffer_{};
};

}  // namespace vipcast::prod
