#include "OpsCommands.h"

#include "Definitions.h"
#include "EngineSession.h"
#include "Identity.h"
#include "Output.h"
#include "opflow/export/GraphExport.h"
#include "opflow/flowchart/FlowchartLayout.h"
#include "opflow/flowchart/FlowchartSvg.h"
#include "opflow/model/DefinitionJson.h"

#include "opflow/AtomicFile.h"

#include <fmt/format.h>
#include <unistd.h>

#include <optional>
#include <iostream>

namespace opflow::cli {

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

namespace {

// The flowchart drawn as SVG or PNG; prints why not and returns nullopt on failure.
std::optional<std::string> drawing(const model::OperationDefinition& definition, const std::string& format,
                                   double scale) {
  auto geometry = flowchart::layoutFlowchart(definition);
  if (!geometry) {
    std::cerr << fmt::format("cannot draw {}: {}\n", definition.name, geometry.error().describe());
    return std::nullopt;
  }
  std::string svg = flowchart::toSvg(*geometry);
  if (format == "svg") {
    return svg;
  }
  auto png = flowchart::svgToPng(svg, scale);
  if (!png) {
    std::cerr << fmt::format("cannot draw {} as PNG: {} (a smaller --scale, or --format svg, may do)\n",
                             definition.name, png.error().describe());
    return std::nullopt;
  }
  return std::move(png).value();
}

} // namespace

int showCommand(const ShowRequest& request) {
  if (request.format == "png" && request.out.empty() && isatty(STDOUT_FILENO) != 0) {
    std::cerr << "refusing to write a PNG (binary) to the terminal: give --out FILE or redirect the output\n";
    return kExitUsage;
  }
  Definitions definitions;
  if (!definitions.loadBuiltins(std::cerr)) {
    return kExitInvalid;
  }
  if (!request.load.empty() && !definitions.load(request.load, std::cerr)) {
    return kExitUsage;
  }
  std::string name = definitions.resolve(request.target, std::cerr);
  if (name.empty()) {
    return kExitUsage;
  }
  const model::OperationDefinition& definition = definitions.catalog().latest(name)->definition();
  std::string text;
  if (request.format == "dot") {
    text = exporting::toDot(definition);
  } else if (request.format == "mermaid") {
    text = exporting::toMermaid(definition);
  } else if (request.format == "svg" || request.format == "png") {
    auto drawn = drawing(definition, request.format, request.scale);
    if (!drawn) {
      return kExitInvalid;
    }
    text = std::move(*drawn);
  } else {
    text = model::definitionToJson(definition).dump(2) + "\n";
  }
  if (request.out.empty()) {
    std::cout << text << std::flush;
    return std::cout ? kExitOk : kExitFailed;
  }
  Status written = writeFileAtomically(request.out, [&text](std::ostream& out) {
    out << text;
    return Status{};
  });
  if (!written) {
    return failed(written.error());
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
    printJson(std::cout, list);
    return kExitOk;
  }
  for (const Json& item : list) {
    std::cout << fmt::format("{:<30} v{:<3} {:<8} {}\n", item["operation"].get<std::string>(),
                             item["version"].get<std::int64_t>(), item["source"].get<std::string>(),
                             item["title"].get<std::string>());
  }
  return kExitOk;
}

int loadCommand(const std::vector<std::string>& paths, const CliContext& context) {
  auto session = EngineSession::open(context, "ops load", std::cerr);
  if (!session) {
    return kExitUsage;
  }
  auto admin = databaseActor(session->users(), {}, std::nullopt, domain::Permission::Administer, "ops load", std::cerr);
  if (!admin) {
    return kExitUsage;
  }
  auto outcomes = session->loadAndStore(paths, *admin, std::cerr);
  if (!outcomes) {
    return kExitUsage;
  }
  for (const store::DefinitionOutcome& outcome : *outcomes) {
    std::cout << fmt::format("{} v{}: {}\n", outcome.name, outcome.version,
                             outcome.added ? "stored" : "unchanged (already stored)");
  }
  return kExitOk;
}

void registerOpsCommands(CLI::App& app, CliContext& context) {
  CLI::App* ops = app.add_subcommand("ops", "Validate, show, list and load operation definitions");
  ops->require_subcommand(1);

  auto validatePaths = std::make_shared<std::vector<std::string>>();
  CLI::App* validate = ops->add_subcommand("validate", "Check definition files (exit 1 naming every problem)");
  validate->add_option("files", *validatePaths, "Definition files or directories of *.json")->required();
  validate->callback([&context, validatePaths] { context.exitCode = validateCommand(*validatePaths); });

  auto showRequest = std::make_shared<ShowRequest>();
  CLI::App* show = ops->add_subcommand("show", "Print an operation as JSON, Graphviz DOT or Mermaid, or draw it as SVG or PNG");
  show->add_option("operation", showRequest->target, "An operation name or a definition file")->required();
  show->add_option("--format", showRequest->format, "json, dot, mermaid, svg or png")
      ->check(CLI::IsMember({"json", "dot", "mermaid", "svg", "png"}));
  show->add_option("--out", showRequest->out,
                   "Write to this file instead of standard output (a PNG is never written to a terminal)");
  show->add_option("--scale", showRequest->scale, "PNG pixels per point of the drawing")
      ->check(CLI::Range(0.1, 8.0));
  show->add_option("--load", showRequest->load, "Extra definition files or directories");
  show->callback([&context, showRequest] { context.exitCode = showCommand(*showRequest); });

  struct ListOptions {
    bool json = false;
    std::vector<std::string> load;
  };
  auto listOptions = std::make_shared<ListOptions>();
  CLI::App* list = ops->add_subcommand("list", "List the built-in and loaded operations");
  list->add_flag("--json", listOptions->json, "Print JSON");
  list->add_option("--load", listOptions->load, "Extra definition files or directories");
  list->callback([&context, listOptions] { context.exitCode = listCommand(listOptions->json, listOptions->load); });

  auto loadPaths = std::make_shared<std::vector<std::string>>();
  CLI::App* load = ops->add_subcommand("load", "Store definitions in the database (a changed one needs a higher version)");
  load->add_option("files", *loadPaths, "Definition files or directories of *.json")->required();
  load->callback([&context, loadPaths] { context.exitCode = loadCommand(*loadPaths, context); });
}

} // namespace opflow::cli
