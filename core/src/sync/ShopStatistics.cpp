#include "opflow/sync/ShopStatistics.h"

#include "opflow/sync/SyncState.h"

namespace opflow::sync {

Result<store::OperationStatistics> shopNodeStatistics(store::LocalStore& local, const store::StatisticsQuery& query,
                                                      std::chrono::seconds connectTimeout) {
  if (Status window = store::checkStatisticsWindow(query); !window) {
    return window.error();
  }
  auto shop = openJoinedShop(local, connectTimeout);
  if (!shop) {
    return shop.error();
  }
  if (!*shop) {
    return makeError(ErrorCode::NotFound,
                     "this workstation has not joined a shared database, so there are no shop statistics to read");
  }
  auto found = (*shop)->shared->operationSteps(query);
  if (!found) {
    return shopReadError(found.error());
  }
  store::NodeStatisticsTally tally;
  for (const std::string& run : found->runs) {
    tally.addRun(run);
  }
  for (const ShopRunStep& step : found->steps) {
    tally.addStep(step.runId, step.node, step.durationUs, step.error, step.exit);
  }
  return tally.finish();
}

} // namespace opflow::sync
