// RunId: the identity of a run, a UUIDv7 (time-ordered, unique across workstations).
// Thread-safety: a value type; generate() may be called from any thread.
#pragma once

#include <functional>
#include <string>

namespace opflow::engine {

class RunId {
public:
  RunId() = default;
  explicit RunId(std::string value) : m_value(std::move(value)) {}

  [[nodiscard]] static RunId generate();

  [[nodiscard]] const std::string& str() const { return m_value; }
  [[nodiscard]] bool empty() const { return m_value.empty(); }

  friend bool operator==(const RunId&, const RunId&) = default;
  friend auto operator<=>(const RunId&, const RunId&) = default;

private:
  std::string m_value;
};

// A new UUIDv7 in its canonical text form ("0192f3a4-...").
[[nodiscard]] std::string newUuidV7();

} // namespace opflow::engine

template <>
struct std::hash<opflow::engine::RunId> {
  std::size_t operator()(const opflow::engine::RunId& id) const noexcept {
    return std::hash<std::string>{}(id.str());
  }
};
