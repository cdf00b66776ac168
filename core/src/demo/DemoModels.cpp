// The demo parts are built from two closed shapes: an axis-aligned box and a tube (a
// cylinder when the inner radius is 0), as triangles with outward normals, in mm.
#include "opflow/demo/DemoModels.h"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <numbers>

namespace opflow::demo {

namespace {

using Vec = std::array<float, 3>;
using Triangle = std::array<Vec, 3>;
using Mesh = std::vector<Triangle>;

void quad(Mesh& mesh, const Vec& a, const Vec& b, const Vec& c, const Vec& d) {
  mesh.push_back({a, b, c});
  mesh.push_back({a, c, d});
}

Mesh box(float x, float y, float z) {
  Mesh mesh;
  const Vec p000{0, 0, 0}, p100{x, 0, 0}, p110{x, y, 0}, p010{0, y, 0};
  const Vec p001{0, 0, z}, p101{x, 0, z}, p111{x, y, z}, p011{0, y, z};
  quad(mesh, p000, p010, p110, p100); // bottom, facing -z
  quad(mesh, p001, p101, p111, p011); // top
  quad(mesh, p000, p100, p101, p001); // front, facing -y
  quad(mesh, p010, p011, p111, p110); // back
  quad(mesh, p000, p001, p011, p010); // left, facing -x
  quad(mesh, p100, p110, p111, p101); // right
  return mesh;
}

Mesh tube(float outer, float inner, float height, int segments) {
  Mesh mesh;
  auto at = [segments](float radius, int i, float z) {
    double angle = 2.0 * std::numbers::pi * i / segments;
    return Vec{static_cast<float>(radius * std::cos(angle)), static_cast<float>(radius * std::sin(angle)), z};
  };
  const Vec bottomCentre{0, 0, 0}, topCentre{0, 0, height};
  for (int i = 0; i < segments; ++i) {
    int j = i + 1;
    Vec ob0 = at(outer, i, 0), ob1 = at(outer, j, 0);
    Vec ot0 = at(outer, i, height), ot1 = at(outer, j, height);
    quad(mesh, ob0, ob1, ot1, ot0); // outer wall
    if (inner <= 0) {
      mesh.push_back({bottomCentre, ob1, ob0});
      mesh.push_back({topCentre, ot0, ot1});
      continue;
    }
    Vec ib0 = at(inner, i, 0), ib1 = at(inner, j, 0);
    Vec it0 = at(inner, i, height), it1 = at(inner, j, height);
    quad(mesh, ib1, ib0, it0, it1); // inner wall, facing the axis
    quad(mesh, ib0, ib1, ob1, ob0); // bottom ring
    quad(mesh, it0, ot0, ot1, it1); // top ring
  }
  return mesh;
}

Mesh moved(Mesh mesh, float dx, float dy, float dz) {
  for (Triangle& triangle : mesh) {
    for (Vec& vertex : triangle) {
      vertex[0] += dx;
      vertex[1] += dy;
      vertex[2] += dz;
    }
  }
  return mesh;
}

Mesh joined(Mesh a, const Mesh& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

Vec normalOf(const Triangle& t) {
  Vec u{t[1][0] - t[0][0], t[1][1] - t[0][1], t[1][2] - t[0][2]};
  Vec v{t[2][0] - t[0][0], t[2][1] - t[0][1], t[2][2] - t[0][2]};
  Vec n{u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]};
  float length = std::sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
  return length > 0 ? Vec{n[0] / length, n[1] / length, n[2] / length} : n;
}

double volumeCm3Of(const Mesh& mesh) {
  double volume = 0.0; // signed tetrahedra against the origin, mm3
  for (const Triangle& t : mesh) {
    volume += (t[0][0] * (t[1][1] * t[2][2] - t[1][2] * t[2][1]) - t[0][1] * (t[1][0] * t[2][2] - t[1][2] * t[2][0]) +
               t[0][2] * (t[1][0] * t[2][1] - t[1][1] * t[2][0])) /
              6.0;
  }
  return volume / 1000.0;
}

Status writeStl(const std::filesystem::path& path, const std::string& name, const Mesh& mesh) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  std::array<char, 80> header{};
  std::string title = "opflow demo part: " + name;
  std::memcpy(header.data(), title.data(), std::min(title.size(), header.size()));
  out.write(header.data(), header.size());
  auto count = static_cast<std::uint32_t>(mesh.size());
  out.write(reinterpret_cast<const char*>(&count), sizeof count);
  for (const Triangle& triangle : mesh) {
    Vec normal = normalOf(triangle);
    out.write(reinterpret_cast<const char*>(normal.data()), sizeof(float) * 3);
    for (const Vec& vertex : triangle) {
      out.write(reinterpret_cast<const char*>(vertex.data()), sizeof(float) * 3);
    }
    const std::uint16_t attributes = 0;
    out.write(reinterpret_cast<const char*>(&attributes), sizeof attributes);
  }
  out.close();
  if (!out) {
    return makeError(ErrorCode::Io, fmt::format("cannot write the demo model \"{}\"", path.string()));
  }
  return {};
}

Status writeObj(const std::filesystem::path& path, const std::string& name, const Mesh& mesh) {
  std::ofstream out(path, std::ios::trunc);
  out << "# opflow demo part: " << name << "\no " << name << "\n";
  for (const Triangle& triangle : mesh) {
    for (const Vec& vertex : triangle) {
      out << fmt::format("v {:.4f} {:.4f} {:.4f}\n", vertex[0], vertex[1], vertex[2]);
    }
  }
  for (std::size_t i = 0; i < mesh.size(); ++i) {
    out << fmt::format("f {} {} {}\n", 3 * i + 1, 3 * i + 2, 3 * i + 3);
  }
  out.close();
  if (!out) {
    return makeError(ErrorCode::Io, fmt::format("cannot write the demo model \"{}\"", path.string()));
  }
  return {};
}

struct Part {
  const char* fileName;
  Mesh mesh;
};

std::vector<Part> demoParts() {
  return {
      {"bracket_block.stl", joined(box(40, 30, 8), moved(box(8, 30, 32), 0, 0, 8))},
      {"shaft_spacer.stl", tube(15, 6, 40, 48)},
      {"ring_60mm.stl", tube(30, 26, 10, 96)},
      {"gear_housing.stl", joined(box(120, 80, 6), moved(tube(30, 24, 40, 64), 60, 40, 6))},
      {"name_plate.stl", box(150, 40, 3)},
      {"knob_cap.stl", tube(18, 0, 22, 64)},
      {"drone_frame.stl", joined(box(260, 40, 12), moved(box(40, 260, 12), 110, -110, 12))},
      {"phone_stand.obj", joined(box(80, 70, 6), moved(box(80, 8, 90), 0, 50, 6))},
  };
}

} // namespace

Result<std::vector<DemoModel>> writeDemoModels(const std::filesystem::path& directory) {
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error) {
    return makeError(ErrorCode::Io,
                     fmt::format("cannot create the demo model folder \"{}\": {}", directory.string(), error.message()));
  }
  std::vector<DemoModel> models;
  for (const Part& part : demoParts()) {
    std::filesystem::path path = directory / part.fileName;
    bool obj = path.extension() == ".obj";
    Status written = obj ? writeObj(path, part.fileName, part.mesh) : writeStl(path, part.fileName, part.mesh);
    if (!written) {
      return written.error();
    }
    models.push_back({part.fileName, path, volumeCm3Of(part.mesh)});
  }
  return models;
}

} // namespace opflow::demo
