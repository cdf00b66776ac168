// Test support for the order list's tests: what core lists for a query, what a model
// shows, and counts read straight from the orders table (not the counts table).
// Thread-safety: used from the test's (GUI) thread; core reads here are the tests' own
// checks, made on purpose outside the console's background threads.
#pragma once

#include "ConsoleTestSupport.h"

#include "opflow/store/Database.h"
#include "opflow/store/OrderStore.h"
#include "opflow/ui/bridge/ConsoleSession.h"
#include "opflow/ui/models/OrderListModel.h"

#include <QStringList>
#include <QTest>

#include <memory>
#include <string>
#include <vector>

namespace opflow::uitest {

// A fresh console database with `orders` seeded orders and, once open() said true, a
// session over it signed in as `user` (a test failure is recorded when it says false).
class OrdersSession {
public:
  explicit OrdersSession(std::int64_t orders) : m_database(orders) {}

  [[nodiscard]] bool open(const std::string& user) {
    if (!m_database.error().empty()) {
      QTest::qFail(m_database.error().c_str(), __FILE__, __LINE__);
      return false;
    }
    m_session = m_database.open(user);
    return m_session != nullptr;
  }

  [[nodiscard]] const ConsoleDatabase& database() const { return m_database; }
  [[nodiscard]] ui::ConsoleSession& session() const { return *m_session; }

private:
  ConsoleDatabase m_database;
  std::unique_ptr<ui::ConsoleSession> m_session;
};

// The numbers core lists for `query` (one page).
inline QStringList coreNumbers(ui::ConsoleSession& session, const store::OrderQuery& query) {
  auto page = session.host().workstation().orders().list(query);
  if (!page) {
    QTest::qFail(page.error().message.c_str(), __FILE__, __LINE__);
    return {};
  }
  QStringList numbers;
  for (const store::OrderSummary& order : page->orders) {
    numbers << QString::fromStdString(order.number);
  }
  return numbers;
}

// The numbers the model shows, top to bottom.
inline QStringList modelNumbers(const ui::OrderListModel& model) {
  QStringList numbers;
  for (int row = 0; row < model.rowCount(); ++row) {
    numbers << model.index(row, ui::OrderListModel::NumberColumn).data(ui::OrderListModel::OrderNumberRole).toString();
  }
  return numbers;
}

// How many orders the orders table holds in `statuses` (all when empty), by COUNT(*).
inline std::int64_t countInDatabase(const QString& path, const std::vector<domain::OrderStatus>& statuses) {
  store::DatabaseOptions options;
  options.path = path.toStdString();
  options.readOnly = true;
  auto db = store::Database::open(options);
  if (!db) {
    QTest::qFail(db.error().message.c_str(), __FILE__, __LINE__);
    return -1;
  }
  std::string where;
  for (domain::OrderStatus status : statuses) {
    where += std::string(where.empty() ? " WHERE status IN (" : ", ") + "'" + domain::toString(status) + "'";
  }
  if (!where.empty()) {
    where += ")";
  }
  auto select = (*db)->prepareUncached("SELECT count(*) FROM orders" + where);
  if (!select) {
    QTest::qFail(select.error().message.c_str(), __FILE__, __LINE__);
    return -1;
  }
  auto row = (*select)->step();
  if (!row || !*row) {
    QTest::qFail("the count could not be read", __FILE__, __LINE__);
    return -1;
  }
  return (*select)->int64(0);
}

} // namespace opflow::uitest
