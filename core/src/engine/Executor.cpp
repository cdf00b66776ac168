#include "opflow/engine/Executor.h"

namespace opflow::engine {

void InlineExecutor::post(Task task) {
  {
    std::lock_guard lock(m_mutex);
    m_queue.push_back(std::move(task));
    if (m_draining) {
      return;
    }
    m_draining = true;
  }
  while (true) {
    Task next;
    {
      std::lock_guard lock(m_mutex);
      if (m_queue.empty()) {
        m_draining = false;
        return;
      }
      next = std::move(m_queue.front());
      m_queue.pop_front();
    }
    next();
  }
}

ThreadPool::ThreadPool(std::size_t workers) {
  m_threads.reserve(workers);
  for (std::size_t i = 0; i < workers; ++i) {
    m_threads.emplace_back([this] { work(); });
  }
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard lock(m_mutex);
    m_stopping = true;
  }
  m_wake.notify_all();
  for (std::thread& thread : m_threads) {
    thread.join();
  }
}

void ThreadPool::post(Task task) {
  {
    std::lock_guard lock(m_mutex);
    m_queue.push_back(std::move(task));
  }
  m_wake.notify_one();
}

void ThreadPool::waitUntilIdle() {
  std::unique_lock lock(m_mutex);
  m_idle.wait(lock, [this] { return m_queue.empty() && m_busy == 0; });
}

void ThreadPool::work() {
  std::unique_lock lock(m_mutex);
  while (true) {
    m_wake.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
    if (m_queue.empty()) {
      return;
    }
    Task task = std::move(m_queue.front());
    m_queue.pop_front();
    ++m_busy;
    lock.unlock();
    task();
    lock.lock();
    --m_busy;
    if (m_queue.empty() && m_busy == 0) {
      m_idle.notify_all();
    }
  }
}

} // namespace opflow::engine
