#include "opflow/ui/text/OrderDetailText.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QLocale>
#include <QStringList>

#include <algorithm>

namespace opflow::ui {

namespace {

QString scalarText(const Json& value) {
  return value.is_string() ? QString::fromStdString(value.get<std::string>()) : QString::fromStdString(value.dump());
}

void appendLines(const Json& value, const QString& path, QStringList& lines) {
  auto below = [&path](const QString& key) { return path.isEmpty() ? key : path + QStringLiteral(" › ") + key; };
  if (value.is_object() && !value.empty()) {
    for (const auto& [key, child] : value.items()) {
      appendLines(child, below(QString::fromStdString(key)), lines);
    }
    return;
  }
  const bool nested = value.is_array() && std::any_of(value.begin(), value.end(), [](const Json& element) {
                        return element.is_structured();
                      });
  if (nested) {
    for (std::size_t i = 0; i < value.size(); ++i) {
      appendLines(value[i], below(QString::number(i + 1)), lines);
    }
    return;
  }
  QString text;
  if (value.is_array()) {
    QStringList elements;
    for (const Json& element : value) {
      elements << scalarText(element);
    }
    text = elements.join(QStringLiteral(", "));
  } else {
    text = scalarText(value);
  }
  lines << (path.isEmpty() ? text : path + QStringLiteral(": ") + text);
}

} // namespace

QString localTimeText(std::int64_t utcMs) {
  if (utcMs == 0) {
    return {};
  }
  return QDateTime::fromMSecsSinceEpoch(utcMs).toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QString durationText(std::int64_t durationUs) {
  if (durationUs < 1'000) {
    return QStringLiteral("%1 µs").arg(durationUs);
  }
  if (durationUs < 1'000'000) {
    return QStringLiteral("%1 ms").arg(durationUs / 1'000);
  }
  if (durationUs < 60'000'000) {
    return QStringLiteral("%1 s").arg(static_cast<double>(durationUs) / 1e6, 0, 'f', 1);
  }
  const std::int64_t seconds = durationUs / 1'000'000;
  return QStringLiteral("%1 min %2 s").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
}

QString priceText(const std::optional<std::int64_t>& cents) {
  if (!cents) {
    return QCoreApplication::translate("OrderDetail", "not priced");
  }
  return QLocale(QLocale::English).toString(static_cast<double>(*cents) / 100.0, 'f', 2);
}

QString labelFor(const std::string& name) {
  QString label = QString::fromStdString(name);
  label.replace(QLatin1Char('_'), QLatin1Char(' '));
  if (!label.isEmpty()) {
    label[0] = label[0].toUpper();
  }
  return label;
}

QString jsonLines(const Json& value) {
  QStringList lines;
  appendLines(value, {}, lines);
  return lines.join(QLatin1Char('\n'));
}

QString withMnemonic(const QString& text, QString& taken) {
  QString escaped = text;
  escaped.replace(QLatin1Char('&'), QStringLiteral("&&"));
  for (qsizetype i = 0; i < escaped.size(); ++i) {
    const QChar letter = escaped[i].toLower();
    if (letter.isLetterOrNumber() && !taken.contains(letter)) {
      taken += letter;
      return escaped.left(i) + QLatin1Char('&') + escaped.mid(i);
    }
  }
  return escaped;
}

QString mnemonicShortcut(const QString& text) {
  for (qsizetype i = 0; i + 1 < text.size(); ++i) {
    if (text[i] == QLatin1Char('&')) {
      if (text[i + 1] == QLatin1Char('&')) {
        ++i;
        continue;
      }
      return QStringLiteral("Alt+") + text[i + 1].toUpper();
    }
  }
  return {};
}

} // namespace opflow::ui
