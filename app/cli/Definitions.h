// The CLI's catalog: the shipped handlers and operations, plus definitions loaded from
// files or directories, with every problem printed as "FILE: /json/pointer: message".
// Thread-safety: single-threaded use by one command.
#pragma once

#include "opflow/builtin/Builtin.h"
#include "opflow/engine/HandlerRegistry.h"
#include "opflow/engine/OperationCatalog.h"

#include <iosfwd>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace opflow::cli {

class Definitions {
public:
  // With its own handlers and catalog (loadBuiltins fills them).
  Definitions();
  // Over a catalog someone else filled (a WorkstationHost's).
  explicit Definitions(engine::OperationCatalog& catalog) : m_catalog(&catalog) {}

  // The shipped handlers (bound to `services`) and definitions, into its own catalog
  // (only a Definitions made with the default constructor has one). False when the
  // shipped definitions themselves fail (a build defect); the reason is on `err`.
  [[nodiscard]] bool loadBuiltins(std::ostream& err, const builtin::Services& services = {});
  // Loads every definition of `paths` as one batch and gives their names. Prints each
  // problem and gives nothing if any file or definition has one; nothing is loaded then.
  // `definitions`, when given, receives the loaded definitions (to store them).
  [[nodiscard]] std::optional<std::vector<std::string>> load(const std::vector<std::string>& paths, std::ostream& err,
                                                             std::vector<model::OperationDefinition>* definitions = nullptr);
  // A name, or the path of a definition file (loaded first). Empty when it names nothing.
  [[nodiscard]] std::string resolve(const std::string& nameOrFile, std::ostream& err);

  [[nodiscard]] engine::OperationCatalog& catalog() { return *m_catalog; }
  [[nodiscard]] bool isLoaded(const std::string& name) const { return m_loaded.contains(name); }

private:
  std::unique_ptr<engine::HandlerRegistry> m_handlers;
  std::unique_ptr<engine::OperationCatalog> m_ownCatalog;
  engine::OperationCatalog* m_catalog;
  std::set<std::string> m_loaded;
};

} // namespace opflow::cli
