// The materials the shop prints with, and what each costs: the material itself per cm3,
// how fast its process builds parts, the machine's hourly rate, the set-up of a job and
// how much harder the part is to prepare (supports, nesting) than a plain FDM part.
// Thread-safety: constants and pure functions.
#pragma once

#include "opflow/Result.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace opflow::pricing {

enum class Material { Pla, Petg, Abs, Resin, Nylon, Steel };

struct MaterialRates {
  const char* process = "";              // "FDM", "SLA", "SLS", "DMLS"
  std::int64_t centsPerCm3 = 0;          // the material, with waste
  double cm3PerHour = 1.0;               // build rate of the process
  std::int64_t machineCentsPerHour = 0;  // machine and operator time
  std::int64_t setupCents = 0;           // per job: build preparation, post-processing set-up
  double preparationFactor = 1.0;        // how much longer the part takes to prepare than plain FDM
};

// "PLA", "PETG", "ABS", "RESIN", "NYLON", "STEEL".
[[nodiscard]] const char* toString(Material material);
// Case-insensitive; InvalidArgument naming the known materials otherwise.
[[nodiscard]] Result<Material> parseMaterial(std::string_view text);
[[nodiscard]] const MaterialRates& ratesOf(Material material);

} // namespace opflow::pricing
