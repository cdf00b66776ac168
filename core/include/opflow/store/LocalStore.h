// LocalStore: the workstation's database: one file, its writer thread and its readers.
// Opening with `create` makes the file and applies migrations; without it the file must
// exist with the current schema, so a typo in a path never creates an empty database.
// Opening `forReading` checks the schema on a read-only connection and opens no write
// connection until something is written (a refusal to audit, say): a command that only
// reads leaves the file as it was, and works for a user who may read the file but not
// write it (a write then fails with SQLite's reason).
// Thread-safety: writer() and readers() may be used from any thread.
#pragma once

#include "opflow/store/ReaderPool.h"
#include "opflow/store/StoreWriter.h"

#include <functional>
#include <memory>
#include <mutex>

namespace opflow::store {

struct LocalStoreOptions {
  std::string path;
  bool create = false;
  Durability durability = Durability::Normal;
  WriterOptions writer;
  std::function<std::int64_t()> clockMs; // the time changes carry; empty: the system clock
  bool forReading = false; // no write connection until the first write (ignored with create)
};

class LocalStore {
public:
  [[nodiscard]] static Result<std::unique_ptr<LocalStore>> open(const LocalStoreOptions& options);

  // The writer; opened at first use when the store was opened for reading (a writer whose
  // units fail with the reason when the file cannot be written).
  [[nodiscard]] StoreWriter& writer();
  [[nodiscard]] ReaderPool& readers() { return m_readers; }
  [[nodiscard]] const std::string& path() const { return m_path; }

private:
  LocalStore(std::string path, DatabaseOptions database, WriterOptions writerOptions)
      : m_path(std::move(path)), m_database(database), m_writerOptions(writerOptions),
        m_readers(std::move(database)) {}

  std::string m_path;
  DatabaseOptions m_database;
  WriterOptions m_writerOptions;
  std::once_flag m_writerOpened;
  std::unique_ptr<StoreWriter> m_writer;
  ReaderPool m_readers;
};

} // namespace opflow::store
