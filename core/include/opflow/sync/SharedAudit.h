// SharedAudit: every workstation's audit chain as the shared database holds it, verified
// again: entry by entry, each must follow the one before and hash to the hash it carries,
// as when it arrived. A chain edited in the shared database afterwards (by someone who
// turned its guards off) breaks here, naming the workstation and the entry.
// Thread-safety: one caller at a time per SharedDatabase.
#pragma once

#include "opflow/Result.h"
#include "opflow/sync/SharedDatabase.h"

#include <cstdint>
#include <string>
#include <vector>

namespace opflow::sync {

// One workstation's chain in the shared database.
struct WorkstationChain {
  std::string workstation;
  std::int64_t entries = 0; // verified (up to the broken one)
  bool intact = true;
  std::int64_t brokenSeq = 0; // the first broken entry
  std::string brokenId;
  std::string reason;
};

struct SharedAuditVerification {
  std::vector<WorkstationChain> chains; // by workstation name

  [[nodiscard]] bool intact() const;
};

// Reads the whole feed, `pageSize` events at a time.
[[nodiscard]] Result<SharedAuditVerification> verifySharedAudit(SharedDatabase& shared, std::size_t pageSize = 5000);

} // namespace opflow::sync
