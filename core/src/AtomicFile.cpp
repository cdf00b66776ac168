#include "opflow/AtomicFile.h"

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>

namespace opflow {

namespace {

// What is at `path` when it is not a regular file (nothing when it is one, or nothing is there).
std::optional<std::string> notARegularFile(const std::string& path) {
  struct stat status {};
  if (::lstat(path.c_str(), &status) != 0) {
    return std::nullopt; // a new path (or one the open will name the reason for)
  }
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

} // namespace

Status writeFileAtomically(const std::string& path, const std::function<Status(std::ostream&)>& write) {
  namespace fs = std::filesystem;
  if (auto what = notARegularFile(path)) {
    return makeError(ErrorCode::InvalidArgument,
                     fmt::format("\"{}\" is {}: write to a regular file or a new path", path, *what));
  }
  const fs::path target(path);
  const fs::path temporary =
      target.parent_path() / fmt::format(".{}.tmp-{}-{}", target.filename().string(), ::getpid(), std::random_device{}());
  auto fail = [&temporary](std::string message) -> Status {
    std::error_code ignored;
    fs::remove(temporary, ignored);
    return makeError(ErrorCode::Io, std::move(message));
  };
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) {
      return fail(fmt::format("cannot write \"{}\": {} (does the folder exist, and may it be written?)", path,
                              std::strerror(errno)));
    }
    if (Status written = write(out); !written) {
      return fail(fmt::format("writing \"{}\" failed: {}", path, written.error().describe()));
    }
    out.close();
    if (!out) {
      return fail(fmt::format("cannot write \"{}\": {}", path, std::strerror(errno)));
    }
  }
  if (int fd = ::open(temporary.c_str(), O_RDONLY); fd >= 0) {
    const bool synced = ::fsync(fd) == 0;
    const int reason = errno;
    ::close(fd);
    if (!synced) {
      return fail(fmt::format("cannot sync \"{}\" to disk: {}", path, std::strerror(reason)));
    }
  }
  std::error_code renamed;
  fs::rename(temporary, target, renamed);
  if (renamed) {
    return fail(fmt::format("cannot write \"{}\": {}", path, renamed.message()));
  }
  return {};
}

} // namespace opflow
