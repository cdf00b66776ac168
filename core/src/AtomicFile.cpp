#include "opflow/AtomicFile.h"

#include <fmt/format.h>

#include <ext/stdio_filebuf.h> // an ostream over the descriptor this file opened itself (g++)
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>
#include <ostream>
#include <random>

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
  const fs::path temporary =
      target.parent_path() / fmt::format(".{}.tmp-{}-{}", target.filename().string(), ::getpid(), std::random_device{}());
  // A new file of this process's own (never an existing one, never through a link); a file
  // it replaces keeps its permissions (an export kept private stays private).
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
  if (fd < 0) {
    // A folder that is not there or not this user's to write is a wrong path (bad input);
    // anything else is the system failing.
    const int reason = errno;
    const bool wrongPath = reason == ENOENT || reason == ENOTDIR || reason == EACCES || reason == EROFS;
    return makeError(wrongPath ? ErrorCode::InvalidArgument : ErrorCode::Io,
                     fmt::format("cannot write \"{}\": {} (does the folder exist, and may it be written?)", path,
                                 std::strerror(reason)));
  }
  auto fail = [&temporary, fd](std::string message) -> Status {
    ::close(fd);
    std::error_code ignored;
    fs::remove(temporary, ignored);
    return makeError(ErrorCode::Io, std::move(message));
  };
  if (replacing && ::fchmod(fd, existing.st_mode & 07777) != 0) {
    return fail(fmt::format("cannot give \"{}\" the permissions of the file it replaces: {}", path,
                            std::strerror(errno)));
  }
  {
    // The buffer closes the descriptor it is given: it gets a copy, this one is synced below.
    const int copy = ::dup(fd);
    if (copy < 0) {
      return fail(fmt::format("cannot write \"{}\": {}", path, std::strerror(errno)));
    }
    __gnu_cxx::stdio_filebuf<char> buffer(copy, std::ios::out | std::ios::binary);
    std::ostream out(&buffer);
    if (Status written = write(out); !written) {
      return fail(fmt::format("writing \"{}\" failed: {}", path, written.error().describe()));
    }
    errno = 0;
    out.flush();
    if (!out) {
      return fail(fmt::format("cannot write \"{}\": {}", path, errno != 0 ? std::strerror(errno) : "the write failed"));
    }
  }
  if (::fsync(fd) != 0) {
    return fail(fmt::format("cannot sync \"{}\" to disk: {}", path, std::strerror(errno)));
  }
  if (::close(fd) != 0) {
    const int reason = errno;
    std::error_code ignored;
    fs::remove(temporary, ignored);
    return makeError(ErrorCode::Io, fmt::format("cannot write \"{}\": {}", path, std::strerror(reason)));
  }
  std::error_code renamed;
  fs::rename(temporary, target, renamed);
  if (renamed) {
    std::error_code ignored;
    fs::remove(temporary, ignored);
    return makeError(ErrorCode::Io, fmt::format("cannot write \"{}\": {}", path, renamed.message()));
  }
  if (const int reason = syncFolder(target.parent_path()); reason != 0) {
    return makeError(ErrorCode::Io, fmt::format("\"{}\" is written, but its folder could not be synced: {}", path,
                                                std::strerror(reason)));
  }
  return {};
}

} // namespace opflow
