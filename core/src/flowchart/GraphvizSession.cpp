#include "flowchart/GraphvizSession.h"

#include <gvplugin.h>

extern "C" {
extern gvplugin_library_t gvplugin_dot_layout_LTX_library;
}

namespace opflow::flowchart {

namespace {

std::mutex& graphvizMutex() {
  static std::mutex mutex;
  return mutex;
}

// What Graphviz reported during the current session; guarded by graphvizMutex().
std::string& reported() {
  static std::string text;
  return text;
}

// Graphviz's user error function: it receives "Error"/"Warning", ": " and the message
// as separate calls.
int collect(char* message) {
  reported() += message;
  return 0;
}

GVC_t* makeContext() {
  static const lt_symlist_t builtins[] = {
      {"gvplugin_dot_layout_LTX_library", &gvplugin_dot_layout_LTX_library},
      {nullptr, nullptr},
  };
  agseterrf(collect);
  agseterr(AGWARN);
  return gvContextPlugins(builtins, 0);
}

} // namespace

GraphvizSession::GraphvizSession() : m_lock(graphvizMutex()) {
  static GVC_t* const context = makeContext();
  m_context = context;
  reported().clear();
  agreseterrors();
}

GraphvizSession::~GraphvizSession() { reported().clear(); }

std::string GraphvizSession::messages() const {
  std::string text = reported();
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

} // namespace opflow::flowchart
