#include "Identity.h"

#include "opflow/Text.h"
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

namespace {

std::optional<store::User> authorizedAt(store::UserStore& users, const store::AccessRequest& request,
                                        std::ostream& err) {
  auto authorized = users.authorize(request);
  if (!authorized) {
    err << fmt::format("opflow-cli: {}: {}\n", request.command, terminalSafe(authorized.error().message));
    return std::nullopt;
  }
  return std::move(authorized).value();
}

} // namespace

std::optional<engine::Actor> databaseActor(store::UserStore& users, const std::string& user,
                                           const std::optional<std::string>& claimedRole,
                                           domain::Permission permission, const std::string& command,
                                           std::ostream& err) {
  auto authorized = authorizedAt(users, {user, permission, workstationName(), command, claimedRole, true}, err);
  if (!authorized) {
    return std::nullopt;
  }
  return engine::Actor{authorized->name, domain::toString(authorized->role), workstationName()};
}

std::optional<store::User> databaseReader(store::LocalStore& store, domain::Permission permission,
                                          const std::string& command, std::ostream& err) {
  store::UserStore users(store);
  return authorizedAt(users, {"", permission, workstationName(), command, std::nullopt, false}, err);
}

std::optional<std::string> claimed(const CLI::Option* role) {
  if (role == nullptr || role->count() == 0) {
    return std::nullopt;
  }
  return role->as<std::string>();
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
