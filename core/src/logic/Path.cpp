// var paths: split once when a rule is compiled, walked without allocating when it is
// evaluated. Only objects and arrays can be stepped into.
#include "logic/Coercion.h"
#include "logic/ExpressionNode.h"

#include <charconv>
#include <string_view>

namespace opflow::logic {
namespace {

// "0", "12" -> an index; "", "01", "-1", "1.5", "x" -> not an index (as in JavaScript).
std::size_t indexOf(std::string_view key) {
  if (key.empty() || (key.size() > 1 && key.front() == '0')) {
    return kNotAnIndex;
  }
  std::size_t index = 0;
  const auto [ptr, ec] = std::from_chars(key.data(), key.data() + key.size(), index);
  if (ec != std::errc() || ptr != key.data() + key.size()) {
    return kNotAnIndex;
  }
  return index;
}

} // namespace

Path parsePath(const Json& key) {
  Path path;
  if (key.is_null() || (key.is_string() && key.get_ref<const std::string&>().empty())) {
    path.wholeData = true;
    return path;
  }
  const std::string text = key.is_string() ? key.get<std::string>() : jsString(key);
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = text.find('.', start);
    const std::size_t end = dot == std::string::npos ? text.size() : dot;
    PathSegment segment;
    segment.key = text.substr(start, end - start);
    segment.index = indexOf(segment.key);
    path.segments.push_back(std::move(segment));
    if (dot == std::string::npos) {
      break;
    }
    start = dot + 1;
  }
  return path;
}

const Json* lookup(const Path& path, const Json& data) {
  const Json* current = &data;
  for (const PathSegment& segment : path.segments) {
    if (current->is_object()) {
      const auto found = current->find(segment.key);
      if (found == current->end()) {
        return nullptr;
      }
      current = &*found;
    } else if (current->is_array() && segment.index < current->size()) {
      current = &(*current)[segment.index];
    } else {
      return nullptr;
    }
  }
  return current;
}

} // namespace opflow::logic
