// Executors run the engine's tasks. ThreadPool runs them on worker threads;
// InlineExecutor runs them on the thread that posts, one after another (a task posted
// from inside a task is queued, not nested), which is the engine's synchronous mode.
// Thread-safety: post() may be called from any thread.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace opflow::engine {

using Task = std::function<void()>;

class Executor {
public:
  virtual ~Executor() = default;
  virtual void post(Task task) = 0;
  // Blocks until no task is queued or running. Not for a GUI thread.
  virtual void waitUntilIdle() = 0;
};

class InlineExecutor final : public Executor {
public:
  void post(Task task) override;
  void waitUntilIdle() override {}

private:
  std::deque<Task> m_queue;
  bool m_draining = false;
  std::mutex m_mutex;
};

class ThreadPool final : public Executor {
public:
  explicit ThreadPool(std::size_t workers);
  ~ThreadPool() override;
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  void post(Task task) override;
  void waitUntilIdle() override;

private:
  void work();

  std::mutex m_mutex;
  std::condition_variable m_wake;
  std::condition_variable m_idle;
  std::deque<Task> m_queue;
  std::size_t m_busy = 0;
  bool m_stopping = false;
  std::vector<std::thread> m_threads;
};

} // namespace opflow::engine
