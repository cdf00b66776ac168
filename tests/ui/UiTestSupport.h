// Shared pieces of the ui tests: a registry of QtTest classes (so that one executable
// runs many suites) and a catalog loaded with the shipped operations.
#pragma once

#include "opflow/builtin/Builtin.h"
#include "opflow/engine/HandlerRegistry.h"
#include "opflow/engine/OperationCatalog.h"

#include <QHash>
#include <QImage>
#include <QObject>
#include <QString>

#include <algorithm>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace opflow::uitest {

using SuiteFactory = std::function<std::unique_ptr<QObject>()>;

inline std::vector<SuiteFactory>& suites() {
  static std::vector<SuiteFactory> registered;
  return registered;
}

inline bool registerSuite(SuiteFactory factory) {
  suites().push_back(std::move(factory));
  return true;
}

// The shipped handlers and operations, in a catalog of the test's own.
struct BuiltinCatalog {
  engine::HandlerRegistry registry;
  engine::OperationCatalog catalog{registry};

  std::string error; // why load() failed

  // Loads the shipped handlers and definitions; false (with `error`) when that fails.
  [[nodiscard]] bool load() {
    if (auto status = builtin::registerHandlers(registry); !status) {
      error = status.error().describe();
      return false;
    }
    if (auto status = builtin::loadDefinitions(catalog); !status) {
      error = status.error().describe();
      return false;
    }
    return true;
  }
};

// Why `image` looks blank (a null image, few colours, or one colour covering 90% of
// it), or an empty string when it shows something.
[[nodiscard]] inline QString whyBlank(const QImage& image) {
  if (image.isNull()) {
    return QStringLiteral("no image");
  }
  QHash<QRgb, int> counts;
  for (int y = 0; y < image.height(); ++y) {
    for (int x = 0; x < image.width(); ++x) {
      ++counts[image.pixel(x, y)];
    }
  }
  if (counts.size() <= 16) {
    return QStringLiteral("only %1 colours").arg(counts.size());
  }
  const int commonest = *std::max_element(counts.cbegin(), counts.cend());
  if (commonest >= image.width() * image.height() * 9 / 10) {
    return QStringLiteral("one colour covers %1 of %2 pixels").arg(commonest).arg(image.width() * image.height());
  }
  return {};
}

} // namespace opflow::uitest

// Registers the QtTest class `Suite` (default-constructible) with main.cpp.
#define OPFLOW_UI_TEST(Suite)                                                                        \
  namespace {                                                                                        \
  [[maybe_unused]] const bool registered##Suite = opflow::uitest::registerSuite([] { return std::make_unique<Suite>(); }); \
  }
