// Test support for the order detail's tests: orders put in a given status directly
// through the order store (as a supervisor at a setup workstation), an order shown in a
// detail view, and the pricing worker made fast for a database before a console opens it.
// Thread-safety: used from the test's (GUI) thread.
#pragma once

#include "opflow/store/OrderStore.h"
#include "opflow/store/Settings.h"
#include "opflow/ui/bridge/ConsoleSession.h"
#include "opflow/ui/views/OrderDetailView.h"

#include <QSignalSpy>

#include <QString>
#include <QTest>

#include <optional>
#include <string>

namespace opflow::uitest {

// A new order of ACME (PETG, a measured 30 cm³ part, quantity 2) moved up to `status`;
// its number, or "" with a test failure recorded.
inline std::string orderAt(ui::ConsoleSession& session, domain::OrderStatus status,
                           std::optional<std::int64_t> priceCents = std::nullopt) {
  store::OrderStore& orders = session.host().workstation().orders();
  const store::OrderActor setup{"sam", "supervisor", "setup-ws", "", ""};
  store::NewOrder order;
  order.customer = "ACME Tooling";
  order.material = "PETG";
  order.fileName = "bracket.stl";
  order.priceCents = priceCents;
  order.details = Json{{"file", {{"volume_cm3", 30.0}}}, {"quantity", 2}};
  auto created = orders.create(order, setup);
  if (!created) {
    QTest::qFail(created.error().describe().c_str(), __FILE__, __LINE__);
    return {};
  }
  for (domain::OrderStatus next : domain::allOrderStatuses()) {
    if (domain::positionOf(next) > 0 && domain::positionOf(next) <= domain::positionOf(status)) {
      if (auto moved = orders.transition(created->number, next, setup); !moved) {
        QTest::qFail(moved.error().describe().c_str(), __FILE__, __LINE__);
        return {};
      }
    }
  }
  return created->number;
}

// Shows `view` with order `number` in it, once loaded; false (with a test failure) when
// the order is not shown.
inline bool showAndWait(ui::OrderDetailView& view, const std::string& number) {
  QSignalSpy shown(&view, &ui::OrderDetailView::orderShown);
  view.show();
  view.showOrder(QString::fromStdString(number));
  if (!QTest::qWaitFor([&shown] { return shown.count() > 0; })) {
    QTest::qFail("the order was not shown", __FILE__, __LINE__);
    return false;
  }
  return true;
}

// Sets the database's pricing worker to `speedFactor` times real time, never failing
// (read when a console opens the database). False, with a test failure, when it cannot.
inline bool setFastPricing(const QString& databasePath, double speedFactor) {
  auto opened = store::LocalStore::open({databasePath.toStdString(), false, store::Durability::Normal, {}, {}});
  if (!opened) {
    QTest::qFail(opened.error().describe().c_str(), __FILE__, __LINE__);
    return false;
  }
  Status written = (*opened)->writer().execute([speedFactor](store::Database& db) -> Status {
    if (Status speed = store::writeSetting(db, store::setting::kPricingSpeedFactor, speedFactor); !speed) {
      return speed;
    }
    return store::writeSetting(db, store::setting::kPricingFailureRate, 0.0);
  });
  if (!written) {
    QTest::qFail(written.error().describe().c_str(), __FILE__, __LINE__);
    return false;
  }
  return true;
}

} // namespace opflow::uitest
