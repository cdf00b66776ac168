// MetricsServer: the console's live metrics over HTTP for Prometheus to scrape: GET
// /metrics answers the text exposition format (version 0.0.4) that `render` gives at
// that moment; any other path is 404, any other method 405, a request head over 8 KiB
// 431, and each answer closes its connection. It listens where it is told (the console
// passes loopback unless --metrics-address says otherwise).
// Thread-safety: GUI thread only; `render` runs there, so it must be quick (it reads
// counters other threads keep, never the database).
#pragma once

#include "opflow/Result.h"

#include <QHostAddress>
#include <QObject>
#include <QTcpServer>

#include <functional>
#include <string>

class QTcpSocket;

namespace opflow::ui {

class MetricsServer : public QObject {
  Q_OBJECT

public:
  using Render = std::function<std::string()>;

  explicit MetricsServer(Render render, QObject* parent = nullptr);

  // Listens on address:port (port 0: a free one); the port listened on, or Io naming the
  // address, port and the system's reason.
  [[nodiscard]] Result<quint16> listen(const QHostAddress& address, quint16 port);

private:
  void accept();
  void read(QTcpSocket* socket);
  static void answer(QTcpSocket* socket, const QByteArray& status, const QByteArray& contentType,
                     const QByteArray& body);

  QTcpServer m_server;
  Render m_render;
};

} // namespace opflow::ui
