#include "opflow/pricing/Material.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace opflow::pricing {

namespace {

struct MaterialEntry {
  Material material;
  const char* name;
  MaterialRates rates;
};

// Rates of a mid-sized print shop, in euro cents: FDM thermoplastics are cheap and slow,
// SLA resin costs more per cm3, SLS nylon builds fast on an expensive machine, and steel
// (DMLS 316L) costs an order of magnitude more in every column.
constexpr std::array kMaterials{
    MaterialEntry{Material::Pla, "PLA", {"FDM", 12, 12.0, 350, 1200, 1.00}},
    MaterialEntry{Material::Petg, "PETG", {"FDM", 14, 10.0, 350, 1200, 1.00}},
    MaterialEntry{Material::Abs, "ABS", {"FDM", 15, 10.0, 400, 1500, 1.05}},
    MaterialEntry{Material::Resin, "RESIN", {"SLA", 30, 18.0, 800, 2000, 1.15}},
    MaterialEntry{Material::Nylon, "NYLON", {"SLS", 45, 40.0, 1800, 4000, 1.10}},
    MaterialEntry{Material::Steel, "STEEL", {"DMLS", 250, 6.0, 6500, 15000, 1.35}},
};

const MaterialEntry& entryOf(Material material) {
  return *std::find_if(kMaterials.begin(), kMaterials.end(),
                       [material](const MaterialEntry& entry) { return entry.material == material; });
}

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::toupper(static_cast<unsigned char>(x)) == std::toupper(static_cast<unsigned char>(y));
  });
}

} // namespace

const char* toString(Material material) { return entryOf(material).name; }

Result<Material> parseMaterial(std::string_view text) {
  std::string known;
  for (const MaterialEntry& entry : kMaterials) {
    if (equalsIgnoringCase(text, entry.name)) {
      return entry.material;
    }
    known += (known.empty() ? "" : ", ") + std::string(entry.name);
  }
  return makeError(ErrorCode::InvalidArgument, fmt::format("unknown material \"{}\" (known: {})", text, known));
}

const MaterialRates& ratesOf(Material material) { return entryOf(material).rates; }

} // namespace opflow::pricing
