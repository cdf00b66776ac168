#include "Identity.h"

#include "opflow/auth/RunSigning.h"

#include <fmt/format.h>

#include <termios.h>
#include <unistd.h>

#include <iostream>

namespace opflow::cli {

std::optional<std::string> readPassword(const std::string& prompt) {
  const bool terminal = ::isatty(STDIN_FILENO) == 1;
  termios saved{};
  if (terminal) {
    std::cerr << prompt << std::flush;
    if (::tcgetattr(STDIN_FILENO, &saved) == 0) {
      termios quiet = saved;
      quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
      static_cast<void>(::tcsetattr(STDIN_FILENO, TCSANOW, &quiet));
    }
  }
  std::string line;
  const bool read = static_cast<bool>(std::getline(std::cin, line));
  if (terminal) {
    static_cast<void>(::tcsetattr(STDIN_FILENO, TCSANOW, &saved));
    std::cerr << "\n";
  }
  if (!read) {
    return std::nullopt;
  }
  if (!line.empty() && line.back() == '\r') {
    line.pop_back();
  }
  return line;
}

std::optional<engine::Actor> databaseActor(EngineSession& session, const std::string& user, bool roleGiven,
                                           domain::Permission permission, const std::string& command,
                                           std::ostream& err) {
  std::string name = user;
  if (name.empty()) {
    auto open = session.users().openSession(workstationName());
    if (!open) {
      err << fmt::format("opflow-cli: {}: {}\n", command, open.error().describe());
      return std::nullopt;
    }
    name = *open ? (*open)->user : defaultUser();
  }
  auto authorized = session.users().authorize(name, permission, workstationName(), command);
  if (!authorized) {
    err << fmt::format("opflow-cli: {}: {}\n", command, authorized.error().message);
    return std::nullopt;
  }
  if (roleGiven) {
    err << fmt::format("opflow-cli: {}: --role is not taken with a database: {} acts as {} (from the users table)\n",
                       command, authorized->name, domain::withArticle(authorized->role));
    return std::nullopt;
  }
  return engine::Actor{authorized->name, domain::toString(authorized->role), workstationName()};
}

Result<store::Signature> signAndCarry(EngineSession& session, const engine::RunId& runId,
                                      const engine::RunRecord& signing, const store::Credentials& credentials,
                                      std::deque<engine::PendingSignal>& signals) {
  auto signature = auth::signForRun(session.engine(), session.signatures(), runId, signing, credentials,
                                    workstationName());
  if (!signature) {
    return signature.error();
  }
  if (Status carried = session.carry(runId, signals, false); !carried) {
    return carried.error();
  }
  auto after = session.runs().loadRun(signing.id);
  if (after && after->state == engine::RunState::Waiting && after->awaitedSignal == "signature") {
    return makeError(ErrorCode::PermissionDenied,
                     fmt::format("the run refused signature {}: {}", signature->id,
                                 after->data.value("signature_refusal", std::string("no reason given"))));
  }
  return signature;
}

} // namespace opflow::cli
