// EngineLock: one process at a time runs the operations of a workstation database.
//
// The lock is flock(2) on a file beside the database's real path ("DB.engine-lock"; the
// path is made canonical first, so a symlink or "./" names the same lock; a hard link to
// the database is another path and would be another lock). A process killed with SIGKILL
// releases it. The lock file is the owner's alone (0600) and never opened through a
// symlink. The holder writes who it is into it (program, pid, user, since when), so a
// process that finds the lock taken can say who holds it.
//
// Waiting: a console holds the lock for as long as it is open, so a command that finds
// a console there fails at once; another command (the CLI, whose commands take turns)
// is waited for up to `wait`, polling, after `onWaiting` has been told whom it waits for.
// Thread-safety: acquire and destroy on one thread.
#pragma once

#include "opflow/Result.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace opflow::host {

// Who holds the engine lock, as the holder wrote it.
struct EngineLockHolder {
  std::string program; // "opflow console", "opflow-cli run", ...
  std::int64_t pid = 0;
  std::string user;    // the operating-system user
  std::int64_t sinceMs = 0;
  bool console = false; // holds the lock while it is open: not worth waiting for

  // "opflow console (pid 4242, user sam, since 2026-12-06 10:00:00 UTC)", or
  // "an unknown process" when the holder wrote nothing readable.
  [[nodiscard]] std::string describe() const;
};

struct EngineLockOptions {
  std::string program = "opflow";
  bool console = false;
  std::chrono::milliseconds wait{0}; // how long to wait for another command (0: not at all)
  std::function<void(const EngineLockHolder&)> onWaiting; // told once, before waiting
};

class EngineLock {
public:
  // Takes the lock of `databasePath` (which must exist). Conflict, naming the holder, when
  // it is held by a console or still held after `wait`; Io when the lock file cannot be
  // opened or locked.
  [[nodiscard]] static Result<std::unique_ptr<EngineLock>> acquire(const std::string& databasePath,
                                                                   const EngineLockOptions& options);
  ~EngineLock();
  EngineLock(const EngineLock&) = delete;
  EngineLock& operator=(const EngineLock&) = delete;

  // The lock file's path (canonical database path + ".engine-lock").
  [[nodiscard]] const std::string& path() const { return m_path; }

private:
  EngineLock(std::string path, int fd) : m_path(std::move(path)), m_fd(fd) {}

  std::string m_path;
  int m_fd = -1;
};

} // namespace opflow::host
