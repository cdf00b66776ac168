#include "opflow/sync/OrderNumberBlocks.h"

#include "opflow/store/OrderNumbers.h"

namespace opflow::sync {

Status keepNumbersInHand(store::LocalStore& local, SharedDatabase& shared, const std::string& workstation) {
  std::int64_t left = 0;
  {
    auto db = local.readers().acquire();
    if (!db) {
      return db.error();
    }
    auto inHand = store::numbersInHand(**db);
    if (!inHand) {
      return inHand.error();
    }
    left = *inHand;
  }
  if (left >= kOrderNumbersLow) {
    return {};
  }
  auto block = shared.reserveNumbers(workstation, kOrderNumberBlock);
  if (!block) {
    return block.error();
  }
  return local.writer().execute(
      [&](store::Database& db) { return store::addNumberBlock(db, block->first, block->last); });
}

} // namespace opflow::sync
