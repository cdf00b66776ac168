#include "opflow/host/EngineLock.h"

#include "opflow/JsonBounds.h"
#include "opflow/Text.h"
#include "opflow/store/Database.h"
#include "opflow/store/UtcTime.h"

#include <fmt/format.h>

#include <fcntl.h>
#include <pwd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <thread>

namespace opflow::host {

namespace {

constexpr std::chrono::milliseconds kPollInterval{50};
constexpr std::size_t kHolderBytes = 4096;

std::string operatingSystemUser() {
  if (const passwd* entry = ::getpwuid(::geteuid()); entry != nullptr && entry->pw_name != nullptr) {
    return entry->pw_name;
  }
  return fmt::format("uid {}", ::geteuid());
}

EngineLockHolder readHolder(const std::string& path) {
  EngineLockHolder holder;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return holder;
  }
  std::array<char, kHolderBytes> buffer{};
  const ssize_t read = ::pread(fd, buffer.data(), buffer.size(), 0);
  ::close(fd);
  if (read <= 0) {
    return holder;
  }
  auto parsed = parseJson(std::string_view(buffer.data(), static_cast<std::size_t>(read)), {4, kHolderBytes});
  if (!parsed || !parsed->is_object()) {
    return holder;
  }
  const Json& json = *parsed;
  holder.program = json.value("program", std::string());
  holder.user = json.value("user", std::string());
  holder.console = json.value("console", false);
  if (json.contains("pid") && json["pid"].is_number_integer()) {
    holder.pid = json["pid"].get<std::int64_t>();
  }
  if (json.contains("since_ms") && json["since_ms"].is_number_integer()) {
    holder.sinceMs = json["since_ms"].get<std::int64_t>();
  }
  return holder;
}

Status writeHolder(int fd, const EngineLockOptions& options) {
  const std::string text = Json{{"program", options.program},
                                {"pid", static_cast<std::int64_t>(::getpid())},
                                {"user", operatingSystemUser()},
                                {"since_ms", store::nowMs()},
                                {"console", options.console}}
                               .dump(-1, ' ', false, Json::error_handler_t::replace);
  if (::ftruncate(fd, 0) != 0 ||
      ::pwrite(fd, text.data(), text.size(), 0) != static_cast<ssize_t>(text.size())) {
    return makeError(ErrorCode::Io, std::strerror(errno));
  }
  return {};
}

Error heldBy(const std::string& databasePath, const EngineLockHolder& holder, const std::string& advice) {
  return makeError(ErrorCode::Conflict, fmt::format("the operations of \"{}\" are run by {}: {}", databasePath,
                                                    holder.describe(), advice));
}

} // namespace

std::string EngineLockHolder::describe() const {
  if (program.empty() && pid == 0) {
    return "an unknown process";
  }
  std::string details = fmt::format("pid {}", pid);
  if (!user.empty()) {
    details += ", user " + terminalSafe(user);
  }
  if (sinceMs > 0) {
    details += ", since " + store::formatUtcMs(sinceMs);
  }
  return fmt::format("{} ({})", terminalSafe(program.empty() ? std::string("a process") : program), details);
}

Result<std::unique_ptr<EngineLock>> EngineLock::acquire(const std::string& databasePath,
                                                        const EngineLockOptions& options) {
  std::error_code error;
  const std::filesystem::path real = std::filesystem::canonical(databasePath, error);
  if (error) {
    return makeError(ErrorCode::Io, fmt::format("cannot find the real path of \"{}\": {}", databasePath,
                                                error.message()));
  }
  const std::string lockPath = real.string() + ".engine-lock";
  // Never through a symlink (the holder writes into the file), and the owner's alone: a
  // lock anyone could open could be held by anyone.
  const int fd = ::open(lockPath.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    return makeError(ErrorCode::Io,
                     fmt::format("cannot open the engine lock \"{}\": {}", lockPath, std::strerror(errno)));
  }
  struct stat status {};
  if (::fstat(fd, &status) != 0 || !S_ISREG(status.st_mode)) {
    ::close(fd);
    return makeError(ErrorCode::Io, fmt::format("the engine lock \"{}\" is not a regular file", lockPath));
  }
  if (status.st_uid == ::geteuid() && (status.st_mode & 077) != 0) {
    static_cast<void>(::fchmod(fd, 0600)); // one an older build made readable by others
  }
  // Closed unlocked when the lock is not had: what the holder wrote stays for others to read.
  auto failed = [fd](Error refusal) {
    ::close(fd);
    return refusal;
  };
  const auto deadline = std::chrono::steady_clock::now() + options.wait;
  bool told = false;
  while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK) {
      return failed(makeError(ErrorCode::Io, fmt::format("cannot lock \"{}\": {}", lockPath, std::strerror(errno))));
    }
    const EngineLockHolder holder = readHolder(lockPath);
    if (holder.console) {
      return failed(heldBy(databasePath, holder, "close it first, or work in the console"));
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return failed(heldBy(databasePath, holder,
                    options.wait.count() == 0
                        ? std::string("try again when it has finished")
                        : fmt::format("it still held the lock after {:g} s; try again when it has finished",
                                      std::chrono::duration<double>(options.wait).count())));
    }
    if (!told && options.onWaiting) {
      options.onWaiting(holder);
      told = true;
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  // Held from here: the object owns the descriptor, and clears who held it when it goes.
  std::unique_ptr<EngineLock> lock(new EngineLock(lockPath, fd));
  if (Status written = writeHolder(fd, options); !written) {
    return makeError(ErrorCode::Io, fmt::format("cannot write the engine lock \"{}\": {}", lockPath,
                                                written.error().message));
  }
  return lock;
}

EngineLock::~EngineLock() {
  // Who held it is cleared before the lock goes, so nobody reads a holder that has left.
  static_cast<void>(::ftruncate(m_fd, 0));
  ::close(m_fd);
}

} // namespace opflow::host
