#include "opflow/ui/bridge/Background.h"

namespace opflow::ui {

Background::Background(int threads, QObject* parent) : QObject(parent) { m_pool.setMaxThreadCount(threads); }

Background::~Background() { m_pool.waitForDone(); }

} // namespace opflow::ui
