// Shared pieces of the ui tests: a registry of QtTest classes (so that one executable
// runs many suites) and a catalog loaded with the shipped operations.
#pragma once

#include "opflow/builtin/Builtin.h"
#include "opflow/engine/HandlerRegistry.h"
#include "opflow/engine/OperationCatalog.h"

#include <QObject>

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

} // namespace opflow::uitest

// Registers the QtTest class `Suite` (default-constructible) with main.cpp.
#define OPFLOW_UI_TEST(Suite)                                                                        \
  namespace {                                                                                        \
  [[maybe_unused]] const bool registered##Suite = opflow::uitest::registerSuite([] { return std::make_unique<Suite>(); }); \
  }
