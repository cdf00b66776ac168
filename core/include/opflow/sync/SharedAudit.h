// SharedAudit: every workstation's audit chain as the shared database holds it, verified
// again: entry by entry, each must follow the one before and hash to the hash it carries,
// as when it arrived. A chain edited in the shared database afterwards (by someone who
// turned its guards off) breaks here, naming the workstation and the entry. And the
// shop's audit log read from a workstation, with its reading rules.
// Thread-safety: one caller at a time per SharedDatabase.
#pragma once

#include "opflow/Result.h"
#include "opflow/store/AuditReader.h"
#include "opflow/store/LocalStore.h"
#include "opflow/sync/SharedDatabase.h"

#include <chrono>
#include <iosfwd>

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

// The shop's audit log as a person at this workstation reads it (the console's shop
// scope): `who` must be allowed to review the audit log here (AuditReader::mayReview,
// audited when refused); the shared database this workstation joined is opened for the
// read, and counts as unreachable (Unavailable) when it does not answer within
// `connectTimeout`. A workstation that never joined one is told so (NotFound).
[[nodiscard]] Result<std::vector<ShopAuditEntry>> readShopAudit(store::LocalStore& local, store::AuditReader& reader,
                                                                const store::AuditReaderIdentity& who,
                                                                const ShopAuditQuery& query,
                                                                std::chrono::seconds connectTimeout);
// The shop's entries `query` selects (its keyset and limit are the export's own), newest
// first, as CSV: the chain's workstation in the shop and the feed position, then the
// columns of this workstation's export. By the rule of AuditReader::exportTo
// (supervisors), audited when refused.
[[nodiscard]] Status exportShopAudit(store::LocalStore& local, store::AuditReader& reader,
                                     const store::AuditReaderIdentity& who, const ShopAuditQuery& query,
                                     std::ostream& out, std::chrono::seconds connectTimeout);
// Every workstation's chain in the shared database verified, by the same rules.
[[nodiscard]] Result<SharedAuditVerification> verifyShopAudit(store::LocalStore& local, store::AuditReader& reader,
                                                              const store::AuditReaderIdentity& who,
                                                              std::chrono::seconds connectTimeout);

} // namespace opflow::sync
