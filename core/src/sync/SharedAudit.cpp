#include "opflow/sync/SharedAudit.h"

#include "PushRules.h"
#include "store/AuditChain.h"

#include <algorithm>
#include <map>

namespace opflow::sync {

bool SharedAuditVerification::intact() const {
  return std::all_of(chains.begin(), chains.end(), [](const WorkstationChain& chain) { return chain.intact; });
}

Result<SharedAuditVerification> verifySharedAudit(SharedDatabase& shared, std::size_t pageSize) {
  struct Walk {
    WorkstationChain chain;
    detail::ChainEnd end{0, std::string(store::detail::kGenesisHash)};
  };
  std::map<std::string, Walk> walks;
  std::int64_t position = 0;
  while (true) {
    auto page = shared.feed(position, pageSize);
    if (!page) {
      return page.error();
    }
    if (page->events.empty()) {
      break;
    }
    for (const FeedEvent& item : page->events) {
      // Refused entries never joined the chain there.
      if (item.event.kind != "audit.entry" || item.outcome != EventOutcome::Applied) {
        continue;
      }
      Walk& walk = walks[item.event.workstation];
      walk.chain.workstation = item.event.workstation;
      if (!walk.chain.intact) {
        continue;
      }
      const std::optional<std::string> broken =
          detail::payloadFault(item.event).has_value()
              ? std::optional<std::string>("the entry no longer reads as an audit entry")
              : detail::chainBreak(item.event, walk.end);
      if (broken) {
        walk.chain.intact = false;
        walk.chain.brokenSeq = walk.end.seq + 1;
        walk.chain.brokenId = item.event.subjectId;
        walk.chain.reason = *broken;
        continue;
      }
      walk.end = {walk.end.seq + 1, item.event.payload.at("hash").get<std::string>()};
      ++walk.chain.entries;
    }
    position = page->cursor;
  }
  SharedAuditVerification verification;
  for (auto& [name, walk] : walks) {
    verification.chains.push_back(std::move(walk.chain));
  }
  return verification;
}

} // namespace opflow::sync
