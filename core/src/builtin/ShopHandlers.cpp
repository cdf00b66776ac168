#include "opflow/builtin/ShopHandlers.h"

#include "opflow/builtin/ModelFile.h"
#include "opflow/domain/TrackingNumber.h"

#include <fmt/format.h>

namespace opflow::builtin {

namespace {

using engine::HandlerEffects;
using engine::HandlerInput;
using engine::HandlerResult;

std::string textArgument(const HandlerInput& in, const char* key) {
  return in.args.contains(key) && in.args[key].is_string() ? in.args[key].get<std::string>() : std::string();
}

HandlerResult inspectFile(const HandlerInput& in, HandlerEffects& fx) {
  std::string path = textArgument(in, "path");
  if (path.empty()) {
    return makeError(ErrorCode::InvalidArgument, "file.inspect needs `with.path`: the model file's path (text)");
  }
  fx.progress(0.0, fmt::format("reading {}", path));
  auto info = inspectModelFile(path);
  if (!info) {
    if (info.error().code == ErrorCode::Io || info.error().code == ErrorCode::InvalidArgument) {
      fx.set("file_error", info.error().message);
      return std::string("unreadable");
    }
    return info.error();
  }
  fx.set("file", info->toJson());
  fx.progress(1.0, fmt::format("{}: {} bytes", info->name, info->sizeBytes));
  return std::string();
}

HandlerResult checkTracking(const HandlerInput& in, HandlerEffects& fx) {
  domain::TrackingCheck check =
      domain::checkTrackingNumber(textArgument(in, "carrier"), textArgument(in, "tracking_number"));
  if (!check.valid) {
    fx.set("tracking_error", check.reason);
    return std::string("invalid");
  }
  fx.set("tracking", Json{{"carrier", check.carrier}, {"number", check.normalized}, {"format", check.format}});
  return std::string();
}

} // namespace

Status registerShopHandlers(engine::HandlerRegistry& registry) {
  if (Status added = registry.add({"file.inspect",
                                   {"unreadable"},
                                   true,
                                   "Reads a 3D model file: extension, size, SHA-256 and volume; \"unreadable\" when "
                                   "it cannot be read or is malformed.",
                                   inspectFile});
      !added) {
    return added;
  }
  return registry.add({"shipping.check_tracking",
                       {"invalid"},
                       true,
                       "Checks a tracking number against its carrier's format and check digit; \"invalid\" with "
                       "the reason.",
                       checkTracking});
}

} // namespace opflow::builtin
