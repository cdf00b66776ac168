// DemoModels: the 3D model files of the demo shop's orders. Real files (binary STL and
// Wavefront OBJ) of simple closed parts (blocks, spacers, rings, housings, plates), so
// the demo's uploads go through the same file checks, checksums and volume measurement
// as a customer's file would.
// Thread-safety: free functions; callers writing into the same directory must not overlap.
#pragma once

#include "opflow/Result.h"

#include <filesystem>
#include <string>
#include <vector>

namespace opflow::demo {

struct DemoModel {
  std::string fileName;        // "gear_housing.stl"
  std::filesystem::path path;  // where it was written
  double volumeCm3 = 0.0;      // the part's true volume
};

// Writes every demo model into `directory` (created when missing); files that exist
// are rewritten. Io names the file that could not be written.
[[nodiscard]] Result<std::vector<DemoModel>> writeDemoModels(const std::filesystem::path& directory);

} // namespace opflow::demo
