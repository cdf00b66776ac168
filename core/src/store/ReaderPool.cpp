#include "opflow/store/ReaderPool.h"

namespace opflow::store {

ReaderPool::Lease::~Lease() {
  if (m_db) {
    m_pool->giveBack(std::move(m_db));
  }
}

ReaderPool::ReaderPool(DatabaseOptions options, std::size_t keep) : m_options(std::move(options)), m_keep(keep) {
  m_options.readOnly = true;
}

Result<ReaderPool::Lease> ReaderPool::acquire() {
  {
    std::lock_guard lock(m_mutex);
    if (!m_idle.empty()) {
      std::unique_ptr<Database> db = std::move(m_idle.back());
      m_idle.pop_back();
      return Lease(*this, std::move(db));
    }
  }
  auto db = Database::open(m_options);
  if (!db) {
    return db.error();
  }
  return Lease(*this, std::move(db).value());
}

void ReaderPool::giveBack(std::unique_ptr<Database> db) {
  std::lock_guard lock(m_mutex);
  if (m_idle.size() < m_keep) {
    m_idle.push_back(std::move(db));
  }
}

} // namespace opflow::store
