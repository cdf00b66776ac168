// The demo shop's model files: real binary STL and OBJ files of closed parts whose
// volumes are known.
#include "StoreTestSupport.h"

#include "opflow/demo/DemoModels.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <numbers>

namespace {

using opflow::demo::DemoModel;
using opflow::demo::writeDemoModels;
using opflow::store::test::TempDir;

const DemoModel& find(const std::vector<DemoModel>& models, const std::string& name) {
  for (const DemoModel& model : models) {
    if (model.fileName == name) {
      return model;
    }
  }
  ADD_FAILURE() << "no demo model " << name;
  return models.front();
}

// The area of a regular polygon with `segments` corners on a circle of `radius`.
double polygonArea(double radius, int segments) {
  return 0.5 * segments * radius * radius * std::sin(2.0 * std::numbers::pi / segments);
}

TEST(DemoModelsTest, WritesEveryPartAsARealFile) {
  TempDir dir;
  auto models = writeDemoModels(dir.path() / "models");
  ASSERT_TRUE(models) << models.error().describe();
  ASSERT_GE(models->size(), 6u);
  for (const DemoModel& model : *models) {
    ASSERT_TRUE(std::filesystem::is_regular_file(model.path)) << model.fileName;
    EXPECT_GT(model.volumeCm3, 0.0) << model.fileName;
    if (model.path.extension() == ".stl") {
      std::ifstream file(model.path, std::ios::binary);
      file.seekg(80);
      std::uint32_t triangles = 0;
      file.read(reinterpret_cast<char*>(&triangles), sizeof triangles);
      EXPECT_EQ(std::filesystem::file_size(model.path), 84u + 50u * triangles) << model.fileName;
    }
  }
}

TEST(DemoModelsTest, VolumesMatchTheShapes) {
  TempDir dir;
  auto models = writeDemoModels(dir.path());
  ASSERT_TRUE(models) << models.error().describe();
  EXPECT_NEAR(find(*models, "bracket_block.stl").volumeCm3, (40 * 30 * 8 + 8 * 30 * 32) / 1000.0, 1e-3);
  EXPECT_NEAR(find(*models, "name_plate.stl").volumeCm3, 150 * 40 * 3 / 1000.0, 1e-3);
  EXPECT_NEAR(find(*models, "ring_60mm.stl").volumeCm3, (polygonArea(30, 96) - polygonArea(26, 96)) * 10 / 1000.0,
              1e-3);
  EXPECT_NEAR(find(*models, "knob_cap.stl").volumeCm3, polygonArea(18, 64) * 22 / 1000.0, 1e-3);
}

TEST(DemoModelsTest, AnUnwritableFolderIsNamed) {
  TempDir dir;
  std::ofstream(dir.path() / "taken") << "a file, not a folder";
  auto models = writeDemoModels(dir.path() / "taken" / "models");
  ASSERT_FALSE(models);
  EXPECT_EQ(models.error().code, opflow::ErrorCode::Io);
  EXPECT_NE(models.error().message.find("taken"), std::string::npos);
}

} // namespace
