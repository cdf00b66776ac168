// sync_bench: the sync against a PostgreSQL server it starts itself (a throwaway server
// in a temporary folder on a Unix socket, fsync on, as a shop runs it). A timing program,
// not a test: it prints its figures.
//
//   push         events/s from a backlog through PostgresSharedDatabase::push (batches of
//                1,000: one pipeline of reads, COPY, one pipeline of writes and the
//                commit), beside the naive ways: one INSERT per event in autocommit, and
//                one transaction of single-row INSERTs;
//   join         a new workstation pulling a shop of N orders (Synchronizer::pull into a
//                fresh SQLite workstation database, every order with its history entry
//                and audit entry);
//   propagation  an order created at one workstation until it is in another's database,
//                both syncing as `sync --follow` does (waitForWork, then once()), p50/p99;
//   four at once four workstations pushing small batches (as live work does) at once, a
//                fifth listening: shared commits/s with the shipped wake-up (one NOTIFY per
//                pushed batch) beside a NOTIFY for every event written (a row trigger
//                with the event's id, as a trigger-per-write design sends them).
//
// Flags:  --events N   backlog events to push (default 200000; the naive ways: N/20)
//         --orders N   orders of the shop a workstation joins (default 100000)
//         --changes N  orders created for the propagation figure (default 1000)
//         --pushes N   pushes of each of the four workstations (default 500, 10 events each)
//         --smoke      small counts: checks that every figure's work completes
#include "BenchSupport.h"
#include "PgTestServer.h"

#include "opflow/store/LocalStore.h"
#include "opflow/store/OrderStore.h"
#include "opflow/store/SharedOrders.h"
#include "opflow/sync/PostgresSharedDatabase.h"
#include "opflow/sync/SyncState.h"
#include "opflow/sync/Synchronizer.h"

#include <fmt/format.h>
#include <libpq-fe.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace opflow;
using bench::Clock;
using bench::must;
using bench::secondsSince;

const store::User kAdmin{"root", domain::Role::Admin, false, 0, 0};

// The shared record of a new order, as a workstation's outbox carries it.
Json orderRecord(const std::string& number) {
  return Json{{"number", number},        {"customer", "Acme"},        {"status", "INITIATED"},
              {"priority", 1},           {"price_cents", nullptr},    {"material", "PLA"},
              {"file_name", ""},         {"created_at", 1},           {"updated_at", 1},
              {"assigned_operator", nullptr}, {"hold_reason", nullptr}, {"version", 1},
              {"details", Json::object()}};
}

// The shop's operator whose changes the backlog carries (the shared side takes an order
// change only from a user it knows), as an admin's workstation sends her.
void addShopOperator(sync::SharedDatabase& shared) {
  const Json user{{"name", "olga"},
                  {"role", "operator"},
                  {"disabled", false},
                  {"password_hash", "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"},
                  {"created_at", 1},
                  {"updated_at", 1}};
  const sync::SharedEvent added{"office-user-olga", "office", 1, "user.changed", sync::kPayloadVersion, "olga",
                                std::nullopt, Json{{"user", user}, {"change", {{"action", "user.added"}}}}, 0};
  auto answer = must(shared.push("office", {added}), "add the shop's operator");
  if (answer.acks.size() != 1 || answer.acks[0].outcome != sync::EventOutcome::Applied) {
    throw std::runtime_error("the shop's operator was not taken");
  }
}

// A workstation's backlog: an order created, then a run summary, alternately.
std::vector<sync::SharedEvent> backlog(const std::string& workstation, std::int64_t count) {
  std::vector<sync::SharedEvent> events;
  events.reserve(static_cast<std::size_t>(count));
  for (std::int64_t seq = 1; seq <= count; ++seq) {
    const std::string id = fmt::format("{}-{:09}", workstation, seq);
    if (seq % 2 == 1) {
      const std::string number = fmt::format("{}-{:07}", workstation == "ws-1" ? "ORD" : workstation, seq / 2 + 1);
      Json payload{{"order", orderRecord(number)},
                   {"change", {{"action", "order.created"}, {"user", "olga"}, {"role", "operator"}}}};
      events.push_back({id, workstation, seq, "order.changed", sync::kPayloadVersion, number, 0, std::move(payload), 0});
    } else {
      events.push_back({id, workstation, seq, "run.summary", sync::kPayloadVersion, "run-" + id, std::nullopt,
                        Json{{"operation", "order.create"}, {"state", "succeeded"}}, 0});
    }
  }
  return events;
}

double pushBacklog(sync::SharedDatabase& shared, const std::vector<sync::SharedEvent>& events) {
  constexpr std::size_t kBatch = 1000;
  const auto start = Clock::now();
  for (std::size_t first = 0; first < events.size(); first += kBatch) {
    const std::vector<sync::SharedEvent> batch(events.begin() + static_cast<std::ptrdiff_t>(first),
                                               events.begin() + static_cast<std::ptrdiff_t>(std::min(events.size(), first + kBatch)));
    auto answer = must(shared.push(batch.front().workstation, batch), "push");
    for (const sync::EventAck& ack : answer.acks) {
      if (ack.outcome != sync::EventOutcome::Applied) {
        throw std::runtime_error(fmt::format("event {} was not applied: {}", ack.id, ack.reason));
      }
    }
    if (answer.acks.size() != batch.size()) {
      throw std::runtime_error("a batch was not taken whole");
    }
  }
  return static_cast<double>(events.size()) / secondsSince(start);
}

// The naive ways, straight through libpq into a table of the same columns.
double pushNaive(const std::string& conninfo, const std::vector<sync::SharedEvent>& events, bool oneTransaction) {
  PGconn* connection = PQconnectdb(conninfo.c_str());
  if (PQstatus(connection) != CONNECTION_OK) {
    throw std::runtime_error(PQerrorMessage(connection));
  }
  const auto run = [connection](const char* sql) {
    PGresult* result = PQexec(connection, sql);
    const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
    PQclear(result);
    if (!ok) {
      throw std::runtime_error(PQerrorMessage(connection));
    }
  };
  run("SET client_min_messages = warning; DROP TABLE IF EXISTS naive_events; CREATE TABLE naive_events (position bigint GENERATED ALWAYS AS IDENTITY "
      "PRIMARY KEY, id text NOT NULL UNIQUE, workstation text NOT NULL, seq bigint NOT NULL, kind text NOT NULL, "
      "payload_version integer NOT NULL, subject_id text NOT NULL, base_version bigint, payload json, "
      "created_at bigint NOT NULL, UNIQUE (workstation, seq))");
  const auto start = Clock::now();
  if (oneTransaction) {
    run("BEGIN");
  }
  for (const sync::SharedEvent& event : events) {
    const std::string seq = std::to_string(event.seq);
    const std::string version = std::to_string(event.payloadVersion);
    const std::string base = event.baseVersion ? std::to_string(*event.baseVersion) : "";
    const std::string payload = event.payload.dump();
    const std::string created = std::to_string(event.createdAtMs);
    const char* values[] = {event.id.c_str(),        event.workstation.c_str(), seq.c_str(),
                            event.kind.c_str(),      version.c_str(),           event.subjectId.c_str(),
                            event.baseVersion ? base.c_str() : nullptr,         payload.c_str(),
                            created.c_str()};
    PGresult* result = PQexecParams(connection,
                                    "INSERT INTO naive_events (id, workstation, seq, kind, payload_version, "
                                    "subject_id, base_version, payload, created_at) VALUES ($1, $2, $3, $4, $5, $6, "
                                    "$7, $8, $9)",
                                    9, nullptr, values, nullptr, nullptr, 0);
    const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
    PQclear(result);
    if (!ok) {
      throw std::runtime_error(PQerrorMessage(connection));
    }
  }
  if (oneTransaction) {
    run("COMMIT");
  }
  const double rate = static_cast<double>(events.size()) / secondsSince(start);
  PQfinish(connection);
  return rate;
}

std::unique_ptr<store::LocalStore> workstationDatabase(const std::filesystem::path& dir, const std::string& name,
                                                       sync::SharedDatabase& shared, const std::string& conninfo) {
  auto local = must(store::LocalStore::open({(dir / (name + ".db")).string(), true, store::Durability::Normal, {}}),
                    "open a workstation database");
  must(sync::joinShared(*local, shared, conninfo, name, kAdmin), "join");
  return local;
}

struct Percentiles {
  double p50 = 0;
  double p99 = 0;
};

Percentiles percentiles(std::vector<double> samples) {
  std::sort(samples.begin(), samples.end());
  const auto at = [&samples](double q) {
    return samples[std::min(samples.size() - 1, static_cast<std::size_t>(q * static_cast<double>(samples.size())))];
  };
  return {at(0.50), at(0.99)};
}

// Two workstations following the shop as `sync --follow` does; the time from an order
// created at one to the order in the other's database.
Percentiles propagation(const std::filesystem::path& dir, const std::string& conninfo, int changes) {
  auto shared1 = must(sync::PostgresSharedDatabase::create(conninfo), "create");
  addShopOperator(*shared1);
  auto shared2 = must(sync::PostgresSharedDatabase::open(conninfo), "open");
  auto one = workstationDatabase(dir, "prop-1", *shared1, conninfo);
  auto two = workstationDatabase(dir, "prop-2", *shared2, conninfo);
  std::atomic<bool> stop{false};
  const auto follow = [&stop](store::LocalStore& local, sync::SharedDatabase& shared, const std::string& name) {
    sync::Synchronizer synchronizer(local, shared, name);
    while (!stop.load()) {
      must(synchronizer.once(), "sync");
      (void)must(synchronizer.waitForWork(std::chrono::milliseconds(2000), [&stop] { return stop.load(); }), "wait");
    }
  };
  std::thread first(follow, std::ref(*one), std::ref(*shared1), "prop-1");
  std::thread second(follow, std::ref(*two), std::ref(*shared2), "prop-2");
  store::OrderStore orders1(*one);
  store::OrderStore orders2(*two);
  std::vector<double> samples;
  for (int i = 0; i < changes; ++i) {
    const auto start = Clock::now();
    const store::Order created = must(orders1.create({"", "Acme", 1, std::nullopt, "PLA", "", "", Json::object()},
                                                     {"olga", "operator", "prop-1", "", ""}),
                                      "create");
    while (!orders2.get(created.number)) {
      if (secondsSince(start) > 10) {
        throw std::runtime_error(fmt::format("{} did not arrive within 10 s", created.number));
      }
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    samples.push_back(secondsSince(start) * 1000.0);
  }
  stop = true;
  first.join();
  second.join();
  return percentiles(samples);
}

struct Concurrent {
  double commitsPerSecond = 0;
  double eventsPerSecond = 0;
  std::int64_t wakeUps = 0; // notifications the listener woke for
};

// Four workstations pushing `pushes` batches of `perPush` events each at once into a
// fresh shared database, while a fifth connection listens as a follower does. With
// `notifyEveryWrite`, a row trigger adds a NOTIFY with each event's id to every insert.
Concurrent fourAtOnce(const std::string& conninfo, bool notifyEveryWrite, int pushes, int perPush) {
  constexpr int kWorkstations = 4;
  auto shop = must(sync::PostgresSharedDatabase::create(conninfo), "create");
  addShopOperator(*shop);
  if (notifyEveryWrite) {
    PGconn* connection = PQconnectdb(conninfo.c_str());
    PGresult* result = PQexec(connection,
                              "CREATE FUNCTION opflow.notify_each() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                              "PERFORM pg_notify('opflow_feed', NEW.id); RETURN NULL; END $$; "
                              "CREATE TRIGGER events_notify_each AFTER INSERT ON opflow.events FOR EACH ROW "
                              "EXECUTE FUNCTION opflow.notify_each()");
    const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
    PQclear(result);
    PQfinish(connection);
    if (!ok) {
      throw std::runtime_error("the trigger of a NOTIFY per event was not made");
    }
  }
  std::vector<std::vector<sync::SharedEvent>> backlogs;
  std::vector<std::unique_ptr<sync::PostgresSharedDatabase>> connections;
  for (int i = 0; i < kWorkstations; ++i) {
    backlogs.push_back(backlog(fmt::format("ws-{}", i + 1), static_cast<std::int64_t>(pushes) * perPush));
    connections.push_back(must(sync::PostgresSharedDatabase::open(conninfo), "open"));
  }
  auto listener = must(sync::PostgresSharedDatabase::open(conninfo), "open");
  std::atomic<bool> done{false};
  std::int64_t wakeUps = 0;
  std::thread listening([&] {
    while (!done.load()) {
      wakeUps += must(listener->waitForChange(std::chrono::milliseconds(50)), "listen") ? 1 : 0;
    }
  });
  const auto start = Clock::now();
  std::vector<std::thread> workstations;
  for (int i = 0; i < kWorkstations; ++i) {
    workstations.emplace_back([&, i] {
      const std::vector<sync::SharedEvent>& events = backlogs[static_cast<std::size_t>(i)];
      for (std::size_t first = 0; first < events.size(); first += static_cast<std::size_t>(perPush)) {
        const std::vector<sync::SharedEvent> batch(events.begin() + static_cast<std::ptrdiff_t>(first),
                                                   events.begin() + static_cast<std::ptrdiff_t>(first + perPush));
        auto answer = must(connections[static_cast<std::size_t>(i)]->push(batch.front().workstation, batch), "push");
        if (answer.acks.size() != batch.size()) {
          throw std::runtime_error("a batch was not taken whole");
        }
      }
    });
  }
  for (std::thread& workstation : workstations) {
    workstation.join();
  }
  const double seconds = secondsSince(start);
  done = true;
  listening.join();
  const double commits = static_cast<double>(kWorkstations) * pushes;
  return {commits / seconds, commits * perPush / seconds, wakeUps};
}

} // namespace

int main(int argc, char** argv) {
  std::int64_t events = 200'000;
  std::int64_t orders = 100'000;
  int changes = 1000;
  int pushes = 500;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    const auto next = [&]() -> std::int64_t { return i + 1 < argc ? std::atoll(argv[++i]) : 0; };
    if (flag == "--events") {
      events = next();
    } else if (flag == "--orders") {
      orders = next();
    } else if (flag == "--changes") {
      changes = static_cast<int>(next());
    } else if (flag == "--pushes") {
      pushes = static_cast<int>(next());
    } else if (flag == "--smoke") {
      events = 2000;
      orders = 1000;
      changes = 20;
      pushes = 20;
    } else {
      fmt::print(stderr, "sync_bench: unknown flag {} (--events N, --orders N, --changes N, --pushes N, --smoke)\n",
                 flag);
      return 2;
    }
  }
  try {
    opflow::testing::PgTestServer server(opflow::testing::PgTestServer::Durability::Full);
    const std::filesystem::path dir = server.folder();

    const std::string pushDb = server.database();
    auto shared = must(sync::PostgresSharedDatabase::create(pushDb), "create");
    addShopOperator(*shared);
    const auto pending = backlog("ws-1", events);
    const double batched = pushBacklog(*shared, pending);
    const std::vector<sync::SharedEvent> few(pending.begin(), pending.begin() + std::max<std::int64_t>(1, events / 20));
    const double naiveAutocommit = pushNaive(pushDb, few, false);
    const double naiveTransaction = pushNaive(pushDb, few, true);
    fmt::print("push from a backlog ({} events, batches of 1000): {:.0f} events/s\n", events, batched);
    fmt::print("  naive, one INSERT per event in autocommit ({} events): {:.0f} events/s\n", few.size(), naiveAutocommit);
    fmt::print("  naive, one transaction of single-row INSERTs ({} events): {:.0f} events/s\n", few.size(),
               naiveTransaction);

    const std::string joinDb = server.database();
    auto shop = must(sync::PostgresSharedDatabase::create(joinDb), "create");
    addShopOperator(*shop);
    (void)pushBacklog(*shop, backlog("ws-1", orders * 2));
    auto joiner = workstationDatabase(dir, "joiner", *shop, joinDb);
    const auto joinStart = Clock::now();
    const auto pulled = must(sync::Synchronizer(*joiner, *shop, "joiner").pull(), "pull");
    const double joinSeconds = secondsSince(joinStart);
    if (pulled.pulled != orders + 1) { // and the shop's operator
      throw std::runtime_error(fmt::format("pulled {} orders of {}", pulled.pulled, orders));
    }
    fmt::print("join: a new workstation pulled a shop of {} orders in {:.1f} s ({:.0f} orders/s)\n", orders,
               joinSeconds, static_cast<double>(orders) / joinSeconds);

    const Percentiles seen = propagation(dir, server.database(), changes);
    fmt::print("propagation over {} new orders, both following: p50 {:.1f} ms, p99 {:.1f} ms\n", changes, seen.p50,
               seen.p99);

    // Each way three times, taking turns on fresh databases of one server: the median.
    constexpr int kPerPush = 10;
    constexpr int kTurns = 3;
    std::vector<Concurrent> batches;
    std::vector<Concurrent> writes;
    for (int turn = 0; turn < kTurns; ++turn) {
      batches.push_back(fourAtOnce(server.database(), false, pushes, kPerPush));
      writes.push_back(fourAtOnce(server.database(), true, pushes, kPerPush));
    }
    const auto median = [](std::vector<Concurrent> runs) {
      std::sort(runs.begin(), runs.end(),
                [](const Concurrent& a, const Concurrent& b) { return a.commitsPerSecond < b.commitsPerSecond; });
      return runs[runs.size() / 2];
    };
    const Concurrent coalesced = median(batches);
    const Concurrent everyWrite = median(writes);
    fmt::print("four workstations pushing at once ({} pushes of {} events each), one listening, median of {}:\n",
               pushes, kPerPush, kTurns);
    fmt::print("  one NOTIFY per pushed batch: {:.0f} shared commits/s ({:.0f} events/s), {} wake-ups\n",
               coalesced.commitsPerSecond, coalesced.eventsPerSecond, coalesced.wakeUps);
    fmt::print("  a NOTIFY for every event written: {:.0f} shared commits/s ({:.0f} events/s), {} wake-ups\n",
               everyWrite.commitsPerSecond, everyWrite.eventsPerSecond, everyWrite.wakeUps);
  } catch (const std::exception& failure) {
    fmt::print(stderr, "sync_bench: {}\n", failure.what());
    return 1;
  }
  return 0;
}
