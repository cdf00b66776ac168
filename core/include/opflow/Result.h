// Result<T>: the value of a core call, or an Error a person can act on.
// Core never throws across its API; every fallible call returns [[nodiscard]] Result<T>.
// Thread-safety: a value type; copies are independent.
#pragma once

#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace opflow {

enum class ErrorCode {
  InvalidArgument,   // a caller passed something malformed
  InvalidDefinition, // an operation definition failed validation
  InvalidInputs,     // run inputs do not match the operation's declaration
  NotFound,          // a named thing does not exist
  PermissionDenied,  // the role may not do this
  Conflict,          // the thing exists already or is in the wrong state
  Io,                // a file or storage error
  Unavailable,       // a service elsewhere (the shared database) could not be reached: try again later
  Internal,          // a bug: an invariant did not hold
};

[[nodiscard]] const char* toString(ErrorCode code);

// One problem in a larger whole, located by JSON pointer ("/nodes/done/go_to").
struct Problem {
  std::string pointer;
  std::string message;
  friend bool operator==(const Problem&, const Problem&) = default;
};

struct Error {
  ErrorCode code = ErrorCode::Internal;
  std::string message;
  std::vector<Problem> problems; // every problem found, when there can be many

  // "message" followed by one "pointer: message" line per problem.
  [[nodiscard]] std::string describe() const;
};

template <typename T>
class [[nodiscard]] Result {
public:
  Result(T value) : m_state(std::move(value)) {}                 // NOLINT(google-explicit-constructor)
  Result(Error error) : m_state(std::move(error)) {}             // NOLINT(google-explicit-constructor)

  [[nodiscard]] bool ok() const { return std::holds_alternative<T>(m_state); }
  explicit operator bool() const { return ok(); }

  [[nodiscard]] T& value() & { return std::get<T>(m_state); }
  [[nodiscard]] const T& value() const& { return std::get<T>(m_state); }
  [[nodiscard]] T&& value() && { return std::get<T>(std::move(m_state)); }
  [[nodiscard]] const Error& error() const { return std::get<Error>(m_state); }

  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

private:
  std::variant<T, Error> m_state;
};

template <>
class [[nodiscard]] Result<void> {
public:
  Result() = default;
  Result(Error error) : m_error(std::move(error)), m_failed(true) {} // NOLINT(google-explicit-constructor)

  [[nodiscard]] bool ok() const { return !m_failed; }
  explicit operator bool() const { return ok(); }
  [[nodiscard]] const Error& error() const { return m_error; }

private:
  Error m_error;
  bool m_failed = false;
};

using Status = Result<void>;

[[nodiscard]] inline Error makeError(ErrorCode code, std::string message,
                                     std::vector<Problem> problems = {}) {
  return Error{code, std::move(message), std::move(problems)};
}

} // namespace opflow
