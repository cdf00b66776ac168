// Signatures: the password check on the caller's thread, the row and its audit entry in
// one unit on the writer thread (which re-checks that the signer is still enabled).
#include "opflow/store/SignatureStore.h"

#include "opflow/engine/RunId.h"
#include "opflow/store/AuditLog.h"
#include "opflow/store/UtcTime.h"

#include <fmt/format.h>

#include <algorithm>

namespace opflow::store {

namespace {

constexpr const char* kSignatureColumns = "id, signer, role, meaning, subject_type, subject_id, workstation, at";

Result<std::optional<Signature>> loadSignature(Database& db, const std::string& id) {
  return selectOne(
      db, fmt::format("SELECT {} FROM signatures WHERE id = ?", kSignatureColumns),
      [](const Statement& r) {
        auto role = domain::parseRole(r.textView(2));
        return Signature{r.text(0), r.text(1), role ? *role : domain::Role::Operator, r.text(3),
                         r.text(4), r.text(5), r.text(6), r.int64(7)};
      },
      id);
}

Json subjectJson(const std::string& type, const std::string& id) { return Json{{"type", type}, {"id", id}}; }

} // namespace

Json Signature::toJson() const {
  return Json{{"id", id}, {"signer", signer}, {"role", domain::toString(role)}, {"meaning", meaning},
              {"at", formatUtcMs(atMs)}};
}

Result<Signature> SignatureStore::sign(const SignRequest& request) {
  if (request.meaning.empty()) {
    return makeError(ErrorCode::InvalidArgument, "a signature needs a meaning (what the signer agrees to)");
  }
  if (request.subjectType.empty() || request.subjectId.empty()) {
    return makeError(ErrorCode::InvalidArgument, "a signature needs a subject (what it is given on)");
  }
  const std::string correlationId = request.correlationId.empty() ? engine::newUuidV7() : request.correlationId;
  auto checked = m_users.authenticate({request.user, request.password});
  if (!checked) {
    return checked.error();
  }
  std::string reason;
  Error told;
  if (!checked->ok()) {
    reason = toString(checked->failure);
    told = UserStore::refusal({request.user, request.password}, checked->failure);
  } else if (!domain::allows(checked->user->role, domain::Permission::Sign)) {
    reason = fmt::format("{} may not sign", domain::withArticle(checked->user->role));
    told = makeError(ErrorCode::PermissionDenied, fmt::format("\"{}\" is {}, and {}", checked->user->name,
                                                              domain::withArticle(checked->user->role), reason));
  }
  const std::string role = checked->user ? domain::toString(checked->user->role) : "";
  auto auditEntry = [&](const std::string& action, Json after, std::string why) {
    AuditEntry entry;
    entry.user = checked->user ? checked->user->name : UserStore::maskedName(request.user);
    entry.role = role;
    entry.workstation = request.workstation;
    entry.correlationId = correlationId;
    entry.action = action;
    entry.subjectType = request.subjectType;
    entry.subjectId = request.subjectId;
    entry.orderNumber = request.orderNumber;
    entry.after = std::move(after);
    entry.reason = std::move(why);
    return entry;
  };
  if (!reason.empty()) {
    Status audited = m_store.writer().execute([&](Database& db) -> Status {
      AuditEntry entry = auditEntry("signature.refused", Json{{"meaning", request.meaning}}, reason);
      return appendAudit(db, entry);
    });
    if (!audited) {
      return audited.error();
    }
    return told;
  }
  Signature signature;
  Status done = m_store.writer().execute([&](Database& db) -> Status {
    auto current = db.prepare("SELECT role, disabled FROM users WHERE name = ?");
    if (!current) {
      return current.error();
    }
    (*current)->bind(1, checked->user->name);
    auto row = (*current)->step();
    if (!row) {
      return row.error();
    }
    if (!*row || (*current)->int64(1) != 0) {
      return UserStore::refusal({request.user, request.password}, LoginFailure::Disabled);
    }
    auto currentRole = domain::parseRole((*current)->textView(0));
    if (!currentRole) {
      return currentRole.error();
    }
    signature = Signature{engine::newUuidV7(), checked->user->name, *currentRole, request.meaning,
                          request.subjectType, request.subjectId, request.workstation, db.nowMs()};
    auto insert = db.prepare(
        "INSERT INTO signatures (id, signer, role, meaning, subject_type, subject_id, workstation, at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    if (!insert) {
      return insert.error();
    }
    (*insert)->bind(1, signature.id).bind(2, signature.signer).bind(3, domain::toString(signature.role));
    (*insert)->bind(4, signature.meaning).bind(5, signature.subjectType).bind(6, signature.subjectId);
    (*insert)->bind(7, signature.workstation).bind(8, signature.atMs);
    if (Status inserted = (*insert)->run(); !inserted) {
      return inserted;
    }
    Json after = signature.toJson();
    after["subject"] = subjectJson(signature.subjectType, signature.subjectId);
    AuditEntry entry = auditEntry("signature.given", std::move(after), "");
    entry.atMs = signature.atMs;
    return appendAudit(db, entry);
  });
  if (!done) {
    return done.error();
  }
  return signature;
}

Result<Signature> SignatureStore::get(const std::string& id) const {
  auto db = m_store.readers().acquire();
  if (!db) {
    return db.error();
  }
  auto found = loadSignature(**db, id);
  if (!found) {
    return found.error();
  }
  if (!*found) {
    return makeError(ErrorCode::NotFound, fmt::format("no signature \"{}\"", id));
  }
  return std::move(**found);
}

Result<Signature> SignatureStore::check(const std::string& id, const SignatureUse& use) {
  std::string reason;
  std::optional<Signature> signature;
  auto found = id.empty() ? Result<Signature>(makeError(
                                ErrorCode::NotFound, "no signature id was given (signal payload {\"signature_id\": ...})"))
                          : get(id);
  if (!found) {
    if (found.error().code != ErrorCode::NotFound) {
      return found.error();
    }
    reason = found.error().message;
  } else {
    signature = *found;
    auto signer = m_users.get(signature->signer);
    if (!signer) {
      return signer.error();
    }
    std::string roleName = domain::toString(signature->role);
    if (signature->subjectType != use.subjectType || signature->subjectId != use.subjectId) {
      reason = fmt::format("signature {} was given on {} {}, not on this {} {}", id, signature->subjectType,
                           signature->subjectId, use.subjectType, use.subjectId);
    } else if (signature->meaning != use.meaning) {
      reason = fmt::format("signature {} means \"{}\", not \"{}\"", id, signature->meaning, use.meaning);
    } else if (std::find(use.roles.begin(), use.roles.end(), roleName) == use.roles.end()) {
      std::string allowed;
      for (const std::string& role : use.roles) {
        allowed += (allowed.empty() ? "" : ", ") + role;
      }
      reason = fmt::format("{} signed as {}; this needs the signature of: {}", signature->signer,
                           domain::withArticle(signature->role),
                           allowed.empty() ? "nobody (no role is allowed)" : allowed);
    } else if (signer->disabled) {
      reason = fmt::format("{} has been disabled since signing", signature->signer);
    } else {
      return *signature;
    }
  }
  Status audited = m_store.writer().execute([&](Database& db) -> Status {
    AuditEntry entry;
    entry.user = use.user;
    entry.role = use.role;
    entry.workstation = use.workstation;
    entry.correlationId = use.correlationId.empty() ? engine::newUuidV7() : use.correlationId;
    entry.action = "signature.rejected";
    entry.subjectType = use.subjectType;
    entry.subjectId = use.subjectId;
    entry.orderNumber = use.orderNumber;
    entry.after = Json{{"signature_id", id},
                       {"signer", signature ? Json(signature->signer) : Json(nullptr)},
                       {"meaning", use.meaning}};
    entry.reason = reason;
    return appendAudit(db, entry);
  });
  if (!audited) {
    return audited.error();
  }
  return makeError(ErrorCode::PermissionDenied, reason);
}

} // namespace opflow::store
