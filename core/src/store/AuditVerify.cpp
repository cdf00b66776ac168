// Verifying the audit chain. One statement walks the table in seq order on the caller's
// (read) connection, so the walk sees one snapshot, streams, and never blocks the writer.
// Each entry's canonical JSON is rebuilt from its stored columns as views, embedding the
// stored before/after text verbatim (no JSON parsing), and checked in this order:
//   1. seq follows the previous seq (a gap: entries were deleted);
//   2. hash == SHA-256(prev_hash + canonical) (otherwise the entry itself was edited);
//   3. prev_hash == the previous entry's hash (otherwise an entry before it was edited
//      and re-hashed, or removed).
// The first entry that fails is named with the reason in words. Removing entries from
// the end of the chain leaves a shorter chain that still verifies: that needs an anchor
// outside this database (the outbox's copy in the shared database).
#include "opflow/store/AuditLog.h"

#include "AuditChain.h"
#include "AuditRows.h"

#include <fmt/format.h>

namespace opflow::store {

Result<AuditVerification> verifyAudit(Database& db) {
  auto select = db.prepareUncached(fmt::format("SELECT {} FROM audit ORDER BY seq", detail::kAuditColumns));
  if (!select) {
    return select.error();
  }
  Statement& row = **select;
  AuditVerification result;
  std::string previousHash(detail::kGenesisHash);
  std::int64_t previousSeq = 0;
  std::string canonical;
  canonical.reserve(1024);

  auto broken = [&result, &row](std::int64_t seq, std::string reason) {
    result.intact = false;
    result.brokenSeq = seq;
    result.brokenId = row.text(1);
    result.reason = std::move(reason);
    return result;
  };

  while (true) {
    auto more = row.step();
    if (!more) {
      return more.error();
    }
    if (!*more) {
      return result;
    }
    const std::int64_t seq = row.int64(0);
    if (seq != previousSeq + 1) {
      return broken(seq, previousSeq == 0
                             ? fmt::format("the chain starts at seq {}: entries 1 to {} were removed", seq, seq - 1)
                             : fmt::format("seq jumps from {} to {}: entries were removed", previousSeq, seq));
    }
    const std::string_view prevHash = row.textView(14);
    const std::string_view hash = row.textView(15);
    canonical.clear();
    detail::appendCanonical(canonical, {seq, row.textView(1), row.int64(2), row.textView(3), row.textView(4),
                                        row.textView(5), row.textView(6), row.textView(7), row.textView(8),
                                        row.textView(9), row.textView(10), row.textView(11), row.textView(12),
                                        row.textView(13)});
    if (!detail::chainHashEquals(prevHash, canonical, hash)) {
      return broken(seq, "hash does not match its content: the entry was edited");
    }
    if (prevHash != previousHash) {
      return broken(seq, previousSeq == 0
                             ? std::string("prev_hash is not the genesis hash: the start of the chain was replaced")
                             : fmt::format("prev_hash does not match entry {}: an entry before it was removed or "
                                           "edited",
                                           previousSeq));
    }
    previousHash.assign(hash);
    previousSeq = seq;
    ++result.checked;
  }
}

} // namespace opflow::store
