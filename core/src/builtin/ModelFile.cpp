// Streaming reads: the file is read twice, once in fixed-size chunks for its hash, once
// for its mesh (binary STL in batches of triangles, ASCII STL and OBJ by word or line), so
// a large model costs time, not memory (OBJ keeps its vertices: faces refer to them).
#include "opflow/builtin/ModelFile.h"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

namespace opflow::builtin {

namespace {

// A rough rule of thumb for formats not parsed here (3MF, STEP): bytes of file per cm3 of
// part. Good to a factor of a few, which is what "estimated" says.
constexpr double kEstimateBytesPerCm3 = 16.0 * 1024.0;
constexpr std::size_t kChunkBytes = 1 << 16;
constexpr std::size_t kStlHeaderBytes = 84;
constexpr std::size_t kStlTriangleBytes = 50;

struct Vec3 {
  double x = 0;
  double y = 0;
  double z = 0;
};

// Six times the signed volume of the tetrahedron (origin, a, b, c).
double signedVolume6(const Vec3& a, const Vec3& b, const Vec3& c) {
  return a.x * (b.y * c.z - b.z * c.y) - a.y * (b.x * c.z - b.z * c.x) + a.z * (b.x * c.y - b.y * c.x);
}

std::string lower(std::string text) {
  for (char& c : text) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return text;
}

Error unreadable(const std::filesystem::path& path, const std::string& why) {
  return makeError(ErrorCode::Io, fmt::format("cannot read {}: {}", path.string(), why));
}

Error malformed(const std::filesystem::path& path, const std::string& why) {
  return makeError(ErrorCode::InvalidArgument, fmt::format("{} is malformed: {}", path.string(), why));
}

std::string hex(const unsigned char* bytes, std::size_t size) {
  std::string text(size * 2 + 1, '\0');
  sodium_bin2hex(text.data(), text.size(), bytes, size);
  text.pop_back();
  return text;
}

Result<std::string> sha256Of(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return unreadable(path, std::strerror(errno));
  }
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  std::vector<char> chunk(kChunkBytes);
  while (in) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    auto got = static_cast<unsigned long long>(in.gcount());
    if (got > 0) {
      crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(chunk.data()), got);
    }
  }
  if (in.bad()) {
    return unreadable(path, "read error");
  }
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256_final(&state, digest.data());
  return hex(digest.data(), digest.size());
}

float littleEndianFloat(const unsigned char* bytes) {
  std::uint32_t bits = static_cast<std::uint32_t>(bytes[0]) | (static_cast<std::uint32_t>(bytes[1]) << 8) |
                       (static_cast<std::uint32_t>(bytes[2]) << 16) | (static_cast<std::uint32_t>(bytes[3]) << 24);
  float value = 0;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

// Sets the volume (mm3 / 1000) and triangle count of `info` from a six-fold volume sum.
void setMeshVolume(ModelFileInfo& info, double volume6Mm3, std::int64_t triangles, const char* method, bool exact) {
  info.volumeCm3 = std::abs(volume6Mm3) / 6.0 / 1000.0;
  info.triangles = triangles;
  info.volumeMethod = method;
  info.volumeExact = exact;
}

Status readBinaryStl(const std::filesystem::path& path, std::uint32_t count, ModelFileInfo& info) {
  std::ifstream in(path, std::ios::binary);
  in.seekg(static_cast<std::streamoff>(kStlHeaderBytes));
  std::vector<unsigned char> chunk(kStlTriangleBytes * 1024);
  double volume6 = 0;
  std::uint32_t left = count;
  while (left > 0) {
    std::uint32_t batch = std::min<std::uint32_t>(left, 1024);
    in.read(reinterpret_cast<char*>(chunk.data()), static_cast<std::streamsize>(batch * kStlTriangleBytes));
    if (in.gcount() != static_cast<std::streamsize>(batch * kStlTriangleBytes)) {
      return unreadable(path, "the file ended while its triangles were read");
    }
    for (std::uint32_t i = 0; i < batch; ++i) {
      const unsigned char* triangle = chunk.data() + i * kStlTriangleBytes + 12; // skip the normal
      Vec3 v[3];
      for (int corner = 0; corner < 3; ++corner) {
        const unsigned char* at = triangle + corner * 12;
        v[corner] = {littleEndianFloat(at), littleEndianFloat(at + 4), littleEndianFloat(at + 8)};
      }
      volume6 += signedVolume6(v[0], v[1], v[2]);
    }
    left -= batch;
  }
  setMeshVolume(info, volume6, count, "stl_binary", true);
  return {};
}

Status readAsciiStl(const std::filesystem::path& path, ModelFileInfo& info) {
  std::ifstream in(path);
  std::string word;
  if (!(in >> word) || lower(word) != "solid") {
    return malformed(path, "an STL file is binary (80-byte header, triangle count, 50 bytes a triangle) or "
                           "ASCII starting with \"solid\"; this is neither");
  }
  double volume6 = 0;
  std::int64_t vertices = 0;
  std::int64_t triangles = 0;
  Vec3 corner[3];
  bool ended = false;
  while (in >> word) {
    std::string token = lower(word);
    if (token == "vertex") {
      Vec3& v = corner[vertices % 3];
      if (!(in >> v.x >> v.y >> v.z)) {
        return malformed(path, fmt::format("vertex {} does not have three numbers", vertices + 1));
      }
      ++vertices;
      if (vertices % 3 == 0) {
        volume6 += signedVolume6(corner[0], corner[1], corner[2]);
        ++triangles;
      }
    } else if (token == "endfacet" && vertices % 3 != 0) {
      return malformed(path, fmt::format("facet {} does not have three vertices", triangles + 1));
    } else if (token == "endsolid") {
      ended = true;
      break;
    }
  }
  if (!ended) {
    return malformed(path, "the ASCII STL has no \"endsolid\" (truncated?)");
  }
  if (triangles == 0) {
    return malformed(path, "the STL has no facets");
  }
  setMeshVolume(info, volume6, triangles, "stl_ascii", true);
  return {};
}

Status readStl(const std::filesystem::path& path, ModelFileInfo& info) {
  std::ifstream in(path, std::ios::binary);
  std::array<unsigned char, kStlHeaderBytes> header{};
  in.read(reinterpret_cast<char*>(header.data()), header.size());
  if (in.gcount() == static_cast<std::streamsize>(header.size())) {
    std::uint32_t count = static_cast<std::uint32_t>(header[80]) | (static_cast<std::uint32_t>(header[81]) << 8) |
                          (static_cast<std::uint32_t>(header[82]) << 16) |
                          (static_cast<std::uint32_t>(header[83]) << 24);
    // The size tells binary from ASCII: some binary headers start with "solid" too.
    if (count > 0 && info.sizeBytes == kStlHeaderBytes + std::uint64_t{count} * kStlTriangleBytes) {
      return readBinaryStl(path, count, info);
    }
  }
  return readAsciiStl(path, info);
}

// "f 1 2 3", "f 1/1 2/2 3/3", "f 1//1 ...": the vertex index before any slash; negative
// indexes count back from the last vertex read.
Status readObj(const std::filesystem::path& path, ModelFileInfo& info) {
  std::ifstream in(path);
  std::vector<Vec3> vertices;
  double volume6 = 0;
  std::int64_t triangles = 0;
  std::string line;
  std::int64_t lineNumber = 0;
  while (std::getline(in, line)) {
    ++lineNumber;
    std::istringstream fields(line);
    std::string kind;
    fields >> kind;
    if (kind == "v") {
      Vec3 v;
      if (!(fields >> v.x >> v.y >> v.z)) {
        return malformed(path, fmt::format("line {}: a vertex needs three numbers", lineNumber));
      }
      vertices.push_back(v);
    } else if (kind == "f") {
      std::vector<std::size_t> face;
      std::string corner;
      while (fields >> corner) {
        long index = std::strtol(corner.c_str(), nullptr, 10);
        long resolved = index < 0 ? static_cast<long>(vertices.size()) + index : index - 1;
        if (index == 0 || resolved < 0 || resolved >= static_cast<long>(vertices.size())) {
          return malformed(path, fmt::format("line {}: face corner \"{}\" names no vertex", lineNumber, corner));
        }
        face.push_back(static_cast<std::size_t>(resolved));
      }
      if (face.size() < 3) {
        return malformed(path, fmt::format("line {}: a face needs three corners", lineNumber));
      }
      for (std::size_t i = 1; i + 1 < face.size(); ++i) {
        volume6 += signedVolume6(vertices[face[0]], vertices[face[i]], vertices[face[i + 1]]);
        ++triangles;
      }
    }
  }
  if (triangles == 0) {
    return malformed(path, "the OBJ file has no faces");
  }
  setMeshVolume(info, volume6, triangles, "obj_mesh", false);
  return {};
}

} // namespace

Json ModelFileInfo::toJson() const {
  return Json{{"path", path},
              {"name", name},
              {"extension", extension},
              {"size_bytes", sizeBytes},
              {"sha256", sha256},
              {"volume_cm3", volumeCm3 ? Json(std::round(*volumeCm3 * 1000.0) / 1000.0) : Json(nullptr)},
              {"volume_exact", volumeExact},
              {"volume_method", volumeMethod},
              {"triangles", triangles}};
}

Result<ModelFileInfo> inspectModelFile(const std::filesystem::path& path) {
  std::error_code error;
  auto status = std::filesystem::status(path, error);
  if (error || !std::filesystem::exists(status)) {
    return unreadable(path, "no such file");
  }
  if (!std::filesystem::is_regular_file(status)) {
    return unreadable(path, "not a regular file");
  }
  ModelFileInfo info;
  info.path = path.string();
  info.name = path.filename().string();
  std::string extension = path.extension().string();
  info.extension = lower(extension.empty() ? extension : extension.substr(1));
  info.sizeBytes = std::filesystem::file_size(path, error);
  if (error) {
    return unreadable(path, error.message());
  }
  if (sodium_init() < 0) {
    return makeError(ErrorCode::Internal, "libsodium could not be initialised");
  }
  auto digest = sha256Of(path);
  if (!digest) {
    return digest.error();
  }
  info.sha256 = *digest;
  info.volumeMethod = "none";
  if (info.sizeBytes == 0) {
    return info;
  }
  Status measured;
  if (info.extension == "stl") {
    measured = readStl(path, info);
  } else if (info.extension == "obj") {
    measured = readObj(path, info);
  } else if (info.extension == "3mf" || info.extension == "step" || info.extension == "stp") {
    info.volumeCm3 = static_cast<double>(info.sizeBytes) / kEstimateBytesPerCm3;
    info.volumeMethod = "size_estimate";
  }
  if (!measured) {
    return measured.error();
  }
  return info;
}

} // namespace opflow::builtin
