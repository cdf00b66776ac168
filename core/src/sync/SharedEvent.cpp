#include "opflow/sync/SharedEvent.h"

namespace opflow::sync {

const char* toString(EventOutcome outcome) {
  switch (outcome) {
  case EventOutcome::Applied:
    return "applied";
  case EventOutcome::Conflict:
    return "conflict";
  case EventOutcome::Refused:
    return "refused";
  }
  return "refused";
}

std::optional<EventOutcome> parseEventOutcome(std::string_view text) {
  for (EventOutcome outcome : {EventOutcome::Applied, EventOutcome::Conflict, EventOutcome::Refused}) {
    if (text == toString(outcome)) {
      return outcome;
    }
  }
  return std::nullopt;
}

} // namespace opflow::sync
