// LocalStore: the workstation's database: one file, its writer thread and its readers.
// Opening with `create` makes the file and applies migrations; without it the file must
// exist with the current schema, so a typo in a path never creates an empty database.
// Thread-safety: writer() and readers() may be used from any thread.
#pragma once

#include "opflow/store/ReaderPool.h"
#include "opflow/store/StoreWriter.h"

#include <functional>
#include <memory>

namespace opflow::store {

struct LocalStoreOptions {
  std::string path;
  bool create = false;
  Durability durability = Durability::Normal;
  WriterOptions writer;
  std::function<std::int64_t()> clockMs; // the time changes carry; empty: the system clock
};

class LocalStore {
public:
  [[nodiscard]] static Result<std::unique_ptr<LocalStore>> open(const LocalStoreOptions& options);

  [[nodiscard]] StoreWriter& writer() { return *m_writer; }
  [[nodiscard]] ReaderPool& readers() { return m_readers; }
  [[nodiscard]] const std::string& path() const { return m_path; }

private:
  LocalStore(std::string path, std::unique_ptr<StoreWriter> writer, DatabaseOptions readerOptions)
      : m_path(std::move(path)), m_writer(std::move(writer)), m_readers(std::move(readerOptions)) {}

  std::string m_path;
  std::unique_ptr<StoreWriter> m_writer;
  ReaderPool m_readers;
};

} // namespace opflow::store
