// Seeding: orders are generated in creation order (ids and created_at both ascend), so
// every index receives appends at a few hot spots; a large page cache during the seed
// keeps those pages in memory until commit.
#include "opflow/store/OrderSeeder.h"

#include "schema/Schema.h"

#include "opflow/domain/HoldReason.h"
#include "opflow/domain/OrderStatus.h"
#include "opflow/domain/Role.h"
#include "opflow/engine/RunId.h"
#include "opflow/store/AuditLog.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <random>
#include <tuple>
#include <unordered_map>

namespace opflow::store {

namespace {

using domain::OrderStatus;

constexpr std::array kCustomers{
    "Acme Fabrication",        "Northwind Components",  "Baltic Precision GmbH",   "Riverside Robotics",
    "Kestrel Aerospace",       "Hollis & Sons Tooling", "Bluewater Marine Parts",  "Vantage Medical Devices",
    "Orchard Prototyping",     "Summit Bike Works",     "Ironbridge Engineering",  "Lumen Optics",
    "Cascade Drone Labs",      "Meridian Automotive",   "Pinecrest Furniture Co.", "Harbor Light Instruments",
    "Granite Peak Outdoor",    "Tidewater Pumps",       "Silverline Audio",        "Fieldstone Agritech",
    "Copperleaf Electronics",  "Redwood Enclosures",    "Atlas Packaging Systems", "Nordvik Hydraulics AS",
    "Quarry Lane Studios",     "Blackthorn Firearms Training", "Sparrow Educational Kits", "Helix Bioprinting",
    "Oakridge Dental Lab",     "Windmill Energy Parts", "Cobalt Motion Control",   "Starling Toys",
    "Evergreen Lab Supplies",  "Falcon Ridge Racing",   "Mosaic Architecture",     "Juniper Home Goods",
    "Beacon Hill Hospital",    "Thornbury Rail Services", "Polaris Camera Rigs",   "Saltmarsh Brewing Co.",
    "Ashford University Lab",  "Keystone HVAC",         "Lighthouse Robotics Club", "Ember Kitchenware",
};
constexpr std::array kParts{"bracket", "housing",  "gear",   "spacer",   "mount",   "enclosure", "hinge",
                            "clip",    "adapter",  "knob",   "manifold", "flange",  "impeller",  "lever",
                            "panel",   "bushing",  "handle", "cover",    "nozzle",  "frame"};
constexpr std::array kOperators{"alice", "bob", "chen", "dana", "emil", "farah", "gus", "hana"};

struct Material {
  const char* name;
  const char* extension;
  double centsPerGram;
};
constexpr std::array kMaterials{
    Material{"PLA", "stl", 6.0},  Material{"PETG", "stl", 7.0},       Material{"ABS", "stl", 7.5},
    Material{"Nylon", "stl", 14.0}, Material{"Resin", "stl", 18.0},  Material{"Aluminium", "step", 45.0},
    Material{"Steel", "step", 38.0},
};
// Share of each status, in lifecycle order then CANCELLED: early statuses dominate.
constexpr std::array kStatusWeights{14.0, 12.0, 12.0, 11.0, 10.0, 9.0, 8.0, 7.0, 6.0, 6.0, 5.0};
constexpr std::array kPriorityWeights{20.0, 55.0, 18.0, 7.0};

constexpr std::int64_t kHourMs = 3'600'000;
constexpr std::int64_t kDayMs = 24 * kHourMs;
constexpr std::int64_t kSpanMs = 730 * kDayMs; // orders were created over the last two years

struct Generated {
  std::string number;
  const char* customer;
  OrderStatus status;
  int priority;
  std::optional<std::int64_t> priceCents;
  const Material* material;
  std::string fileName;
  std::int64_t createdAtMs;
  std::int64_t updatedAtMs;
  const char* assignedOperator;
  std::optional<domain::HoldReason> hold;
  std::int64_t version;
  std::vector<std::pair<OrderStatus, std::int64_t>> timeline;
};

class Generator {
public:
  Generator(std::uint64_t seed, std::int64_t count, std::int64_t nowMs)
      : m_random(seed), m_statuses(kStatusWeights.begin(), kStatusWeights.end()),
        m_priorities(kPriorityWeights.begin(), kPriorityWeights.end()), m_count(count), m_nowMs(nowMs) {}

  void next(std::int64_t index, std::int64_t id, Generated& order) {
    order.number = fmt::format("ORD-{:06}", id);
    order.customer = kCustomers[pick(kCustomers.size())];
    order.status = static_cast<OrderStatus>(m_statuses(m_random));
    order.priority = m_priorities(m_random);
    order.material = &kMaterials[pick(kMaterials.size())];
    order.fileName = fmt::format("{}_v{}.{}", kParts[pick(kParts.size())], 1 + pick(6), order.material->extension);
    // Creation times ascend with the id, spread over the span, a little jitter kept monotonic.
    std::int64_t start = m_nowMs - kSpanMs;
    std::int64_t created = start + (m_count > 1 ? kSpanMs * index / m_count : 0) + pick(1000);
    order.createdAtMs = std::max(created, m_lastCreatedMs);
    m_lastCreatedMs = order.createdAtMs;

    // The timeline: one move per step up to the status (a cancel after a few steps).
    order.timeline.clear();
    std::int64_t at = order.createdAtMs;
    order.timeline.emplace_back(OrderStatus::Initiated, at);
    int steps = order.status == OrderStatus::Cancelled ? static_cast<int>(pick(5)) : domain::positionOf(order.status);
    std::int64_t room = std::max<std::int64_t>(m_nowMs - at, steps + 1);
    std::int64_t stepMs = std::max<std::int64_t>(1, std::min<std::int64_t>(36 * kHourMs, room / (steps + 1)));
    for (int step = 1; step <= steps; ++step) {
      at += 1 + static_cast<std::int64_t>(m_unit(m_random) * static_cast<double>(stepMs));
      order.timeline.emplace_back(static_cast<OrderStatus>(step), at);
    }
    if (order.status == OrderStatus::Cancelled) {
      at += 1 + static_cast<std::int64_t>(m_unit(m_random) * static_cast<double>(stepMs));
      order.timeline.emplace_back(OrderStatus::Cancelled, at);
    }
    order.updatedAtMs = at;
    order.version = static_cast<std::int64_t>(order.timeline.size());

    bool priced = order.status == OrderStatus::Cancelled
                      ? order.timeline.size() > 4
                      : domain::positionOf(order.status) >= domain::positionOf(OrderStatus::PriceCalculated);
    order.priceCents.reset();
    if (priced) {
      double grams = 20.0 + m_unit(m_random) * m_unit(m_random) * 2500.0;
      auto cents = static_cast<std::int64_t>(grams * order.material->centsPerGram) + 500;
      order.priceCents = cents / 5 * 5;
    }
    order.assignedOperator =
        domain::positionOf(order.status) >= domain::positionOf(OrderStatus::ManufacturingStarted) &&
                order.status != OrderStatus::Cancelled
            ? kOperators[pick(kOperators.size())]
            : nullptr;
    order.hold.reset();
    if (!domain::isFinal(order.status) && pick(100) < 4) {
      order.hold = domain::allHoldReasons()[pick(domain::allHoldReasons().size())];
      order.version += 1;
    }
  }

private:
  std::size_t pick(std::size_t n) { return static_cast<std::size_t>(m_random() % n); }

  std::mt19937_64 m_random;
  std::discrete_distribution<int> m_statuses;
  std::discrete_distribution<int> m_priorities;
  std::uniform_real_distribution<double> m_unit{0.0, 1.0};
  std::int64_t m_count;
  std::int64_t m_nowMs;
  std::int64_t m_lastCreatedMs = 0;
};

// Rows go in as multi-row INSERTs: the counts trigger makes SQLite keep a statement
// journal (the pages a statement changes, so that statement alone can be undone), and
// with one row per statement it copied every touched index page for every order: a
// million small writes to a temp file per 50,000 orders. One statement per chunk of rows
// journals each page once per chunk.
constexpr std::int64_t kRowsPerInsert = 256;

std::string multiRowInsert(std::string_view head, int columns, std::int64_t rows) {
  std::string one = "(?";
  for (int column = 1; column < columns; ++column) {
    one += ", ?";
  }
  one += ")";
  std::string sql(head);
  sql += " VALUES ";
  for (std::int64_t row = 0; row < rows; ++row) {
    sql += row == 0 ? one : ", " + one;
  }
  return sql;
}

constexpr std::string_view kOrderInsert =
    "INSERT INTO orders (id, number, customer, status, priority, price_cents, material, file_name, created_at, "
    "updated_at, assigned_operator, hold_reason, version)";
constexpr int kOrderColumns = 13;
constexpr std::string_view kHistoryInsert = "INSERT INTO order_history (order_id, at, status)";
constexpr int kHistoryColumns = 3;

void bindOrder(Statement& statement, int first, std::int64_t id, const Generated& order) {
  statement.bind(first, id)
      .bind(first + 1, order.number)
      .bind(first + 2, order.customer)
      .bind(first + 3, domain::toString(order.status))
      .bind(first + 4, order.priority);
  if (order.priceCents) {
    statement.bind(first + 5, *order.priceCents);
  } else {
    statement.bindNull(first + 5);
  }
  statement.bind(first + 6, order.material->name)
      .bind(first + 7, order.fileName)
      .bind(first + 8, order.createdAtMs)
      .bind(first + 9, order.updatedAtMs);
  if (order.assignedOperator) {
    statement.bind(first + 10, order.assignedOperator);
  } else {
    statement.bindNull(first + 10);
  }
  if (order.hold) {
    statement.bind(first + 11, domain::toString(*order.hold));
  } else {
    statement.bindNull(first + 11);
  }
  statement.bind(first + 12, order.version);
}

struct HistoryRow {
  std::int64_t orderId;
  std::int64_t at;
  int status;
};

// Inserts `rows` (at most kRowsPerInsert) with one statement: the cached full-size one, or
// a one-off for a shorter tail.
template <typename Row, typename Bind>
Status insertRows(Database& db, std::string_view head, int columns, const std::vector<Row>& rows, Bind bind) {
  if (rows.empty()) {
    return {};
  }
  auto count = static_cast<std::int64_t>(rows.size());
  auto run = [&](Statement& statement) {
    for (std::size_t i = 0; i < rows.size(); ++i) {
      bind(statement, static_cast<int>(i) * columns + 1, rows[i]);
    }
    Status done = statement.run();
    statement.reset();
    return done;
  };
  if (count == kRowsPerInsert) {
    auto statement = db.prepare(multiRowInsert(head, columns, count));
    if (!statement) {
      return statement.error();
    }
    return run(**statement);
  }
  auto statement = db.prepareUncached(multiRowInsert(head, columns, count));
  if (!statement) {
    return statement.error();
  }
  return run(**statement);
}

// The writer's settings while it seeds, and after (Database::open's defaults).
constexpr const char* kSeedingPragmas = "PRAGMA cache_size = -524288; PRAGMA temp_store = FILE";
constexpr const char* kSettledPragmas = "PRAGMA cache_size = -2000; PRAGMA temp_store = MEMORY";

// The dashboard's rollups of the seeded history (see schema::dashboardRollupsV1), tallied
// as the rows are generated and written once a batch: what the history trigger would count
// row by row, at a small part of its cost. An order's rows come together, in time order.
class HistoryRollups {
public:
  void add(std::int64_t orderId, std::int64_t at, int status) {
    m_flow[key(at / kHourMs, status, 0)] += 1;
    if (orderId == m_lastOrder && at > m_lastAt) {
      const auto seconds = static_cast<double>(std::max<std::int64_t>((at - m_lastAt) / 1000, 1));
      const auto bucket = static_cast<int>(std::floor(4 * std::log2(seconds)));
      m_stageHours[key(at / kHourMs, m_lastStatus, bucket)] += 1;
      m_stageDays[key(at / kDayMs, m_lastStatus, bucket)] += 1;
    }
    m_lastOrder = orderId;
    m_lastAt = at;
    m_lastStatus = status;
  }

  // Adds the tallies to the rollup tables, and starts again.
  Status write(Database& db) {
    constexpr const char* kFlow = "INSERT INTO order_flow_hours (hour, status, entered) VALUES (?, ?, ?) "
                                  "ON CONFLICT (hour, status) DO UPDATE SET entered = entered + excluded.entered";
    constexpr const char* kStageHours = "INSERT INTO order_stage_hours (hour, stage, bucket, orders) VALUES (?, ?, ?, ?) "
                                        "ON CONFLICT (hour, stage, bucket) DO UPDATE SET orders = orders + excluded.orders";
    constexpr const char* kStageDays = "INSERT INTO order_stage_days (day, stage, bucket, orders) VALUES (?, ?, ?, ?) "
                                       "ON CONFLICT (day, stage, bucket) DO UPDATE SET orders = orders + excluded.orders";
    for (const auto& [sql, tallies, withBucket] : {std::tuple{kFlow, &m_flow, false},
                                                   std::tuple{kStageHours, &m_stageHours, true},
                                                   std::tuple{kStageDays, &m_stageDays, true}}) {
      auto statement = db.prepare(sql);
      if (!statement) {
        return statement.error();
      }
      for (const auto& [packed, count] : *tallies) {
        Statement& s = **statement;
        s.bind(1, static_cast<std::int64_t>(packed >> 16)).bind(2, static_cast<std::int64_t>((packed >> 8) & 0xff));
        if (withBucket) {
          s.bind(3, static_cast<std::int64_t>(packed & 0xff)).bind(4, count);
        } else {
          s.bind(3, count);
        }
        if (Status done = s.run(); !done) {
          return done;
        }
        s.reset();
      }
      tallies->clear();
    }
    m_lastOrder = -1;
    return {};
  }

private:
  // A time (hours or days since the epoch), a status position and a bucket (0..255) in one key.
  static std::uint64_t key(std::int64_t time, int status, int bucket) {
    return (static_cast<std::uint64_t>(time) << 16) | (static_cast<std::uint64_t>(status) << 8) |
           static_cast<std::uint64_t>(bucket);
  }

  std::unordered_map<std::uint64_t, std::int64_t> m_flow;
  std::unordered_map<std::uint64_t, std::int64_t> m_stageHours;
  std::unordered_map<std::uint64_t, std::int64_t> m_stageDays;
  std::int64_t m_lastOrder = -1;
  std::int64_t m_lastAt = 0;
  int m_lastStatus = 0;
};

} // namespace

std::span<const char* const> seedCustomers() { return kCustomers; }

Result<SeedReport> seedOrders(LocalStore& store, const SeedOptions& options) {
  if (options.count < 0) {
    return makeError(ErrorCode::InvalidArgument, fmt::format("cannot seed {} orders", options.count));
  }
  if (options.by.user.empty() || options.by.role != domain::toString(domain::Role::Admin)) {
    return makeError(ErrorCode::PermissionDenied,
                     fmt::format("seeding orders is an admin's work, not {}'s (role \"{}\"): generated orders reach "
                                 "every status without their operations",
                                 options.by.user.empty() ? std::string("nobody") : options.by.user, options.by.role));
  }
  {
    auto db = store.readers().acquire();
    if (!db) {
      return db.error();
    }
    auto joined = selectOne(**db, "SELECT workstation FROM sync_state", [](const Statement& row) { return row.text(0); });
    if (!joined) {
      return joined.error();
    }
    if (*joined) {
      return makeError(ErrorCode::Conflict,
                       fmt::format("this database is workstation \"{}\" of a shop: seeded orders would take numbers "
                                   "the shared database hands to others, and never reach it; seed a database on its own",
                                   **joined));
    }
  }
  auto started = std::chrono::steady_clock::now();
  SeedReport report;
  Generator generator(options.seed, options.count, nowMs());

  // A large page cache while seeding keeps the indexes' hot pages in memory until commit.
  // Statement journals go to a file meanwhile: in memory, releasing each statement's
  // savepoint walks the journal of the whole batch from its start (SQLite's memjrnlTruncate),
  // and seeding a million orders took ten times as long.
  if (Status cache = store.writer().execute([](Database& db) { return db.exec(kSeedingPragmas); }); !cache) {
    return cache.error();
  }
  std::int64_t done = 0;
  const std::string correlationId = engine::newUuidV7();
  while (done < options.count) {
    std::int64_t batch = std::min(options.batch, options.count - done);
    std::string firstNumber;
    std::string lastNumber;
    std::int64_t batchHistory = 0;
    Status written = store.writer().execute([&](Database& db) -> Status {
      batchHistory = 0;
      std::int64_t lastId = 0;
      {
        auto next = db.prepare("SELECT coalesce(max(id), 0) FROM orders");
        if (!next) {
          return next.error();
        }
        auto row = (*next)->step();
        if (!row) {
          return row.error();
        }
        lastId = (*next)->int64(0);
      }
      // Row by row the rollup trigger would double the seeding's time: the batch's rollups
      // are tallied here and written once, and the trigger made again, in this transaction.
      if (options.histories) {
        if (Status dropped = db.exec("DROP TRIGGER order_history_rollup"); !dropped) {
          return dropped;
        }
      }
      std::vector<std::pair<std::int64_t, Generated>> orders;
      std::vector<HistoryRow> history;
      HistoryRollups rollups;
      auto flushOrders = [&]() -> Status {
        Status inserted = insertRows(db, kOrderInsert, kOrderColumns, orders,
                                     [](Statement& statement, int first, const std::pair<std::int64_t, Generated>& row) {
                                       bindOrder(statement, first, row.first, row.second);
                                     });
        orders.clear();
        return inserted;
      };
      auto flushHistory = [&]() -> Status {
        Status inserted = insertRows(db, kHistoryInsert, kHistoryColumns, history,
                                     [](Statement& statement, int first, const HistoryRow& row) {
                                       statement.bind(first, row.orderId).bind(first + 1, row.at).bind(first + 2,
                                                                                                       row.status);
                                     });
        history.clear();
        return inserted;
      };
      Generated order;
      for (std::int64_t i = 0; i < batch; ++i) {
        std::int64_t id = lastId + 1 + i;
        generator.next(done + i, id, order);
        orders.emplace_back(id, order);
        if (options.histories) {
          for (const auto& [status, at] : order.timeline) {
            history.push_back({id, at, domain::positionOf(status)});
            rollups.add(id, at, domain::positionOf(status));
            if (static_cast<std::int64_t>(history.size()) == kRowsPerInsert) {
              // The orders first: each history row refers to its order.
              if (Status flushed = flushOrders(); !flushed) {
                return flushed;
              }
              if (Status flushed = flushHistory(); !flushed) {
                return flushed;
              }
            }
          }
          batchHistory += static_cast<std::int64_t>(order.timeline.size());
        }
        if (static_cast<std::int64_t>(orders.size()) == kRowsPerInsert) {
          if (Status flushed = flushOrders(); !flushed) {
            return flushed;
          }
        }
      }
      if (Status flushed = flushOrders(); !flushed) {
        return flushed;
      }
      if (Status flushed = flushHistory(); !flushed) {
        return flushed;
      }
      if (options.histories) {
        if (Status tallied = rollups.write(db); !tallied) {
          return tallied;
        }
        if (Status made = db.exec(schema::orderHistoryRollupTrigger()); !made) {
          return made;
        }
      }
      // Each batch commits with the audit entry that says what it added, by whom, from
      // which seed value: the orders' past is made up, the seeding is what happened.
      firstNumber = fmt::format("ORD-{:06}", lastId + 1);
      lastNumber = fmt::format("ORD-{:06}", lastId + batch);
      AuditEntry entry;
      entry.user = options.by.user;
      entry.role = options.by.role;
      entry.workstation = options.by.workstation;
      entry.correlationId = correlationId;
      entry.action = "orders.seeded";
      entry.subjectType = "orders";
      entry.subjectId = fmt::format("{}..{}", firstNumber, lastNumber);
      entry.after = Json{{"orders", batch}, {"seed", options.seed}, {"first", firstNumber}, {"last", lastNumber},
                         {"history_rows", batchHistory}};
      entry.reason = "generated orders: their past is made up";
      return appendAudit(db, entry);
    });
    if (!written) {
      static_cast<void>(store.writer().execute([](Database& db) { return db.exec(kSettledPragmas); }));
      return written.error();
    }
    if (report.firstNumber.empty()) {
      report.firstNumber = firstNumber;
    }
    report.lastNumber = lastNumber;
    report.historyRows += batchHistory;
    done += batch;
  }
  Status settled = store.writer().execute([](Database& db) { return db.exec(kSettledPragmas); });
  if (!settled) {
    return settled.error();
  }
  report.orders = done;
  report.elapsedMs =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  return report;
}

} // namespace opflow::store
