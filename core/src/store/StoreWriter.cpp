#include "opflow/store/StoreWriter.h"

namespace opflow::store {

Result<std::unique_ptr<StoreWriter>> StoreWriter::open(const DatabaseOptions& database, WriterOptions options) {
  auto db = Database::open(database);
  if (!db) {
    return db.error();
  }
  return std::unique_ptr<StoreWriter>(new StoreWriter(std::move(db).value(), options));
}

std::unique_ptr<StoreWriter> StoreWriter::unavailable(Error why) {
  return std::unique_ptr<StoreWriter>(new StoreWriter(std::move(why)));
}

StoreWriter::StoreWriter(std::unique_ptr<Database> db, WriterOptions options)
    : m_db(std::move(db)), m_options(options), m_thread([this] { loop(); }) {}

StoreWriter::StoreWriter(Error unavailable) : m_lastError(unavailable), m_unavailable(std::move(unavailable)) {}

StoreWriter::~StoreWriter() {
  {
    std::lock_guard lock(m_mutex);
    m_stopping = true;
  }
  m_wake.notify_all();
  if (m_thread.joinable()) {
    m_thread.join();
  }
}

std::future<Status> StoreWriter::submit(Work work) {
  auto done = std::make_shared<std::promise<Status>>();
  std::future<Status> future = done->get_future();
  if (m_unavailable) {
    done->set_value(*m_unavailable);
    return future;
  }
  {
    std::lock_guard lock(m_mutex);
    m_queue.push_back({std::move(work), std::move(done), {}});
  }
  m_wake.notify_one();
  return future;
}

void StoreWriter::post(Work work, std::function<void(const Error&)> onFailure) {
  if (m_unavailable) {
    if (onFailure) {
      onFailure(*m_unavailable);
    }
    return; // lastError() says why, from the start
  }
  {
    std::lock_guard lock(m_mutex);
    m_queue.push_back({std::move(work), nullptr, std::move(onFailure)});
  }
  m_wake.notify_one();
}

Status StoreWriter::execute(Work work) { return submit(std::move(work)).get(); }

Status StoreWriter::flush() {
  return execute([](Database&) { return Status(); });
}

const std::vector<double>& batchSizeBuckets() {
  static const std::vector<double> kBuckets{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};
  return kBuckets;
}

WriterStats StoreWriter::stats() const {
  std::lock_guard lock(m_mutex);
  WriterStats stats = m_stats;
  stats.queued = m_queue.size();
  return stats;
}

std::optional<Error> StoreWriter::lastError() const {
  std::lock_guard lock(m_mutex);
  return m_lastError;
}

void StoreWriter::loop() {
  std::vector<Unit> group;
  std::unique_lock lock(m_mutex);
  while (true) {
    m_wake.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
    if (m_queue.empty() && m_stopping) {
      return;
    }
    // Give other callers a moment to join this group, unless it is full already.
    if (!m_stopping && m_queue.size() < m_options.maxBatch) {
      m_wake.wait_for(lock, m_options.flushInterval,
                      [this] { return m_stopping || m_queue.size() >= m_options.maxBatch; });
    }
    std::size_t take = std::min(m_queue.size(), m_options.maxBatch);
    group.assign(std::make_move_iterator(m_queue.begin()), std::make_move_iterator(m_queue.begin() + take));
    m_queue.erase(m_queue.begin(), m_queue.begin() + take);
    lock.unlock();
    commitGroup(group);
    group.clear();
    lock.lock();
  }
}

void StoreWriter::commitGroup(std::vector<Unit>& group) {
  std::vector<Status> outcomes(group.size());
  std::uint64_t failed = 0;
  std::optional<Error> lastFailure;
  const auto began = std::chrono::steady_clock::now();
  auto transaction = Transaction::begin(*m_db);
  if (transaction) {
    for (std::size_t i = 0; i < group.size(); ++i) {
      auto savepoint = Savepoint::begin(*m_db, "unit");
      if (!savepoint) {
        outcomes[i] = savepoint.error();
      } else if (Status done = group[i].work(*m_db); !done) {
        outcomes[i] = done; // the savepoint rolls this unit back alone
      } else {
        outcomes[i] = savepoint->release();
      }
      if (!outcomes[i]) {
        ++failed;
        lastFailure = outcomes[i].error();
      }
    }
    if (Status committed = transaction->commit(); !committed) {
      for (Status& outcome : outcomes) {
        outcome = committed;
      }
      failed = group.size();
      lastFailure = committed.error();
    }
  } else {
    for (Status& outcome : outcomes) {
      outcome = transaction.error();
    }
    failed = group.size();
    lastFailure = transaction.error();
  }
  {
    std::lock_guard lock(m_mutex);
    ++m_stats.commits;
    m_stats.commitSeconds.observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count());
    m_stats.batchUnits.observe(static_cast<double>(group.size()), batchSizeBuckets());
    m_stats.units += group.size();
    m_stats.failedUnits += failed;
    if (lastFailure) {
      m_lastError = std::move(lastFailure);
    }
  }
  for (std::size_t i = 0; i < group.size(); ++i) {
    if (!outcomes[i] && group[i].onFailure) {
      group[i].onFailure(outcomes[i].error());
    }
    if (group[i].done) {
      group[i].done->set_value(std::move(outcomes[i]));
    }
  }
}

} // namespace opflow::store
