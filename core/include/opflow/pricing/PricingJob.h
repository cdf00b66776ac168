// The pricing job's plan: the phases a price calculation goes through and how long each
// takes at speed factor 1, as a real slicer-based quote would.
//
// Duration: 2 minutes of fixed work (loading, repairing and orienting the mesh, the quote
// itself) plus 0.6 s per cm3 of part, weighted by how hard the material is to prepare
// (supports for resin and steel, nesting for nylon), plus 1 s per extra copy (up to 120),
// at most 25 minutes. A typical part (10 to 100 cm3) takes 2 to 3 minutes; a part of a
// few litres takes the full 25.
// Phases, in order, with their share of the duration: mesh analysis 15%, support
// generation 20%, slicing 35%, material and machine time 20%, quote 10%.
// Thread-safety: pure functions on value types.
#pragma once

#include "opflow/pricing/PriceModel.h"

#include <chrono>
#include <string>
#include <vector>

namespace opflow::pricing {

inline constexpr std::chrono::milliseconds kMaxJobDuration = std::chrono::minutes(25);

struct JobPhase {
  std::string name;  // "mesh_analysis", "support_generation", "slicing", "machine_time", "quote"
  std::string label; // what the operator reads: "Analysing the mesh"
  double startFraction = 0.0;             // of the whole job
  double endFraction = 0.0;
  std::chrono::milliseconds duration{0};  // at speed factor 1
};

struct JobPlan {
  std::vector<JobPhase> phases;         // their durations add up to `duration`
  std::chrono::milliseconds duration{0}; // at speed factor 1
};

// The plan of the job that prices `request` (assumed valid: see validate()).
[[nodiscard]] JobPlan planJob(const PriceRequest& request);

} // namespace opflow::pricing
