// DemoShop: `opflow-cli init --demo`, a new workstation database with a living shop
// floor for a newcomer's first look: demo users (passwords published in the README),
// about 10,000 orders in every status with their real histories, and a few price
// calculations running.
//
// The history is not made up row by row: the demo plan's weeks of shop work (DemoPlan)
// are replayed through the shipped lifecycle operations on a simulated clock, by the
// demo's operators and supervisor, so every order, run, step, signature and audit entry
// is what the engine and the stores really write, stamped with the simulated time (the
// store's and the engine's clock, and the pricing worker's, which moves the clock on
// instead of sleeping). Then, on the real clock, a few price calculations are started on
// a worker pool and left mid-flight, as a closed console would leave them: whoever opens
// the database next (the console, `opflow-cli resume`) resumes them.
//
// The shop is built beside its place ("<path>.building", unsynced, as nobody uses it yet)
// and moved there only once whole and synced: a crash, a failure or an interrupt leaves no
// half-built database for the console to open.
//
// The demo users' passwords are public, so their hashes are made at libsodium's minimum
// cost; the database's password cost is interactive again for every user added later.
// Pricing runs at the demo speed factor (a 3-minute calculation takes 3 s).
// Thread-safety: call from one thread; the database must not be open elsewhere.
#pragma once

#include "opflow/Result.h"
#include "opflow/domain/Role.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <vector>

namespace opflow::demo {

struct DemoUser {
  const char* name;
  domain::Role role;
  const char* password;
};

// ada (admin), olga and omar (operators), sam (supervisor), maya (manager).
[[nodiscard]] std::span<const DemoUser> demoUsers();
// sam: the console's demo mode signs them in, so every view is there to see.
[[nodiscard]] const DemoUser& demoSupervisor();

struct DemoOptions {
  std::string path; // the database to create; refused when it exists
  std::int64_t orders = 10'000;
  std::uint64_t seed = 2026;
  int runningPriceCalculations = 3;
  double pricingSpeedFactor = 60.0;
  std::string workstation = "demo-floor";
  // Called at the start, every few hundred steps and at the last, with the steps replayed
  // so far and the plan's total.
  std::function<void(std::size_t done, std::size_t total)> progress;
};

struct DemoReport {
  std::int64_t orders = 0;
  std::map<std::string, std::int64_t> byStatus;
  std::int64_t held = 0;
  std::size_t runs = 0;       // runs started by the replay (refused ones included)
  std::size_t refused = 0;    // planned refusals (wrong file, mistyped tracking number, quality)
  std::size_t signatures = 0;
  std::vector<std::string> unexpected; // runs that ended otherwise than planned (a defect)
  std::vector<std::string> runningRuns; // the price calculations left running
  std::filesystem::path models;
  std::int64_t elapsedMs = 0;
};

[[nodiscard]] Result<DemoReport> createDemoShop(const DemoOptions& options);

} // namespace opflow::demo
