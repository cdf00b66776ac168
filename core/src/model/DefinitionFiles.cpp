#include "opflow/model/DefinitionFiles.h"

#include "opflow/model/DefinitionJson.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace opflow::model {

namespace {

Result<OperationDefinition> readOne(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return makeError(ErrorCode::Io, fmt::format("cannot read {}", path.string()),
                     {Problem{"", "cannot open the file for reading"}});
  }
  std::ostringstream text;
  text << file.rdbuf();
  return definitionFromText(text.str());
}

} // namespace

std::vector<DefinitionFile> readDefinitionFiles(const std::vector<std::string>& paths) {
  std::vector<DefinitionFile> files;
  for (const std::string& path : paths) {
    std::error_code error;
    if (std::filesystem::is_directory(path, error)) {
      std::vector<std::filesystem::path> entries;
      for (const auto& entry : std::filesystem::directory_iterator(path, error)) {
        if (entry.is_regular_file() && entry.path().extension() == ".json") {
          entries.push_back(entry.path());
        }
      }
      std::sort(entries.begin(), entries.end());
      for (const auto& entry : entries) {
        files.push_back({entry.string(), readOne(entry)});
      }
    } else if (std::filesystem::exists(path, error)) {
      files.push_back({path, readOne(path)});
    } else {
      files.push_back({path, makeError(ErrorCode::NotFound, fmt::format("no such file or directory: {}", path),
                                       {Problem{"", "no such file or directory"}})});
    }
  }
  return files;
}

} // namespace opflow::model
