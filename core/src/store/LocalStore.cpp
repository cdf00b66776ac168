#include "opflow/store/LocalStore.h"

#include "opflow/store/Migrations.h"

#include <fmt/format.h>

#include <filesystem>

namespace opflow::store {

Result<std::unique_ptr<LocalStore>> LocalStore::open(const LocalStoreOptions& options) {
  DatabaseOptions database{options.path, false, options.create, options.durability, 5000, options.clockMs};
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
    auto db = Database::open(database);
    if (!db) {
      return db.error();
    }
    Status ready = options.create ? migrate(**db) : checkSchema(**db);
    if (!ready) {
      return ready.error();
    }
  }
  auto writer = StoreWriter::open(database, options.writer);
  if (!writer) {
    return writer.error();
  }
  return std::unique_ptr<LocalStore>(new LocalStore(options.path, std::move(writer).value(), database));
}

} // namespace opflow::store
