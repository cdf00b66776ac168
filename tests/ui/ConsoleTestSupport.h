// Test support for the console's views: a real workstation database in a temporary
// directory, with users of every role (password NAME + "-password", minimum argon2id cost) and
// seeded orders, and a ConsoleSession over it signed in as one of them.
// Thread-safety: used from the test's (GUI) thread.
#pragma once

#include "opflow/auth/PasswordHash.h"
#include "opflow/store/OrderSeeder.h"
#include "opflow/store/UserStore.h"
#include "opflow/ui/bridge/ConsoleSession.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <string>

namespace opflow::uitest {

// The people of a console test database: NAME with password NAME + "-password".
inline constexpr const char* kAdmin = "admin";
inline constexpr const char* kOperator = "olga";
inline constexpr const char* kSupervisor = "sam";
inline constexpr const char* kManager = "maya";

inline std::string testPassword(const std::string& user) { return user + "-password"; }

class ConsoleDatabase {
public:
  // Creates the database with the four users and `orders` seeded orders (seed 7). Check
  // error() after constructing: empty when all went well.
  explicit ConsoleDatabase(std::int64_t orders = 200) {
    m_path = m_dir.filePath(QStringLiteral("console.db"));
    store::LocalStoreOptions options;
    options.path = m_path.toStdString();
    options.create = true;
    auto store = store::LocalStore::open(options);
    if (!store) {
      m_error = store.error().describe();
      return;
    }
    store::UserStore users(**store);
    const store::Requester bootstrap{std::nullopt, "test-ws", ""};
    // A throw-away database, like the demo shop: its test passwords may hash cheaply.
    if (Status demo = users.markAsDemo(bootstrap); !demo) {
      m_error = demo.error().describe();
      return;
    }
    if (Status cost = users.setPasswordCost(auth::PasswordCost::Minimum, bootstrap); !cost) {
      m_error = cost.error().describe();
      return;
    }
    if (auto admin = users.add({kAdmin, domain::Role::Admin, testPassword(kAdmin)}, bootstrap); !admin) {
      m_error = admin.error().describe();
      return;
    }
    const store::Requester byAdmin{store::Credentials{kAdmin, testPassword(kAdmin)}, "test-ws", ""};
    for (auto [name, role] : {std::pair{kOperator, domain::Role::Operator},
                              std::pair{kSupervisor, domain::Role::Supervisor},
                              std::pair{kManager, domain::Role::Manager}}) {
      if (auto added = users.add({name, role, testPassword(name)}, byAdmin); !added) {
        m_error = added.error().describe();
        return;
      }
    }
    if (orders > 0) {
      store::SeedOptions seed;
      seed.count = orders;
      seed.seed = 7;
      seed.by = {kAdmin, "admin", "test-ws", "", ""};
      if (auto seeded = store::seedOrders(**store, seed); !seeded) {
        m_error = seeded.error().describe();
      }
    }
  }

  [[nodiscard]] const QString& path() const { return m_path; }
  [[nodiscard]] const std::string& error() const { return m_error; }

  // A console session over the database (with `options`, whose path this sets), signed in
  // as `user`, its engine started. Null (with a test failure recorded) when that fails.
  [[nodiscard]] std::unique_ptr<ui::ConsoleSession> open(const std::string& user,
                                                         ui::ConsoleOptions options = {}) const {
    options.databasePath = m_path;
    return openConsole(options, user);
  }

  // A console session with `options`, signed in as `user`, its engine started. Null (with
  // a test failure recorded) when that fails.
  [[nodiscard]] static std::unique_ptr<ui::ConsoleSession> openConsole(const ui::ConsoleOptions& options,
                                                                       const std::string& user) {
    auto session = ui::ConsoleSession::open(options);
    if (!session) {
      QTest::qFail(qPrintable(QString::fromStdString(session.error().describe())), __FILE__, __LINE__);
      return nullptr;
    }
    QSignalSpy ready(session->get(), &ui::ConsoleSession::engineReady);
    QSignalSpy signedIn(session->get(), &ui::ConsoleSession::signedIn);
    (*session)->startEngine();
    (*session)->signIn(QString::fromStdString(user), QString::fromStdString(testPassword(user)));
    if (!QTest::qWaitFor([&] { return ready.count() == 1 && signedIn.count() == 1; }, 10'000)) {
      QTest::qFail("the console session did not start or sign in", __FILE__, __LINE__);
      return nullptr;
    }
    return std::move(session).value();
  }

private:
  QTemporaryDir m_dir;
  QString m_path;
  std::string m_error;
};

} // namespace opflow::uitest
