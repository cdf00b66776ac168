#include "opflow/ui/bridge/MetricsServer.h"

#include <QTcpSocket>

#include <fmt/format.h>

namespace opflow::ui {

namespace {

constexpr qsizetype kMostHeadBytes = 8 * 1024;

} // namespace

MetricsServer::MetricsServer(Render render, QObject* parent) : QObject(parent), m_render(std::move(render)) {
  connect(&m_server, &QTcpServer::newConnection, this, &MetricsServer::accept);
}

Result<quint16> MetricsServer::listen(const QHostAddress& address, quint16 port) {
  if (!m_server.listen(address, port)) {
    return makeError(ErrorCode::Io, fmt::format("cannot serve metrics on {}:{}: {}", address.toString().toStdString(),
                                                port, m_server.errorString().toStdString()));
  }
  return m_server.serverPort();
}

void MetricsServer::accept() {
  while (QTcpSocket* socket = m_server.nextPendingConnection()) {
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] { read(socket); });
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
  }
}

void MetricsServer::read(QTcpSocket* socket) {
  QByteArray head = socket->property("head").toByteArray() + socket->readAll();
  const qsizetype end = head.indexOf("\r\n\r\n");
  if (end < 0) {
    if (head.size() > kMostHeadBytes) {
      answer(socket, "431 Request Header Fields Too Large", "text/plain", "request head too large\n");
      return;
    }
    socket->setProperty("head", head);
    return;
  }
  const QList<QByteArray> requestLine = head.left(head.indexOf("\r\n")).split(' ');
  if (requestLine.size() != 3) {
    answer(socket, "400 Bad Request", "text/plain", "malformed request line\n");
  } else if (requestLine[0] != "GET") {
    answer(socket, "405 Method Not Allowed", "text/plain", "only GET is served here\n");
  } else if (requestLine[1] != "/metrics" && !requestLine[1].startsWith("/metrics?")) {
    answer(socket, "404 Not Found", "text/plain", "the metrics are at /metrics\n");
  } else {
    std::string text = m_render();
    answer(socket, "200 OK", "text/plain; version=0.0.4; charset=utf-8", QByteArray::fromStdString(text));
  }
}

void MetricsServer::answer(QTcpSocket* socket, const QByteArray& status, const QByteArray& contentType,
                           const QByteArray& body) {
  socket->setProperty("head", QByteArray());
  QByteArray response = "HTTP/1.1 " + status + "\r\nContent-Type: " + contentType +
                        "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" +
                        body;
  socket->write(response);
  socket->disconnectFromHost();
}

} // namespace opflow::ui
