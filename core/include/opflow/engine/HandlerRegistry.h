// HandlerRegistry: the named C++ handlers that action nodes may call.
// Thread-safety: register everything before the registry is shared; after that, lookups
// from many threads are safe (it is never changed while in use).
#pragma once

#include "opflow/Result.h"
#include "opflow/engine/Handler.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace opflow::engine {

class HandlerRegistry {
public:
  // Refuses an empty name, a missing function, or a name already taken.
  [[nodiscard]] Status add(HandlerSpec spec);
  [[nodiscard]] const HandlerSpec* find(const std::string& name) const;
  [[nodiscard]] std::vector<std::string> names() const;

private:
  std::map<std::string, std::shared_ptr<const HandlerSpec>> m_handlers;
};

} // namespace opflow::engine
