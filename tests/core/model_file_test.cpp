// file.inspect's reading of real model files: the fixtures in tests/fixtures/models/ (a
// 10 mm cube as binary STL and as OBJ, a 20 x 10 x 10 mm box as ASCII STL) and files
// written here to be empty, truncated or of another format.
#include "StoreTestSupport.h"

#include "opflow/builtin/ModelFile.h"

#include <gmock/gmock.h>

#include <fstream>

namespace opflow::builtin {
namespace {

using ::testing::HasSubstr;

const std::filesystem::path kModels = std::filesystem::path(OPFLOW_FIXTURES_DIR) / "models";

class ModelFileTest : public ::testing::Test {
protected:
  std::filesystem::path write(const std::string& name, const std::string& content) {
    std::filesystem::path path = dir.path() / name;
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }

  store::test::TempDir dir;
};

TEST_F(ModelFileTest, BinaryStlVolumeIsExactEvenWhenItsHeaderSaysSolid) {
  auto info = inspectModelFile(kModels / "cube_10mm_binary.stl");
  ASSERT_TRUE(info) << info.error().describe();
  EXPECT_EQ(info->extension, "stl");
  EXPECT_EQ(info->name, "cube_10mm_binary.stl");
  EXPECT_EQ(info->sizeBytes, 684u);
  EXPECT_EQ(info->sha256, "29500121ea1d41df27eb2473958203c934bfa9c1b620740eb0f31ce950dea0a3");
  ASSERT_TRUE(info->volumeCm3);
  EXPECT_DOUBLE_EQ(*info->volumeCm3, 1.0);
  EXPECT_TRUE(info->volumeExact);
  EXPECT_EQ(info->volumeMethod, "stl_binary");
  EXPECT_EQ(info->triangles, 12);
}

TEST_F(ModelFileTest, AsciiStlVolumeIsExact) {
  auto info = inspectModelFile(kModels / "box_20x10x10mm_ascii.stl");
  ASSERT_TRUE(info) << info.error().describe();
  EXPECT_EQ(info->sha256, "6a43a614ec7670aeb43cb957810a59ecebdbf2bf1b57ad0236b5ca464e5d3fe6");
  EXPECT_DOUBLE_EQ(*info->volumeCm3, 2.0);
  EXPECT_TRUE(info->volumeExact);
  EXPECT_EQ(info->volumeMethod, "stl_ascii");
  EXPECT_EQ(info->triangles, 12);
}

TEST_F(ModelFileTest, ObjVolumeComesFromItsFacesButIsMarkedEstimated) {
  auto info = inspectModelFile(kModels / "cube_10mm.obj");
  ASSERT_TRUE(info) << info.error().describe();
  EXPECT_DOUBLE_EQ(*info->volumeCm3, 1.0);
  EXPECT_FALSE(info->volumeExact);
  EXPECT_EQ(info->volumeMethod, "obj_mesh");
  EXPECT_EQ(info->triangles, 12);
}

TEST_F(ModelFileTest, StepAndThreeMfAreEstimatedFromTheirSize) {
  auto step = inspectModelFile(write("bracket.STEP", std::string(32 * 1024, 'x')));
  ASSERT_TRUE(step) << step.error().describe();
  EXPECT_EQ(step->extension, "step");
  EXPECT_DOUBLE_EQ(*step->volumeCm3, 2.0);
  EXPECT_FALSE(step->volumeExact);
  EXPECT_EQ(step->volumeMethod, "size_estimate");
  EXPECT_EQ(step->toJson()["volume_exact"], false);

  auto threeMf = inspectModelFile(write("gear.3mf", std::string(16 * 1024, 'x')));
  ASSERT_TRUE(threeMf);
  EXPECT_DOUBLE_EQ(*threeMf->volumeCm3, 1.0);
}

TEST_F(ModelFileTest, AnEmptyFileHasAChecksumButNoVolume) {
  auto info = inspectModelFile(write("empty.stl", ""));
  ASSERT_TRUE(info) << info.error().describe();
  EXPECT_EQ(info->sizeBytes, 0u);
  EXPECT_EQ(info->sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_FALSE(info->volumeCm3);
  EXPECT_EQ(info->toJson()["volume_cm3"], nullptr);
}

TEST_F(ModelFileTest, OtherExtensionsAreReadWithoutAVolume) {
  auto info = inspectModelFile(write("notes.txt", "hello"));
  ASSERT_TRUE(info);
  EXPECT_EQ(info->extension, "txt");
  EXPECT_FALSE(info->volumeCm3);
  EXPECT_EQ(info->volumeMethod, "none");
}

TEST_F(ModelFileTest, MalformedOrMissingFilesSayWhy) {
  auto missing = inspectModelFile(dir.path() / "nowhere.stl");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::Io);
  EXPECT_THAT(missing.error().message, HasSubstr("no such file"));

  auto folder = inspectModelFile(dir.path());
  EXPECT_THAT(folder.error().message, HasSubstr("not a regular file"));

  auto truncated = inspectModelFile(write("cut.stl", "solid cut\n facet normal 0 0 1\n  outer loop\n   vertex 0 0 0\n"));
  ASSERT_FALSE(truncated);
  EXPECT_EQ(truncated.error().code, ErrorCode::InvalidArgument);
  EXPECT_THAT(truncated.error().message, HasSubstr("no \"endsolid\""));

  auto garbage = inspectModelFile(write("noise.stl", "this is not a model at all"));
  EXPECT_THAT(garbage.error().message, HasSubstr("neither"));

  auto badVertex = inspectModelFile(write("bad.stl", "solid b\nfacet normal 0 0 1\nouter loop\nvertex 0 zero 0\n"));
  EXPECT_THAT(badVertex.error().message, HasSubstr("vertex 1 does not have three numbers"));

  auto badFace = inspectModelFile(write("bad.obj", "v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 7\n"));
  EXPECT_THAT(badFace.error().message, HasSubstr("line 4: face corner \"7\" names no vertex"));
}

} // namespace
} // namespace opflow::builtin
