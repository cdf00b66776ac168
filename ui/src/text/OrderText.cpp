#include "opflow/ui/text/OrderText.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QLocale>

namespace opflow::ui {

namespace {

QLocale numberLocale() {
  QLocale locale;
  return locale.language() == QLocale::C ? QLocale(QLocale::English, QLocale::UnitedStates) : locale;
}

QString tr(const char* text) { return QCoreApplication::translate("OrderText", text); }

} // namespace

QString orderStatusName(domain::OrderStatus status) {
  using domain::OrderStatus;
  switch (status) {
  case OrderStatus::Initiated:
    return tr("Initiated");
  case OrderStatus::FileUploaded:
    return tr("Uploaded");
  case OrderStatus::Submitted:
    return tr("Submitted");
  case OrderStatus::PriceCalculated:
    return tr("Priced");
  case OrderStatus::ManufacturingApproved:
    return tr("Approved");
  case OrderStatus::ManufacturingStarted:
    return tr("In production");
  case OrderStatus::ManufacturingCompleted:
    return tr("Produced");
  case OrderStatus::Packaging:
    return tr("Packaging");
  case OrderStatus::Shipped:
    return tr("Shipped");
  case OrderStatus::Closed:
    return tr("Closed");
  case OrderStatus::Cancelled:
    return tr("Cancelled");
  }
  return QString::fromLatin1(domain::toString(status));
}

QString orderPriorityName(int priority) {
  switch (priority) {
  case 0:
    return tr("Low");
  case 1:
    return tr("Normal");
  case 2:
    return tr("High");
  case 3:
    return tr("Urgent");
  default:
    return QString::number(priority);
  }
}

QString countText(std::int64_t count) { return numberLocale().toString(static_cast<qlonglong>(count)); }

QString priceText(std::optional<std::int64_t> cents) {
  if (!cents) {
    return {};
  }
  return numberLocale().toString(static_cast<double>(*cents) / 100.0, 'f', 2);
}

QString orderTimeText(std::int64_t utcMs) {
  return QDateTime::fromMSecsSinceEpoch(utcMs).toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

} // namespace opflow::ui
