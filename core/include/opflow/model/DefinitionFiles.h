// Reading definition files: each path is a JSON file or a directory of *.json files
// (read in name order). Every file is parsed and its texts checked (DefinitionTexts.h);
// none is validated here.
// Thread-safety: free functions.
#pragma once

#include "opflow/Result.h"
#include "opflow/model/OperationDefinition.h"

#include <string>
#include <vector>

namespace opflow::model {

struct DefinitionFile {
  std::string path;
  Result<OperationDefinition> definition;
};

[[nodiscard]] std::vector<DefinitionFile> readDefinitionFiles(const std::vector<std::string>& paths);

} // namespace opflow::model
