// ReaderPool: read-only connections for queries, reused across calls. In WAL mode a
// reader sees the last committed state and never blocks the writer or a checkpoint.
// Thread-safety: acquire() may be called from any thread; each lease is used by one thread.
#pragma once

#include "opflow/store/Database.h"

#include <mutex>
#include <vector>

namespace opflow::store {

class ReaderPool {
public:
  class Lease {
  public:
    Lease(ReaderPool& pool, std::unique_ptr<Database> db) : m_pool(&pool), m_db(std::move(db)) {}
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    Database& operator*() const { return *m_db; }
    Database* operator->() const { return m_db.get(); }

  private:
    ReaderPool* m_pool;
    std::unique_ptr<Database> m_db;
  };

  explicit ReaderPool(DatabaseOptions options, std::size_t keep = 4);

  // A connection of the pool, or a newly opened one.
  [[nodiscard]] Result<Lease> acquire();

private:
  void giveBack(std::unique_ptr<Database> db);

  DatabaseOptions m_options;
  std::size_t m_keep;
  std::mutex m_mutex;
  std::vector<std::unique_ptr<Database>> m_idle;
};

} // namespace opflow::store
