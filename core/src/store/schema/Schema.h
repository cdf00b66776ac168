// The SQL of each numbered migration, one file per concern. A released migration never
// changes: a later change is a new number appended in Migrations.cpp.
#pragma once

namespace opflow::store::schema {

[[nodiscard]] const char* runsV1();   // definitions, runs, steps
[[nodiscard]] const char* auditV1();  // the audit chain
[[nodiscard]] const char* outboxV1(); // events for the shared database
[[nodiscard]] const char* ordersV1(); // orders, status model, counts, list indexes
[[nodiscard]] const char* usersV1();  // users, sessions, signatures, settings, order details
[[nodiscard]] const char* runsByVersionV1(); // the latest runs of one version of an operation
[[nodiscard]] const char* sessionsActivityV1(); // idle sessions, the verifier's index of order changes
[[nodiscard]] const char* syncV1(); // the shared database joined, its answers, the feed's cursor, conflicts
[[nodiscard]] const char* numberBlocksV1(); // the order numbers the shared database handed this workstation
[[nodiscard]] const char* conflictKindsV1(); // every kind of change not taken is listed; the run that lost is marked
[[nodiscard]] const char* runsByTraceV1(); // the runs of one correlation id (a trace), the runs started since a time
[[nodiscard]] const char* dashboardRollupsV1(); // throughput, stage lead times and run RED per hour
// The trigger that keeps the order history's rollups (dashboardRollupsV1 makes it; the
// seeder drops and makes it again around its bulk writes).
[[nodiscard]] const char* orderHistoryRollupTrigger();
[[nodiscard]] const char* outboxByCorrelationV1(); // the order changes and run summaries of a trace

} // namespace opflow::store::schema
