// Traces: the journal read back as OpenTelemetry traces. Each run is a trace's span, each
// step a span under its run, a sub-run a span under the call step that started it (or
// under its parent run when that step is not journaled yet), a wait a step span carrying
// the signal it waited for. Every run of one correlation id is one trace, and the trace id
// is that correlation id (a UUID's 32 hex digits; any other text hashed to 16 bytes), so a
// supervisor's audit search and the trace agree. Span ids are hashes of the run id (and
// step index), the same at every export.
// exportTraces writes OTLP/JSON (the OpenTelemetry protocol's JSON encoding: resourceSpans
// per workstation, scopeSpans, nanosecond times as decimal strings, attributes named as
// OpenTelemetry's semantic conventions where one exists), which any collector ingests.
// Thread-safety: free functions; the store may be shared between threads.
#pragma once

#include "opflow/Json.h"
#include "opflow/Result.h"
#include "opflow/store/LocalStore.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace opflow::observe {

// Which traces: exactly one of the three. A run selects its whole trace (every run of its
// correlation id); `sinceMs` every trace with a run started at or after it (UTC ms).
struct TraceQuery {
  std::string runId;
  std::string correlationId;
  std::optional<std::int64_t> sinceMs;
  std::int64_t runLimit = 20000; // at most this many runs are read; more is InvalidArgument
};

// 32 lowercase hex digits.
[[nodiscard]] std::string traceIdOf(std::string_view correlationId);
// 16 lowercase hex digits: a run's span (no step) or one of its steps' spans.
[[nodiscard]] std::string spanIdOf(std::string_view runId, std::optional<std::int64_t> stepIndex = std::nullopt);

// The selected traces as one OTLP/JSON document (an empty resourceSpans when nothing
// matches). InvalidArgument for a query that selects none or several ways, or more runs
// than runLimit; NotFound for an unknown run id; the store's error when a read fails.
[[nodiscard]] Result<Json> exportTraces(store::LocalStore& store, const TraceQuery& query);

} // namespace opflow::observe
