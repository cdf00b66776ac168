// ModelFile: what the shop needs to know about a customer's 3D model file before it takes
// the order: its extension, size, SHA-256 (libsodium) and the part's volume.
//
// The volume is exact for STL, binary or ASCII: the sum of the signed volumes of the
// tetrahedra each triangle forms with the origin (the divergence theorem; a closed mesh
// gives the enclosed volume whatever its position). STL has no unit: millimetres are
// assumed, as every slicer does. OBJ faces are fan-triangulated and summed the same way,
// but an OBJ may hold open or several overlapping meshes, so its volume is marked
// estimated. 3MF (a zip) and STEP (a B-rep) are not parsed here: their volume is a rough
// estimate from the file size, marked so, for a first price that the shop confirms.
// Thread-safety: pure functions (they read the file).
#pragma once

#include "opflow/Json.h"
#include "opflow/Result.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace opflow::builtin {

struct ModelFileInfo {
  std::string path;
  std::string name;      // the file name without its folder
  std::string extension; // lower case, without the dot ("stl"); "" when none
  std::uint64_t sizeBytes = 0;
  std::string sha256; // lower-case hex
  std::optional<double> volumeCm3; // none for an empty file or an unknown format
  bool volumeExact = false;
  std::string volumeMethod; // "stl_binary", "stl_ascii", "obj_mesh", "size_estimate", "none"
  std::int64_t triangles = 0; // of the mesh the volume came from (0 for size estimates)

  [[nodiscard]] Json toJson() const;
};

// Reads the file. An error (ErrorCode::Io or InvalidArgument) says why it could not be read,
// or why an STL or OBJ file is malformed.
[[nodiscard]] Result<ModelFileInfo> inspectModelFile(const std::filesystem::path& path);

} // namespace opflow::builtin
