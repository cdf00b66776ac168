// Test support for the console across workstations: a demo-sized shop of two workstation
// databases ("ws-a" with the users and a few orders, "ws-b" made empty and joined, its
// users pulled from the shop) joined to one shared database, a shared SQLite file or a
// database on the throwaway PostgreSQL server the tests start (PgTestServer), and a
// console session over each, its sync thread running.
// Thread-safety: used from the test's (GUI) thread.
#pragma once

#include "ConsoleTestSupport.h"
#include "PgTestServer.h"

#include "opflow/store/OrderStore.h"
#include "opflow/sync/SharedTarget.h"
#include "opflow/sync/SyncState.h"
#include "opflow/sync/Synchronizer.h"

#include <QTemporaryDir>

#include <memory>
#include <string>
#include <vector>

namespace opflow::uitest {

enum class ShopBackend { SqliteFile, Postgres };

class TwoWorkstationShop {
public:
  static constexpr std::int64_t kOrders = 12;

  // Makes the shop; check error() after (empty when all went well).
  explicit TwoWorkstationShop(ShopBackend backend) : m_a(kOrders) {
    if (!m_a.error().empty()) {
      m_error = m_a.error();
      return;
    }
    m_target = backend == ShopBackend::SqliteFile ? m_dir.filePath(QStringLiteral("shared.db")).toStdString()
                                                  : testing::processPgServer().database();
    m_bPath = m_dir.filePath(QStringLiteral("ws-b.db"));
    if (Status made = make(); !made) {
      m_error = made.error().describe();
    }
  }

  [[nodiscard]] const std::string& error() const { return m_error; }
  [[nodiscard]] const std::string& target() const { return m_target; }
  [[nodiscard]] QString pathA() const { return m_a.path(); }
  [[nodiscard]] const QString& pathB() const { return m_bPath; }
  // Orders made at ws-a before the join, uploaded and ready to submit; both workstations
  // know them.
  [[nodiscard]] const std::vector<std::string>& uploaded() const { return m_uploaded; }

  // A console at workstation `path`, signed in as `user`; its sync thread started when
  // `syncing`.
  [[nodiscard]] static std::unique_ptr<ui::ConsoleSession> console(const QString& path, const std::string& user,
                                                                   bool syncing = true) {
    ui::ConsoleOptions options;
    options.databasePath = path;
    auto session = ConsoleDatabase::openConsole(options, user);
    if (session && syncing) {
      session->startSync();
    }
    return session;
  }

  // Whether `session`'s sync has met its shop and has nothing waiting to go up.
  [[nodiscard]] static bool caughtUp(ui::ConsoleSession& session) {
    const sync::SyncStatus& status = session.syncEvents().status();
    return status.link == sync::SyncLink::Online && status.pending == 0;
  }

  // An operator's change of order `number` at `session`'s workstation.
  [[nodiscard]] static Result<store::Order> move(ui::ConsoleSession& session, const std::string& number,
                                                 domain::OrderStatus to) {
    return session.host().workstation().orders().transition(
        number, to, {kOperator, "operator", session.workstation().toStdString(), "", ""});
  }

private:
  Status make() {
    const store::User admin{kAdmin, domain::Role::Admin, false, 0, 0};
    auto shared = sync::openSharedDatabase(m_target, true);
    if (!shared) {
      return shared.error();
    }
    {
      auto a = store::LocalStore::open({m_a.path().toStdString()});
      if (!a) {
        return a.error();
      }
      store::OrderStore orders(**a);
      const store::OrderActor setup{kSupervisor, "supervisor", "ws-a", "", ""};
      for (int made = 0; made < 2; ++made) {
        auto order = orders.create({"", "ACME Tooling", 1, std::nullopt, "PETG", "bracket.stl", "",
                                    Json{{"file", {{"volume_cm3", 30.0}}}, {"quantity", 2}}},
                                   setup);
        if (!order) {
          return order.error();
        }
        if (auto moved = orders.transition(order->number, domain::OrderStatus::FileUploaded, setup); !moved) {
          return moved.error();
        }
        m_uploaded.push_back(order->number);
      }
      if (Status joined = sync::joinShared(**a, **shared, m_target, "ws-a", admin); !joined) {
        return joined;
      }
      if (auto pushed = sync::Synchronizer(**a, **shared, "ws-a").once(); !pushed) {
        return pushed.error();
      }
    }
    store::LocalStoreOptions options;
    options.path = m_bPath.toStdString();
    options.create = true;
    auto b = store::LocalStore::open(options);
    if (!b) {
      return b.error();
    }
    if (Status joined = sync::joinShared(**b, **shared, m_target, "ws-b", admin); !joined) {
      return joined;
    }
    auto pulled = sync::Synchronizer(**b, **shared, "ws-b").pull();
    return pulled ? Status{} : Status(pulled.error());
  }

  QTemporaryDir m_dir;
  ConsoleDatabase m_a;
  std::string m_target;
  QString m_bPath;
  std::vector<std::string> m_uploaded;
  std::string m_error;
};

} // namespace opflow::uitest
