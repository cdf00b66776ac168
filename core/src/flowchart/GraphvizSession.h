// GraphvizSession: exclusive use of Graphviz for one layout. Graphviz keeps global state
// (its error handler, its string pools), so sessions are taken one at a time process-wide:
// the constructor waits for the process's Graphviz lock and the destructor releases it.
// The one GVC_t context is made on first use and kept for the process; it knows only dot's
// layout plugin, linked in as a built-in (no plugin configuration is read, no text
// plugin is loaded, so label sizes come from Graphviz's own font metrics). Messages
// Graphviz reports while a session is held are collected, not printed.
// Thread-safety: one session per thread at a time; sessions serialise on a global mutex.
#pragma once

#include <gvc.h>

#include <mutex>
#include <string>

namespace opflow::flowchart {

class GraphvizSession {
public:
  GraphvizSession();
  ~GraphvizSession();
  GraphvizSession(const GraphvizSession&) = delete;
  GraphvizSession& operator=(const GraphvizSession&) = delete;

  [[nodiscard]] GVC_t* context() const { return m_context; }
  // The warnings and errors Graphviz reported during this session, one per line.
  [[nodiscard]] std::string messages() const;

private:
  std::unique_lock<std::mutex> m_lock;
  GVC_t* m_context = nullptr;
};

} // namespace opflow::flowchart
