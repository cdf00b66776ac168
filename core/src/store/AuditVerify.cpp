// Verifying the audit chain. One statement walks the table in seq order on the caller's
// (read) connection, so the walk sees one snapshot, streams, and never blocks the writer.
// Each entry's canonical JSON is rebuilt from its stored columns as views, embedding the
// stored before/after text verbatim (no JSON parsing), and checked in this order:
//   1. seq follows the previous seq (a gap: entries were deleted);
//   2. hash == SHA-256(prev_hash + canonical) (otherwise the entry itself was edited);
//   3. prev_hash == the previous entry's hash (otherwise an entry before it was edited
//      and re-hashed, or removed).
// The first entry that fails is named with the reason in words. Removing entries from
// the end of the chain leaves a shorter chain that still verifies: that needs an anchor
// outside this database (the outbox's copy in the shared database).
//
// Design (speed: a million entries in well under the 2 s target on two cores). SHA-256 is
// most of the cost, and an entry's hash depends only on its own stored columns (its
// stored prev_hash included), not on any hash computed before it. So the work is split:
//   - the calling thread (the reader) steps the statement, does the cheap sequential
//     checks 1 and 3 as it goes, and writes "prev_hash + canonical" of each entry into a
//     batch (kBatchSize entries in one reused text buffer, no allocation per row);
//   - hashing threads (HashPool; one per core, none on a single core, where the reader
//     hashes its own batches) check 2 for whole batches and keep the lowest failure.
// The reader stops reading at its first sequential failure, or once it has read past a
// hash failure already found; then all batches are waited for, and the entry reported is
// the lowest failing position over both kinds, with check 1 before 2 before 3 for the
// same entry: exactly the entry and reason the one-thread walk would name.
// Measured on a million entries (2 cores, shared): reading and building the texts costs
// about 0.8 s of CPU, hashing about 1.6 s. PRAGMA mmap_size on the reading connection
// made the reading slower (0.9 s -> 1.4 s, page faults under KVM), so it is not set.
// Thread-safety: the Database is used by the calling thread only. Hashing threads see
// only the batches handed to them (through HashPool's mutex); a batch returns to the
// reader's free list when hashed. Threads are joined before verifyAudit returns (also
// when it throws).
#include "opflow/store/AuditLog.h"

#include "AuditChain.h"
#include "AuditRows.h"
#include "IntegrityChecks.h"

#include <fmt/format.h>

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace opflow::store {

namespace {

constexpr std::size_t kBatchSize = 4096;
constexpr std::int64_t kNoFailure = std::numeric_limits<std::int64_t>::max();

// One entry of a batch: offsets into the batch's buffers (which grow while it fills).
struct BatchEntry {
  std::int64_t seq;
  std::size_t textBegin; // prev_hash then canonical JSON, in Batch::text
  std::size_t prevHashSize;
  std::size_t textEnd;
  std::size_t idBegin; // id then hash, in Batch::side
  std::size_t idSize;
  std::size_t hashSize;
};

struct Batch {
  std::int64_t firstPosition = 0; // position in the walk of entries[0] (0-based)
  std::vector<BatchEntry> entries;
  std::string text;
  std::string side;

  void clear(std::int64_t position) {
    firstPosition = position;
    entries.clear();
    text.clear();
    side.clear();
  }
};

// The lowest failing entry found so far.
struct Failure {
  std::int64_t position = kNoFailure;
  std::int64_t seq = 0;
  std::string id;
  std::string reason;
};

// Checks 2 (hash over prev_hash + canonical) for every entry of the batch; returns the
// batch index of the first mismatch, or entries.size().
std::size_t firstHashMismatch(const Batch& batch) {
  for (std::size_t i = 0; i < batch.entries.size(); ++i) {
    const BatchEntry& entry = batch.entries[i];
    const std::string_view text(batch.text.data() + entry.textBegin, entry.textEnd - entry.textBegin);
    const std::string_view stored(batch.side.data() + entry.idBegin + entry.idSize, entry.hashSize);
    if (!detail::chainHashEquals(text.substr(0, entry.prevHashSize), text.substr(entry.prevHashSize), stored)) {
      return i;
    }
  }
  return batch.entries.size();
}

// Hashing threads fed with batches by the reader. With no threads (one core), submit()
// hashes on the caller's thread.
class HashPool {
public:
  explicit HashPool(unsigned threads) {
    for (unsigned i = 0; i < threads; ++i) {
      m_threads.emplace_back([this] { work(); });
    }
    // Enough batches for every thread to hold one and one more queued, plus the reader's.
    m_free.resize(threads * 2 + 1);
    for (auto& batch : m_free) {
      batch = std::make_unique<Batch>();
      batch->entries.reserve(kBatchSize);
      batch->text.reserve(kBatchSize * 640);
      batch->side.reserve(kBatchSize * 112);
    }
  }

  ~HashPool() {
    {
      std::lock_guard lock(m_mutex);
      m_closing = true;
    }
    m_wake.notify_all();
    for (auto& thread : m_threads) {
      thread.join();
    }
  }

  HashPool(const HashPool&) = delete;
  HashPool& operator=(const HashPool&) = delete;

  // A free batch (waits while all are being hashed).
  std::unique_ptr<Batch> take() {
    std::unique_lock lock(m_mutex);
    m_returned.wait(lock, [this] { return !m_free.empty(); });
    auto batch = std::move(m_free.back());
    m_free.pop_back();
    return batch;
  }

  void submit(std::unique_ptr<Batch> batch) {
    if (m_threads.empty()) {
      hash(std::move(batch));
      return;
    }
    {
      std::lock_guard lock(m_mutex);
      m_queue.push_back(std::move(batch));
      ++m_pending;
    }
    m_wake.notify_one();
  }

  // Waits until every submitted batch is hashed; returns the lowest hash failure.
  Failure finish() {
    std::unique_lock lock(m_mutex);
    m_returned.wait(lock, [this] { return m_pending == 0; });
    return m_failure;
  }

  // The lowest failing position found so far (the reader need not read past it).
  std::int64_t failurePosition() {
    std::lock_guard lock(m_mutex);
    return m_failure.position;
  }

private:
  void work() {
    while (true) {
      std::unique_ptr<Batch> batch;
      {
        std::unique_lock lock(m_mutex);
        m_wake.wait(lock, [this] { return m_closing || !m_queue.empty(); });
        if (m_queue.empty()) {
          return;
        }
        batch = std::move(m_queue.front());
        m_queue.pop_front();
      }
      hash(std::move(batch));
    }
  }

  void hash(std::unique_ptr<Batch> batch) {
    const std::size_t index = firstHashMismatch(*batch);
    {
      std::lock_guard lock(m_mutex);
      if (index < batch->entries.size() && batch->firstPosition + static_cast<std::int64_t>(index) < m_failure.position) {
        const BatchEntry& entry = batch->entries[index];
        m_failure.position = batch->firstPosition + static_cast<std::int64_t>(index);
        m_failure.seq = entry.seq;
        m_failure.id.assign(batch->side, entry.idBegin, entry.idSize);
        m_failure.reason = "hash does not match its content: the entry was edited";
      }
      m_free.push_back(std::move(batch));
      if (!m_threads.empty()) {
        --m_pending;
      }
    }
    m_returned.notify_all();
  }

  std::mutex m_mutex;
  std::condition_variable m_wake;     // workers: a batch is queued, or closing
  std::condition_variable m_returned; // reader: a batch is free again
  std::vector<std::thread> m_threads;
  std::deque<std::unique_ptr<Batch>> m_queue;
  std::vector<std::unique_ptr<Batch>> m_free;
  std::size_t m_pending = 0;
  bool m_closing = false;
  Failure m_failure;
};

unsigned hashThreads() {
  const unsigned cores = std::thread::hardware_concurrency();
  return cores <= 1 ? 0 : std::min(cores, 4u);
}

} // namespace

Result<AuditVerification> verifyAudit(Database& db) {
  // One snapshot for the walk and the cross-checks: a change committed meanwhile is in
  // neither or in both.
  auto snapshot = Transaction::begin(db, Transaction::Kind::Deferred);
  if (!snapshot) {
    return snapshot.error();
  }
  auto select = db.prepareUncached(fmt::format("SELECT {} FROM audit ORDER BY seq", detail::kAuditColumns));
  if (!select) {
    return select.error();
  }
  Statement& row = **select;
  HashPool pool(hashThreads());

  std::string previousHash(detail::kGenesisHash);
  std::int64_t previousSeq = 0;
  std::int64_t position = 0; // entries read so far
  Failure linkFailure;       // the first failure of checks 1 or 3 (at most one: reading stops there)
  bool linkIsGap = false;    // check 1 (before the hash check) rather than check 3 (after it)
  std::optional<Error> readError;

  std::unique_ptr<Batch> batch = pool.take();
  batch->clear(0);
  while (true) {
    auto more = row.step();
    if (!more) {
      readError = more.error();
      break;
    }
    if (!*more) {
      break;
    }
    const std::int64_t seq = row.int64(0);
    const std::string_view id = row.textView(1);
    const std::string_view prevHash = row.textView(14);
    const std::string_view hash = row.textView(15);

    BatchEntry& entry = batch->entries.emplace_back();
    entry.seq = seq;
    entry.textBegin = batch->text.size();
    entry.prevHashSize = prevHash.size();
    batch->text += prevHash;
    detail::appendCanonical(batch->text, {seq, id, row.int64(2), row.textView(3), row.textView(4), row.textView(5),
                                          row.textView(6), row.textView(7), row.textView(8), row.textView(9),
                                          row.textView(10), row.textView(11), row.textView(12), row.textView(13)});
    entry.textEnd = batch->text.size();
    entry.idBegin = batch->side.size();
    entry.idSize = id.size();
    entry.hashSize = hash.size();
    batch->side += id;
    batch->side += hash;

    if (seq != previousSeq + 1) {
      linkIsGap = true;
      linkFailure = {position, seq, std::string(id),
                     previousSeq == 0
                         ? fmt::format("the chain starts at seq {}: entries 1 to {} were removed", seq, seq - 1)
                         : fmt::format("seq jumps from {} to {}: entries were removed", previousSeq, seq)};
      break;
    }
    if (prevHash != previousHash) {
      linkFailure = {position, seq, std::string(id),
                     previousSeq == 0
                         ? std::string("prev_hash is not the genesis hash: the start of the chain was replaced")
                         : fmt::format("prev_hash does not match entry {}: an entry before it was removed or edited",
                                       previousSeq)};
      break;
    }
    previousHash.assign(hash);
    previousSeq = seq;
    ++position;
    if (batch->entries.size() == kBatchSize) {
      pool.submit(std::move(batch));
      if (pool.failurePosition() < position) {
        break; // a hash failure before anything still unread: that is the answer
      }
      batch = pool.take();
      batch->clear(position);
    }
  }
  if (batch && !batch->entries.empty()) {
    pool.submit(std::move(batch)); // the last entry of a link failure is hashed too: check 2 comes before 3
  }
  const Failure hashFailure = pool.finish();
  if (readError) {
    return *readError;
  }

  AuditVerification result;
  const Failure* first = nullptr;
  if (linkFailure.position != kNoFailure && (linkIsGap || linkFailure.position < hashFailure.position)) {
    first = linkFailure.position <= hashFailure.position ? &linkFailure : &hashFailure;
  } else if (hashFailure.position != kNoFailure) {
    first = &hashFailure;
  }
  if (first == nullptr) {
    result.checked = position;
  } else {
    result.intact = false;
    result.chainIntact = false;
    result.checked = first->position;
    result.brokenSeq = first->seq;
    result.brokenId = first->id;
    result.reason = first->reason;
  }
  if (Status checked = detail::crossCheck(db, result); !checked) {
    return checked.error();
  }
  return result;
}

} // namespace opflow::store
