#include "opflow/Result.h"

namespace opflow {

const char* toString(ErrorCode code) {
  switch (code) {
  case ErrorCode::InvalidArgument: return "invalid_argument";
  case ErrorCode::InvalidDefinition: return "invalid_definition";
  case ErrorCode::InvalidInputs: return "invalid_inputs";
  case ErrorCode::NotFound: return "not_found";
  case ErrorCode::PermissionDenied: return "permission_denied";
  case ErrorCode::Conflict: return "conflict";
  case ErrorCode::Io: return "io";
  case ErrorCode::Unavailable: return "unavailable";
  case ErrorCode::Internal: return "internal";
  }
  return "unknown";
}

std::string Error::describe() const {
  std::string text = message;
  for (const Problem& problem : problems) {
    text += "\n  ";
    text += problem.pointer.empty() ? std::string("/") : problem.pointer;
    text += ": ";
    text += problem.message;
  }
  return text;
}

} // namespace opflow
