#include "IntegrityChecks.h"

#include "opflow/store/Migrations.h"
#include "opflow/store/UtcTime.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <mutex>
#include <set>
#include <utility>
#include <vector>

namespace opflow::store::detail {

namespace {

// The audit actions that change an order's row. Migration 7's index audit_order_changes
// has the same list: each probe below names it whole (and narrows it after), so SQLite
// takes the index. A review changes only the version (and the details), and its entry
// records no state: the order's version is its latest state's plus the reviews since.
constexpr const char* kOrderChangeActions =
    "('order.created', 'order.status_changed', 'order.held', 'order.released', 'order.audit_reviewed', "
    "'order.pulled', 'order.conflicted')";
// An entry's `after` where it is JSON, NULL where an edit broke it: one broken row must not
// stop the checks (the chain walk names it).
constexpr const char* kAfter = "(CASE WHEN json_valid(after) THEN after END)";

class Findings {
public:
  explicit Findings(AuditVerification& verification) : m_verification(verification) {}

  void add(const char* check, std::string subject, std::string problem) {
    ++m_verification.findingCount;
    m_verification.intact = false;
    if (m_verification.findings.size() < AuditVerification::kMaxFindingsListed) {
      m_verification.findings.push_back({check, std::move(subject), std::move(problem)});
    }
  }

private:
  AuditVerification& m_verification;
};

// Runs `sql` and hands every row to `visit`.
template <class Visit>
Status forEachRow(Database& db, const std::string& sql, Visit visit) {
  auto statement = db.prepareUncached(sql);
  if (!statement) {
    return statement.error();
  }
  while (true) {
    auto row = (*statement)->step();
    if (!row) {
      return row.error();
    }
    if (!*row) {
      return {};
    }
    visit(static_cast<const Statement&>(**statement));
  }
}

Json parsed(std::string_view text) {
  Json value = Json::parse(text, nullptr, false);
  return value.is_discarded() ? Json(nullptr) : value;
}

std::string lowered(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string shown(const Json& value) { return value.is_string() ? value.get<std::string>() : value.dump(); }

// name -> CREATE TRIGGER text, as this build's migrations make them on a new database.
Result<std::map<std::string, std::string>> triggersOf(Database& db) {
  std::map<std::string, std::string> triggers;
  Status read = forEachRow(db, "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'",
                           [&](const Statement& row) { triggers.emplace(row.text(0), row.text(1)); });
  if (!read) {
    return read.error();
  }
  return triggers;
}

Result<std::map<std::string, std::string>> expectedTriggers() {
  static std::mutex mutex;
  static std::optional<std::map<std::string, std::string>> expected;
  std::lock_guard lock(mutex);
  if (!expected) {
    auto scratch = Database::open({":memory:", false, true, Durability::Normal, 0, {}});
    if (!scratch) {
      return scratch.error();
    }
    if (Status migrated = migrate(**scratch); !migrated) {
      return migrated.error();
    }
    auto triggers = triggersOf(**scratch);
    if (!triggers) {
      return triggers.error();
    }
    expected = std::move(*triggers);
  }
  return *expected;
}

Status checkTriggers(Database& db, Findings& findings) {
  auto expected = expectedTriggers();
  if (!expected) {
    return expected.error();
  }
  auto present = triggersOf(db);
  if (!present) {
    return present.error();
  }
  for (const auto& [name, sql] : *expected) {
    auto found = present->find(name);
    if (found == present->end()) {
      findings.add("triggers", name, "is missing: what it refuses or keeps up to date is no longer guarded");
    } else if (found->second != sql) {
      findings.add("triggers", name, "differs from the one this build's migrations make");
    }
  }
  for (const auto& [name, sql] : *present) {
    if (!expected->contains(name)) {
      findings.add("triggers", name, "is not one this build's migrations make");
    }
  }
  return {};
}

Status checkSignatures(Database& db, Findings& findings) {
  struct Given {
    std::string signer, role, meaning, subjectType, subjectId, at;
  };
  std::map<std::string, Given> given;
  Status read = forEachRow(
      db,
      fmt::format("SELECT json_extract({0}, '$.id'), user, role, json_extract({0}, '$.meaning'), "
                  "json_extract({0}, '$.subject.type'), json_extract({0}, '$.subject.id'), json_extract({0}, '$.at') "
                  "FROM audit WHERE action = 'signature.given'",
                  kAfter),
      [&](const Statement& row) {
        given.emplace(row.text(0), Given{row.text(1), row.text(2), row.text(3), row.text(4), row.text(5), row.text(6)});
      });
  if (!read) {
    return read;
  }
  return forEachRow(
      db, "SELECT id, signer, role, meaning, subject_type, subject_id, at FROM signatures ORDER BY at, id",
      [&](const Statement& row) {
        const std::string id = row.text(0);
        auto found = given.find(id);
        if (found == given.end()) {
          findings.add("signatures", id, "has no \"signature.given\" audit entry: it was not given through a password check");
          return;
        }
        const Given& entry = found->second;
        const std::string at = formatUtcMs(row.int64(6));
        if (lowered(entry.signer) != lowered(row.text(1)) || entry.role != row.text(2) || entry.meaning != row.text(3) ||
            entry.subjectType != row.text(4) || entry.subjectId != row.text(5) || entry.at != at) {
          findings.add("signatures", id,
                       fmt::format("says {} ({}) signed \"{}\" on {} {} at {}, but its audit entry says {} ({}) "
                                   "signed \"{}\" on {} {} at {}",
                                   row.text(1), row.text(2), row.text(3), row.text(4), row.text(5), at, entry.signer,
                                   entry.role, entry.meaning, entry.subjectType, entry.subjectId, entry.at));
        }
      });
}

Status checkUsers(Database& db, Findings& findings) {
  struct Audited {
    std::string role;
    bool disabled = false;
  };
  std::map<std::string, Audited> audited; // by lower-case name (names match case-insensitively)
  Status read = forEachRow(db,
                           fmt::format("SELECT action, subject_id, json_extract({0}, '$.role'), "
                                       "json_extract({0}, '$.disabled') FROM audit "
                                       "WHERE action IN ('user.added', 'user.disabled', 'user.pulled') ORDER BY seq",
                                       kAfter),
                           [&](const Statement& row) {
                             Audited& user = audited[lowered(row.text(1))];
                             if (row.textView(0) == "user.added") {
                               user = Audited{row.text(2), false};
                             } else if (row.textView(0) == "user.pulled") {
                               // The shop's state of the user, as another workstation's admin left it.
                               user = Audited{row.text(2), row.int64(3) != 0};
                             } else {
                               user.disabled = true;
                             }
                           });
  if (!read) {
    return read;
  }
  return forEachRow(db, "SELECT name, role, disabled FROM users ORDER BY name", [&](const Statement& row) {
    const std::string name = row.text(0);
    auto found = audited.find(lowered(name));
    if (found == audited.end()) {
      findings.add("users", name, "has no \"user.added\" audit entry: an admin did not add them");
    } else if (found->second.role != row.text(1)) {
      findings.add("users", name,
                   fmt::format("has the role {}, but was added as {}", row.text(1), found->second.role));
    } else if (found->second.disabled != (row.int64(2) != 0)) {
      findings.add("users", name, found->second.disabled ? "was disabled, but the row says enabled"
                                                         : "is disabled without a \"user.disabled\" audit entry");
    }
  });
}

Status checkSessions(Database& db, Findings& findings) {
  std::map<std::string, std::pair<std::string, std::string>> logins; // session id -> (user, workstation)
  Status read = forEachRow(db,
                           fmt::format("SELECT json_extract({0}, '$.session_id'), json_extract({0}, '$.user'), "
                                       "json_extract({0}, '$.workstation') FROM audit WHERE action = 'user.login'",
                                       kAfter),
                           [&](const Statement& row) { logins.emplace(row.text(0), std::pair{row.text(1), row.text(2)}); });
  if (!read) {
    return read;
  }
  // Sessions the chain says have ended: signed out, idled out, or replaced by a sign-in.
  std::set<std::string> ended;
  read = forEachRow(db,
                    fmt::format("SELECT subject_id FROM audit WHERE action IN ('user.logout', 'user.session_expired') "
                                "UNION ALL SELECT ended.value FROM audit, "
                                "json_each(json_extract({}, '$.ended_sessions')) AS ended WHERE action = 'user.login'",
                                kAfter),
                    [&](const Statement& row) { ended.insert(row.text(0)); });
  if (!read) {
    return read;
  }
  return forEachRow(
      db,
      "SELECT s.id, s.user_name, s.workstation, s.ended_at IS NULL, coalesce(u.disabled, 0) FROM user_sessions AS s "
      "LEFT JOIN users AS u ON u.name = s.user_name ORDER BY s.started_at, s.id",
      [&](const Statement& row) {
        const std::string id = row.text(0);
        const bool open = row.int64(3) != 0;
        auto found = logins.find(id);
        if (found == logins.end()) {
          findings.add("sessions", id,
                       fmt::format("signs {} in at {} without a \"user.login\" audit entry: nobody gave the password",
                                   row.text(1), row.text(2)));
        } else if (lowered(found->second.first) != lowered(row.text(1)) || found->second.second != row.text(2)) {
          findings.add("sessions", id,
                       fmt::format("signs {} in at {}, but {} signed in at {}", row.text(1), row.text(2),
                                   found->second.first, found->second.second));
        } else if (open && ended.contains(id)) {
          findings.add("sessions", id,
                       fmt::format("of {} at {} is open again, though the chain records its end", row.text(1),
                                   row.text(2)));
        } else if (open && row.int64(4) != 0) {
          findings.add("sessions", id, fmt::format("is open for {}, who is disabled", row.text(1)));
        }
      });
}

// The number of an "ORD-000123" order number; none for another form.
std::optional<std::int64_t> sequenceOf(std::string_view number) {
  constexpr std::string_view kPrefix = "ORD-";
  if (number.substr(0, kPrefix.size()) != kPrefix) {
    return std::nullopt;
  }
  number.remove_prefix(kPrefix.size());
  std::int64_t sequence = 0;
  auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), sequence);
  if (error != std::errc() || end != number.data() + number.size()) {
    return std::nullopt;
  }
  return sequence;
}

Status checkOrders(Database& db, Findings& findings) {
  std::vector<std::pair<std::int64_t, std::int64_t>> seeded; // ranges of order sequences an admin seeded
  Status read = forEachRow(db,
                           fmt::format("SELECT json_extract({0}, '$.first'), json_extract({0}, '$.last') FROM audit "
                                       "WHERE action = 'orders.seeded'",
                                       kAfter),
                           [&](const Statement& row) {
                             auto first = sequenceOf(row.textView(0));
                             auto last = sequenceOf(row.textView(1));
                             if (first && last) {
                               seeded.emplace_back(*first, *last);
                             }
                           });
  if (!read) {
    return read;
  }
  auto inSeededRange = [&](std::string_view number) {
    auto sequence = sequenceOf(number);
    return sequence && std::any_of(seeded.begin(), seeded.end(), [&](const auto& range) {
             return *sequence >= range.first && *sequence <= range.second;
           });
  };
  const std::string sql = fmt::format(
      "SELECT number, status, version, hold_reason, price_cents, state, price, history, "
      "  (SELECT count(*) FROM audit WHERE order_number = number AND action IN {0} "
      "     AND action = 'order.audit_reviewed' AND seq > coalesce(state_seq, 0)) "
      "FROM (SELECT o.number, o.status, o.version, o.hold_reason, o.price_cents, o.id, "
      "  (SELECT after FROM audit WHERE order_number = o.number AND action IN {0} "
      "     AND action <> 'order.audit_reviewed' ORDER BY seq DESC LIMIT 1) AS state, "
      "  (SELECT seq FROM audit WHERE order_number = o.number AND action IN {0} "
      "     AND action <> 'order.audit_reviewed' ORDER BY seq DESC LIMIT 1) AS state_seq, "
      "  (SELECT json_object('price', CASE action WHEN 'order.created' THEN json_extract({1}, '$.price_cents') "
      "                                 ELSE json_extract({1}, '$.record.price_cents') END) "
      "     FROM audit WHERE order_number = o.number AND action IN {0} "
      "      AND (action = 'order.created' OR json_type({1}, '$.record.price_cents') IS NOT NULL) "
      "     ORDER BY seq DESC LIMIT 1) AS price, "
      "  (SELECT s.name FROM order_history AS h JOIN order_statuses AS s ON s.position = h.status "
      "     WHERE h.order_id = o.id ORDER BY h.at DESC, h.status DESC LIMIT 1) AS history "
      "FROM orders AS o ORDER BY o.id)",
      kOrderChangeActions, kAfter);
  return forEachRow(db, sql, [&](const Statement& row) {
    const std::string number = row.text(0);
    const std::string status = row.text(1);
    const std::string history = row.isNull(7) ? std::string() : row.text(7);
    const bool audited = !row.isNull(5);
    // Seeded without histories (seed --no-history), an order has none to agree with.
    const bool historyAgrees = history == status || (history.empty() && !audited && inSeededRange(number));
    if (!historyAgrees) {
      findings.add("orders", number,
                   history.empty() ? fmt::format("is {} without any status history", status)
                                   : fmt::format("is {}, but its history last entered {}", status, history));
      return;
    }
    if (!audited) {
      if (!inSeededRange(number)) {
        findings.add("orders", number, "has no audited change and no admin seeded it: it was not made by an operation");
      }
      return;
    }
    const Json change = parsed(row.textView(5));
    const Json hold = row.isNull(3) ? Json(nullptr) : Json(row.text(3));
    Json version = change.value("version", Json());
    if (version.is_number_integer()) {
      version = version.get<std::int64_t>() + row.int64(8);
    }
    if (change.value("status", Json()) != Json(status) || version != Json(row.int64(2)) ||
        change.value("hold_reason", Json()) != hold) {
      findings.add("orders", number,
                   fmt::format("is {} at version {}{}, but its latest audited change left it {} at version {}{}", status,
                               row.int64(2), hold.is_null() ? "" : " on hold " + shown(hold),
                               shown(change.value("status", Json())), shown(version),
                               change.value("hold_reason", Json()).is_null()
                                   ? ""
                                   : " on hold " + shown(change.value("hold_reason", Json()))));
      return;
    }
    if (row.isNull(6)) {
      return; // a seeded order whose audited changes never set a price: the seed's price stands
    }
    const Json price = row.isNull(4) ? Json(nullptr) : Json(row.int64(4));
    const Json auditedPrice = parsed(row.textView(6)).value("price", Json());
    if (price != auditedPrice) {
      findings.add("orders", number,
                   fmt::format("has the price (cents) {}, but its audited changes set {}", shown(price),
                               shown(auditedPrice)));
    }
  });
}

} // namespace

Status crossCheck(Database& db, AuditVerification& verification) {
  Findings findings(verification);
  using Check = Status (*)(Database&, Findings&);
  for (auto [name, check] : {std::pair<const char*, Check>{"triggers", checkTriggers},
                             std::pair<const char*, Check>{"signatures", checkSignatures},
                             std::pair<const char*, Check>{"users", checkUsers},
                             std::pair<const char*, Check>{"sessions", checkSessions},
                             std::pair<const char*, Check>{"orders", checkOrders}}) {
    Status done = check(db, findings);
    if (done) {
      continue;
    }
    // A check that cannot run while the database still answers met a table an attacker
    // broke: a finding, and the other checks go on. A database that no longer answers
    // (a failing disk) is the system failing, not a forgery.
    if (Status answers = db.exec("SELECT count(*) FROM sqlite_schema"); !answers) {
      return done;
    }
    findings.add(name, "", "could not be checked: " + done.error().message);
  }
  return {};
}

} // namespace opflow::store::detail
