#include "prod/controller/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace vipcast::controller_main {
namespace {

std::string Errno(const std::string& what) { return what + ": " + std::strerror(errno); }

// Plain read(2): a directory or unreadable file in the way is "different"
// (the rename then reports the real problem), never an exception.
bool SameContent(const std::string& path, std::string_view content) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  std::string current;
  char buffer[8192];
  bool ok = true;
  while (current.size() <= content.size()) {
    const ssize_t n = ::read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) ok = false;
    if (n <= 0) break;
    current.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return ok && current == content;
}

core::Status<> WriteAll(int fd, std::string_view content, const std::string& path) {
  while (!content.empty()) {
    const ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return core::MakeErr(Errno(path + ": write"));
    }
    content.remove_prefix(static_cast<size_t>(n));
  }
  return core::Unit{};
}

// Write, fsync, close: the data is on disk before the rename publishes it.
core::Status<> WriteTemp(const std::string& temp, std::string_view content) {
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return core::MakeErr(Errno(temp + ": open"));
  core::Status<> written = WriteAll(fd, content, temp);
  if (written && ::fsync(fd) != 0) written = core::MakeErr(Errno(temp + ": fsync"));
  if (::close(fd) != 0 && written) written = core::MakeErr(Errno(temp + ": close"));
  return written;
}

}  // namespace

core::Result<bool> WriteFileIfChanged(const std::string& path, std::string_view content) {
  if (SameContent(path, content)) return false;
  const std::string temp = path + ".tmp." + std::to_string(::getpid());
  if (auto written = WriteTemp(temp, content); !written) {
    ::unlink(temp.c_str());
    return core::MakeErr(written.error());
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const std::string error = Errno("rename " + temp + " -> " + path);
    ::unlink(temp.c_str());
    return core::MakeErr(error);
  }
  // The rename is an update of the directory: fsync it too (fsync(2) notes).
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  const std::string dir = parent.empty() ? "." : parent.string();
  const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) return core::MakeErr(Errno(dir + ": open"));
  const bool synced = ::fsync(dir_fd) == 0;
  const std::string error = synced ? "" : Errno(dir + ": fsync");
  ::close(dir_fd);
  if (!synced) return core::MakeErr(error);
  return true;
}

}  // namespace vipcast::controller_main
