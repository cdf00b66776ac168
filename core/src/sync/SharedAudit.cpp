#include "opflow/sync/SharedAudit.h"

#include "PushRules.h"
#include "store/AuditChain.h"
#include "store/AuditRows.h"

#include "opflow/store/UtcTime.h"
#include "opflow/sync/SyncState.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <ostream>

#include <fmt/format.h>

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

namespace {

// The shared database this workstation joined, opened for a read by `who` whom `reader`
// allows to review the audit log.
Result<std::unique_ptr<SharedDatabase>> openForReview(store::LocalStore& local, store::AuditReader& reader,
                                                      const store::AuditReaderIdentity& who, const char* command,
                                                      std::chrono::seconds connectTimeout) {
  if (Status allowed = reader.mayReview(who, command); !allowed) {
    return allowed.error();
  }
  auto shop = openJoinedShop(local, connectTimeout);
  if (!shop) {
    return shop.error();
  }
  if (!*shop) {
    return makeError(ErrorCode::NotFound, "this workstation has not joined a shared database, so there is no shop "
                                          "audit log to read");
  }
  return std::move((*shop)->shared);
}

} // namespace

Result<std::vector<ShopAuditEntry>> readShopAudit(store::LocalStore& local, store::AuditReader& reader,
                                                  const store::AuditReaderIdentity& who, const ShopAuditQuery& query,
                                                  std::chrono::seconds connectTimeout) {
  auto shared = openForReview(local, reader, who, "audit list --shop", connectTimeout);
  if (!shared) {
    return shared.error();
  }
  ShopAuditQuery normalized = query;
  // Order numbers are kept upper case, as they are numbered.
  std::string& order = normalized.filter.orderNumber;
  std::transform(order.begin(), order.end(), order.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  auto entries = (*shared)->auditEntries(normalized);
  if (!entries) {
    return shopReadError(entries.error());
  }
  return entries;
}

Status exportShopAudit(store::LocalStore& local, store::AuditReader& reader, const store::AuditReaderIdentity& who,
                       const ShopAuditQuery& query, std::ostream& out, std::chrono::seconds connectTimeout) {
  if (Status allowed = reader.mayExport(who, "audit export --shop"); !allowed) {
    return allowed;
  }
  constexpr std::size_t kPage = 5000;
  std::string buffer = "chain,position,seq,id,at_ms,at,user,role,workstation,correlation_id,action,subject_type,"
                       "subject_id,order_number,before,after,reason,prev_hash,hash\r\n";
  ShopAuditQuery page = query;
  page.limit = kPage;
  page.beforePosition = 0;
  const auto jsonText = [](const Json& value) {
    return value.dump(-1, ' ', false, Json::error_handler_t::replace);
  };
  while (true) {
    auto entries = readShopAudit(local, reader, who, page, connectTimeout);
    if (!entries) {
      return entries.error();
    }
    for (const ShopAuditEntry& shop : *entries) {
      const store::AuditEntry& entry = shop.entry;
      store::detail::appendCsvField(buffer, shop.chain);
      buffer += fmt::format(",{},{},", shop.position, entry.seq);
      store::detail::appendCsvField(buffer, entry.id);
      buffer += fmt::format(",{},{}", entry.atMs, store::formatUtcMs(entry.atMs));
      for (const std::string& text :
           {entry.user, entry.role, entry.workstation, entry.correlationId, entry.action, entry.subjectType,
            entry.subjectId, entry.orderNumber, jsonText(entry.before), jsonText(entry.after), entry.reason,
            entry.prevHash, entry.hash}) {
        buffer += ',';
        store::detail::appendCsvField(buffer, text);
      }
      buffer += "\r\n";
    }
    out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    buffer.clear();
    if (!out) {
      return makeError(ErrorCode::Io, "cannot write the export (disk full or output closed?)");
    }
    if (entries->size() < kPage) {
      return {};
    }
    page.beforePosition = entries->back().position;
  }
}

Result<SharedAuditVerification> verifyShopAudit(store::LocalStore& local, store::AuditReader& reader,
                                                const store::AuditReaderIdentity& who,
                                                std::chrono::seconds connectTimeout) {
  auto shared = openForReview(local, reader, who, "audit verify --shop", connectTimeout);
  if (!shared) {
    return shared.error();
  }
  return verifySharedAudit(**shared);
}

} // namespace opflow::sync
