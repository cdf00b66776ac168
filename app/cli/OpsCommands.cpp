#include "OpsCommands.h"

#include "Definitions.h"
#include "opflow/export/GraphExport.h"
#include "opflow/model/DefinitionJson.h"

#include <fmt/format.h>

#include <iostream>

namespace opflow::cli {

namespace {
constexpr int kExitOk = 0;
constexpr int kExitInvalid = 1;
constexpr int kExitUsage = 2;
} // namespace

int validateCommand(const std::vector<std::string>& paths) {
  Definitions definitions;
  if (!definitions.loadBuiltins(std::cerr)) {
    return kExitInvalid;
  }
  auto names = definitions.load(paths, std::cerr);
  if (!names) {
    return kExitInvalid;
  }
  std::cout << fmt::format("{} definition(s) valid\n", names->size());
  return kExitOk;
}

int showCommand(const std::string& nameOrFile, const std::string& format, const std::vector<std::string>& load) {
  Definitions definitions;
  if (!definitions.loadBuiltins(std::cerr)) {
    return kExitInvalid;
  }
  if (!load.empty() && !definitions.load(load, std::cerr)) {
    return kExitUsage;
  }
  std::string name = definitions.resolve(nameOrFile, std::cerr);
  if (name.empty()) {
    return kExitUsage;
  }
  const model::OperationDefinition& definition = definitions.catalog().latest(name)->definition();
  if (format == "dot") {
    std::cout << exporting::toDot(definition);
  } else if (format == "mermaid") {
    std::cout << exporting::toMermaid(definition);
  } else {
    std::cout << model::definitionToJson(definition).dump(2) << "\n";
  }
  return kExitOk;
}

int listCommand(bool json, const std::vector<std::string>& load) {
  Definitions definitions;
  if (!definitions.loadBuiltins(std::cerr)) {
    return kExitInvalid;
  }
  if (!load.empty() && !definitions.load(load, std::cerr)) {
    return kExitUsage;
  }
  Json list = Json::array();
  for (const auto& op : definitions.catalog().latestVersions()) {
    const model::OperationDefinition& definition = op->definition();
    list.push_back(Json{{"operation", definition.name},
                        {"version", definition.version},
                        {"title", definition.title},
                        {"roles", definition.roles},
                        {"nodes", definition.nodes.size()},
                        {"source", definitions.isLoaded(definition.name) ? "loaded" : "builtin"},
                        {"content_hash", op->contentHash()}});
  }
  if (json) {
    std::cout << list.dump(2) << "\n";
    return kExitOk;
  }
  for (const Json& item : list) {
    std::cout << fmt::format("{:<30} v{:<3} {:<8} {}\n", item["operation"].get<std::string>(),
                             item["version"].get<std::int64_t>(), item["source"].get<std::string>(),
                             item["title"].get<std::string>());
  }
  return kExitOk;
}

} // namespace opflow::cli
