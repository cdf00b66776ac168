#include "opflow/model/DefinitionFiles.h"

#include "opflow/JsonBounds.h"
#include "opflow/model/DefinitionJson.h"
#include "opflow/model/DefinitionTexts.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace opflow::model {

namespace {

Error unreadable(const std::filesystem::path& path, std::string why) {
  return makeError(ErrorCode::Io, fmt::format("cannot read {}", path.string()), {Problem{"", std::move(why)}});
}

// A device, a FIFO or a file past the definition limit is refused without being read.
Result<OperationDefinition> readOne(const std::filesystem::path& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    return unreadable(path, "not a regular file");
  }
  const std::uintmax_t size = std::filesystem::file_size(path, error);
  if (error) {
    return unreadable(path, error.message());
  }
  if (size > kDefinitionLimits.maxBytes) {
    return makeError(ErrorCode::InvalidDefinition, fmt::format("{} is too large", path.string()),
                     {Problem{"", fmt::format("{} bytes, over the limit of {}", size, kDefinitionLimits.maxBytes)}});
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return unreadable(path, "cannot open the file for reading");
  }
  std::string text(static_cast<std::size_t>(size), '\0');
  file.read(text.data(), static_cast<std::streamsize>(size));
  if (static_cast<std::uintmax_t>(file.gcount()) != size) {
    return unreadable(path, "the file could not be read to its end");
  }
  auto definition = definitionFromText(text);
  if (!definition) {
    return definition;
  }
  if (auto problems = textProblems(*definition); !problems.empty()) {
    return makeError(ErrorCode::InvalidDefinition,
                     fmt::format("{} has names or descriptions that cannot be shown as they are", path.string()),
                     std::move(problems));
  }
  return definition;
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
