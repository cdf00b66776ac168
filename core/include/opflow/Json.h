// The JSON types of core. Run data and expressions use opflow::Json (keys sorted, so a
// dump is canonical); definition documents keep their authors' key order with OrderedJson.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace opflow {

using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

// One reference token of a JSON pointer, escaped per RFC 6901 ("~" -> "~0", "/" -> "~1").
[[nodiscard]] inline std::string pointerToken(std::string_view token) {
  std::string escaped;
  escaped.reserve(token.size());
  for (char c : token) {
    if (c == '~') {
      escaped += "~0";
    } else if (c == '/') {
      escaped += "~1";
    } else {
      escaped += c;
    }
  }
  return escaped;
}

} // namespace opflow
