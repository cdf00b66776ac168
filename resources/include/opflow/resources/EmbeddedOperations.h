// The operation definitions shipped in resources/operations/, embedded at build time.
// Thread-safety: the returned list is built once and never changes.
#pragma once

#include <string_view>
#include <vector>

namespace opflow::resources {

struct EmbeddedFile {
  std::string_view name; // file name, e.g. "document.prepare_download.json"
  std::string_view text; // the file's content
};

[[nodiscard]] const std::vector<EmbeddedFile>& embeddedOperations();

} // namespace opflow::resources
