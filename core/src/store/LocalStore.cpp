#include "opflow/store/LocalStore.h"

#include "opflow/store/Migrations.h"

#include <fmt/format.h>

#include <filesystem>

namespace opflow::store {

Result<std::unique_ptr<LocalStore>> LocalStore::open(const LocalStoreOptions& options) {
  DatabaseOptions database{options.path, false, options.create, options.durability, 5000, options.clockMs};
  const bool lazyWriter = options.forReading && !options.create;
  if (options.create) {
    std::error_code ignored;
    std::filesystem::path parent = std::filesystem::path(options.path).parent_path();
    if (!parent.empty()) {
      std::filesystem::create_directories(parent, ignored);
    }
  }
  {
    // Migrations and schema checks run before the writer thread exists, on a connection
    // of their own, so a refused database is left exactly as it was.
    DatabaseOptions check = database;
    check.readOnly = lazyWriter;
    auto db = Database::open(check);
    if (!db) {
      return db.error();
    }
    Status ready = options.create ? migrate(**db) : checkSchema(**db);
    if (!ready) {
      return ready.error();
    }
  }
  std::unique_ptr<LocalStore> store(new LocalStore(options.path, database, options.writer));
  if (!lazyWriter) {
    auto writer = StoreWriter::open(database, options.writer);
    if (!writer) {
      return writer.error();
    }
    store->m_writer = std::move(writer).value();
    std::call_once(store->m_writerOpened, [] {});
  }
  return store;
}

StoreWriter& LocalStore::writer() {
  std::call_once(m_writerOpened, [this] {
    auto opened = StoreWriter::open(m_database, m_writerOptions);
    m_writer = opened ? std::move(opened).value()
                      : StoreWriter::unavailable(makeError(
                            opened.error().code,
                            fmt::format("\"{}\" cannot be written: {}", m_path, opened.error().message)));
  });
  return *m_writer;
}

} // namespace opflow::store
