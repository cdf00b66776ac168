// Background: runs core calls off the GUI thread and hands their results back to it.
// run(receiver, work, done) executes `work` on one of the pool's threads, then calls
// `done(result)` on the GUI thread, unless `receiver` has been destroyed by then (a view
// that closed never hears of the answer it asked for). The GUI thread never waits: no
// blocking call and no nested event loop. The destructor waits for the running work
// (core calls are short) and drops the answers not yet delivered.
// Thread-safety: construct, run() and destroy on the GUI thread; `work` must be thread-safe.
#pragma once

#include <QObject>
#include <QPointer>
#include <QThreadPool>

#include <memory>
#include <type_traits>
#include <utility>

namespace opflow::ui {

class Background : public QObject {
  Q_OBJECT

public:
  explicit Background(int threads = 2, QObject* parent = nullptr);
  ~Background() override;

  template <class Work, class Done>
  void run(QObject* receiver, Work work, Done done) {
    using Value = std::invoke_result_t<Work&>;
    QPointer<QObject> target(receiver);
    // The destructor waits for the pool, so `this` outlives every task; an answer posted
    // to it and not yet delivered is dropped with it.
    m_pool.start([this, target, work = std::move(work), done = std::move(done)]() mutable {
      auto value = std::make_shared<Value>(work());
      QMetaObject::invokeMethod(
          this,
          [target, value, done = std::move(done)]() mutable {
            if (target) {
              done(std::move(*value));
            }
          },
          Qt::QueuedConnection);
    });
  }

  // Work started and not yet finished (tests and the screenshot wait for zero).
  [[nodiscard]] int activeThreads() const { return m_pool.activeThreadCount(); }

private:
  QThreadPool m_pool;
};

} // namespace opflow::ui
