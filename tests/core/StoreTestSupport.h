// Test support for the store tests: each test gets its own temporary directory and a
// freshly initialised database file in it, removed when the test ends.
// Thread-safety: used from the test thread.
#pragma once

#include "opflow/store/LocalStore.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <random>
#include <string>

namespace opflow::store::test {

class TempDir {
public:
  TempDir() {
    std::random_device random;
    m_path = std::filesystem::temp_directory_path() / ("opflow-test-" + std::to_string(random()) + std::to_string(random()));
    std::filesystem::create_directories(m_path);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(m_path, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const { return m_path; }
  [[nodiscard]] std::string file(const std::string& name) const { return (m_path / name).string(); }

private:
  std::filesystem::path m_path;
};

// A fixture with an initialised store at dir.file("opflow.db").
class StoreFixture : public ::testing::Test {
protected:
  void SetUp() override {
    auto opened = LocalStore::open({dbPath(), true, Durability::Normal, {}});
    ASSERT_TRUE(opened) << opened.error().describe();
    store = std::move(opened).value();
  }

  [[nodiscard]] std::string dbPath() const { return dir.file("opflow.db"); }

  // A fresh read connection (sees what is committed).
  [[nodiscard]] std::unique_ptr<Database> reader() const {
    auto db = Database::open({dbPath(), true, false, Durability::Normal, 5000});
    EXPECT_TRUE(db) << db.error().describe();
    return db ? std::move(db).value() : nullptr;
  }

  TempDir dir;
  std::unique_ptr<LocalStore> store;
};

} // namespace opflow::store::test
