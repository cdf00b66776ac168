// DefinitionStore: operation definitions kept in the database, by name and version, with
// their content hash and JSON body, so runs pinned to a version can resume after a
// restart whatever files are around then. A changed definition needs a higher version
// than any stored under its name; the same version with other content is refused; an
// identical re-load is a no-op. A batch is stored whole or not at all, each new
// definition with a "definition.loaded" audit entry and an outbox event that carries it
// to the shop.
// Thread-safety: every member may be called from any thread (writes go to the writer thread).
#pragma once

#include "opflow/engine/RunStore.h"
#include "opflow/model/OperationDefinition.h"
#include "opflow/store/LocalStore.h"
#include "opflow/store/SharedOrders.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace opflow::store {

// How the shop names one version of a definition ("ship v3"): the subject of its audit
// entries and of the event that carries it to the shared database.
[[nodiscard]] std::string definitionSubject(std::string_view name, std::int64_t version);

struct StoredDefinition {
  model::OperationDefinition definition;
  std::string contentHash;
  std::int64_t loadedAtMs = 0;
};

struct DefinitionOutcome {
  std::string name;
  std::int64_t version = 0;
  bool added = false; // false: the same content was stored already
};

class DefinitionStore {
public:
  explicit DefinitionStore(LocalStore& store) : m_store(store) {}

  // Stores the batch durably; refused whole (ErrorCode::Conflict, one problem per refused
  // definition, naming it and its version) when any breaks the version rules.
  [[nodiscard]] Result<std::vector<DefinitionOutcome>> store(const std::vector<model::OperationDefinition>& definitions,
                                                             const engine::Actor& by);
  // Every stored version of every definition, by name then version.
  [[nodiscard]] Result<std::vector<StoredDefinition>> loadAll() const;

private:
  LocalStore& m_store;
};

// Takes a definition another workstation loaded into the shop (`body`, as it travels),
// audited `origin.action` by this workstation's sync: a version of any number, since the
// shop decided it. Other content this workstation loaded under that version is replaced,
// unless a run here ran that version (its record must keep meaning what it ran). False,
// nothing written, when this database holds the shop's content already, or keeps its own.
// InvalidArgument when the body does not read. Runs on the writer's connection, inside the
// caller's transaction.
[[nodiscard]] Result<bool> takeSharedDefinition(Database& db, const Json& body, const SharedOrderOrigin& origin,
                                                const OrderActor& sync);

} // namespace opflow::store
