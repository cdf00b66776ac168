// StoreWriter: the one thread that owns the write connection and commits in groups.
//
// Callers hand it units of work (functions of the write connection). The thread takes
// whatever is queued, up to a batch, runs each unit inside its own savepoint within one
// transaction, and commits the group; a unit that fails is rolled back alone and its
// caller gets the error. A group closes when the queue runs dry after the flush interval
// or when the batch fills, so many steps of many runs share one commit. A caller that
// needs its change durable waits on the future of submit() (or calls execute()); the
// engine's journal posts and moves on, and flush() waits for everything queued so far.
// Thread-safety: every member may be called from any thread; work runs on the writer thread.
#pragma once

#include "opflow/observe/MetricFamily.h"
#include "opflow/store/Database.h"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

namespace opflow::store {

struct WriterOptions {
  std::chrono::microseconds flushInterval{2000}; // longest wait for more work before committing
  std::size_t maxBatch = 1024;                   // units per transaction
};

// Upper bounds of the batch-size histogram (units per commit); +Inf is implied.
[[nodiscard]] const std::vector<double>& batchSizeBuckets();

struct WriterStats {
  std::uint64_t commits = 0;
  std::uint64_t units = 0;
  std::uint64_t failedUnits = 0;
  std::uint64_t queued = 0;              // units waiting for the writer now
  observe::HistogramValue commitSeconds; // each group: its transaction, begin to commit
  observe::HistogramValue batchUnits{batchSizeBuckets().size()}; // each group: its units
};

class StoreWriter {
public:
  using Work = std::function<Status(Database&)>;

  // Opens the write connection (the schema must be current: see openLocalStore).
  [[nodiscard]] static Result<std::unique_ptr<StoreWriter>> open(const DatabaseOptions& database,
                                                                   WriterOptions options = {});
  // A writer that could not open its connection (a file this user may only read): every
  // unit fails with `why`, so a read-only process learns it at the first write it tries.
  [[nodiscard]] static std::unique_ptr<StoreWriter> unavailable(Error why);
  // Commits everything queued, then stops the thread.
  ~StoreWriter();
  StoreWriter(const StoreWriter&) = delete;
  StoreWriter& operator=(const StoreWriter&) = delete;

  // Queues work; the future is ready once its group has committed (or with its error).
  [[nodiscard]] std::future<Status> submit(Work work);
  // Queues work without a future; a failure is kept as lastError() and, when given, told
  // to `onFailure` on the writer thread (the unit's own error, or its group's commit's).
  void post(Work work, std::function<void(const Error&)> onFailure = {});
  // Queues work and waits until it is durable.
  [[nodiscard]] Status execute(Work work);
  // Waits until everything queued before this call is committed.
  [[nodiscard]] Status flush();

  [[nodiscard]] WriterStats stats() const;
  // The most recent failure of posted work or of a commit, if any.
  [[nodiscard]] std::optional<Error> lastError() const;

private:
  struct Unit {
    Work work;
    std::shared_ptr<std::promise<Status>> done; // null for posted work
    std::function<void(const Error&)> onFailure; // posted work only, may be empty
  };

  StoreWriter(std::unique_ptr<Database> db, WriterOptions options);
  explicit StoreWriter(Error unavailable);
  void loop();
  void commitGroup(std::vector<Unit>& group);

  std::unique_ptr<Database> m_db;
  WriterOptions m_options;
  mutable std::mutex m_mutex;
  std::condition_variable m_wake;
  std::vector<Unit> m_queue;
  bool m_stopping = false;
  WriterStats m_stats;
  std::optional<Error> m_lastError;
  std::optional<Error> m_unavailable;
  std::thread m_thread;
};

} // namespace opflow::store
