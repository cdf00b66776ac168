#include "opflow/AtomicFile.h"

#include <fmt/format.h>

#include <ext/stdio_filebuf.h> // an ostream over the descriptor this file opened itself (g++)
#include <fcntl.h>
#include <stdio.h> // renameat2
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>
#include <ostream>
#include <random>
#include <utility>

namespace opflow {

namespace {

// What is at `path` when it is not a regular file (nothing when it is one, or nothing is there).
std::optional<std::string> notARegularFile(const struct stat& status) {
  if (S_ISREG(status.st_mode)) {
    return std::nullopt;
  }
  if (S_ISLNK(status.st_mode)) {
    return "a symbolic link";
  }
  if (S_ISDIR(status.st_mode)) {
    return "a directory";
  }
  if (S_ISFIFO(status.st_mode)) {
    return "a FIFO";
  }
  if (S_ISCHR(status.st_mode) || S_ISBLK(status.st_mode)) {
    return "a device";
  }
  return "not a regular file";
}

// Syncs the folder, so the rename itself survives a power loss.
int syncFolder(const std::filesystem::path& folder) {
  const int fd = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    return errno;
  }
  const int synced = ::fsync(fd) == 0 ? 0 : errno;
  ::close(fd);
  return synced;
}

// The temporary file beside the target: closed and removed when it goes, unless it was
// renamed into place (whatever ends the write: an error, an exception).
class TemporaryFile {
public:
  TemporaryFile(std::filesystem::path path, int fd) : m_path(std::move(path)), m_fd(fd) {}
  ~TemporaryFile() {
    if (m_fd >= 0) {
      ::close(m_fd);
    }
    if (!m_renamed) {
      std::error_code ignored;
      std::filesystem::remove(m_path, ignored);
    }
  }
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;

  [[nodiscard]] int fd() const { return m_fd; }
  // Closes the descriptor: 0, or the system's reason.
  int close() { return ::close(std::exchange(m_fd, -1)) == 0 ? 0 : errno; }
  // Renames it to `target`: empty, or the system's reason.
  std::error_code renameTo(const std::filesystem::path& target) {
    std::error_code renamed;
    std::filesystem::rename(m_path, target, renamed);
    m_renamed = !renamed;
    return renamed;
  }

private:
  std::filesystem::path m_path;
  int m_fd;
  bool m_renamed = false;
};

// Writes through `write` into the descriptor: the stream's failure comes back with the
// system's reason as the failing write(2) left it.
Status writeThrough(int fd, const std::string& path, const std::function<Status(std::ostream&)>& write) {
  // The buffer closes the descriptor it is given: it gets a copy, `fd` is synced later.
  const int copy = ::dup(fd);
  if (copy < 0) {
    return makeError(ErrorCode::Io, fmt::format("cannot write \"{}\": {}", path, std::strerror(errno)));
  }
  __gnu_cxx::stdio_filebuf<char> buffer(copy, std::ios::out | std::ios::binary);
  if (!buffer.is_open()) {
    ::close(copy);
    return makeError(ErrorCode::Io, fmt::format("cannot write \"{}\": the file could not be opened for writing", path));
  }
  std::ostream out(&buffer);
  errno = 0;
  if (Status written = write(out); !written) {
    return makeError(written.error().code, fmt::format("writing \"{}\" failed: {}", path, written.error().describe()));
  }
  if (out) {
    errno = 0;
    out.flush();
  }
  if (!out) {
    return makeError(ErrorCode::Io,
                     fmt::format("cannot write \"{}\": {}", path, errno != 0 ? std::strerror(errno) : "the write failed"));
  }
  return {};
}

} // namespace

Status writeFileAtomically(const std::string& path, const std::function<Status(std::ostream&)>& write) {
  namespace fs = std::filesystem;
  struct stat existing {};
  const bool replacing = ::lstat(path.c_str(), &existing) == 0;
  if (replacing) {
    if (auto what = notARegularFile(existing)) {
      return makeError(ErrorCode::InvalidArgument,
                       fmt::format("\"{}\" is {}: write to a regular file or a new path", path, *what));
    }
  }
  const fs::path target(path);
  const fs::path temporaryPath =
      target.parent_path() / fmt::format(".{}.tmp-{}-{}", target.filename().string(), ::getpid(), std::random_device{}());
  // A new file of this process's own (never an existing one, never through a link); a file
  // it replaces keeps its permissions (an export kept private stays private).
  const int fd = ::open(temporaryPath.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
  if (fd < 0) {
    // A folder that is not there or not this user's to write, or a name too long, is a
    // wrong path (bad input); anything else is the system failing.
    const int reason = errno;
    const bool wrongPath =
        reason == ENOENT || reason == ENOTDIR || reason == EACCES || reason == EROFS || reason == ENAMETOOLONG;
    return makeError(wrongPath ? ErrorCode::InvalidArgument : ErrorCode::Io,
                     fmt::format("cannot write \"{}\": {} (does the folder exist, and may it be written?)", path,
                                 std::strerror(reason)));
  }
  TemporaryFile temporary(temporaryPath, fd);
  if (replacing && ::fchmod(fd, existing.st_mode & 07777) != 0) {
    return makeError(ErrorCode::Io, fmt::format("cannot give \"{}\" the permissions of the file it replaces: {}",
                                                path, std::strerror(errno)));
  }
  if (Status written = writeThrough(fd, path, write); !written) {
    return written;
  }
  if (::fsync(fd) != 0) {
    return makeError(ErrorCode::Io, fmt::format("cannot sync \"{}\" to disk: {}", path, std::strerror(errno)));
  }
  if (const int reason = temporary.close(); reason != 0) {
    return makeError(ErrorCode::Io, fmt::format("cannot write \"{}\": {}", path, std::strerror(reason)));
  }
  if (std::error_code renamed = temporary.renameTo(target)) {
    return makeError(ErrorCode::Io, fmt::format("cannot write \"{}\": {}", path, renamed.message()));
  }
  if (const int reason = syncFolder(target.parent_path()); reason != 0) {
    return makeError(ErrorCode::Io, fmt::format("\"{}\" is written, but its folder could not be synced: {}", path,
                                                std::strerror(reason)));
  }
  return {};
}

Status moveIntoPlace(const std::string& from, const std::string& to) {
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) != 0) {
    const int reason = errno;
    return makeError(reason == EEXIST ? ErrorCode::Conflict : ErrorCode::Io,
                     fmt::format("cannot move \"{}\" to \"{}\": {}", from, to, std::strerror(reason)));
  }
  if (const int reason = syncFolder(std::filesystem::path(to).parent_path()); reason != 0) {
    return makeError(ErrorCode::Io, fmt::format("\"{}\" is in place, but its folder could not be synced: {}", to,
                                                std::strerror(reason)));
  }
  return {};
}

} // namespace opflow
