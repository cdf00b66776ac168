#include "UsersCommands.h"

#include "Identity.h"
#include "Output.h"

#include "opflow/store/UserStore.h"
#include "opflow/store/UtcTime.h"

#include <fmt/format.h>

#include <charconv>
#include <functional>
#include <iostream>

namespace opflow::cli {

namespace {

int exitCodeFor(const Error& error) {
  return error.code == ErrorCode::PermissionDenied ? kExitFailed : kExitUsage;
}

int fail(const Error& error) {
  std::cerr << "opflow-cli: " << error.describe() << "\n";
  return exitCodeFor(error);
}

// The admin's credentials from stdin when --as is given.
std::optional<store::Requester> requester(const std::string& admin) {
  store::Requester by;
  by.workstation = workstationName();
  if (admin.empty()) {
    return by;
  }
  auto password = readPassword(fmt::format("password of admin {}: ", admin));
  if (!password) {
    std::cerr << fmt::format("opflow-cli: no password for admin {} on stdin\n", admin);
    return std::nullopt;
  }
  by.credentials = store::Credentials{admin, *password};
  return by;
}

Json userJson(const store::User& user) {
  return Json{{"name", user.name},
              {"role", domain::toString(user.role)},
              {"disabled", user.disabled},
              {"created_at", store::formatUtcMs(user.createdAtMs)},
              {"updated_at", store::formatUtcMs(user.updatedAtMs)}};
}

Json sessionJson(const store::Session& session) {
  return Json{{"session_id", session.id},
              {"user", session.user},
              {"role", domain::toString(session.role)},
              {"workstation", session.workstation},
              {"started_at", store::formatUtcMs(session.startedAtMs)},
              {"ended_at", session.endedAtMs ? Json(store::formatUtcMs(*session.endedAtMs)) : Json(nullptr)}};
}

struct UserOptions {
  std::string name;
  std::string role;
  std::string admin; // --as
  std::string value; // a policy setting's new value
  bool json = false;
};

int addCommand(const UserOptions& options, const CliContext& context) {
  auto role = domain::parseRole(options.role);
  if (!role) {
    return fail(role.error());
  }
  auto store = context.openStore(StoreAccess::Write);
  if (!store) {
    return kExitUsage;
  }
  auto by = requester(options.admin);
  if (!by) {
    return kExitUsage;
  }
  auto password = readPassword(fmt::format("password of the new user {}: ", options.name));
  if (!password) {
    std::cerr << fmt::format("opflow-cli: no password for {} on stdin\n", options.name);
    return kExitUsage;
  }
  store::UserStore users(*store);
  auto added = users.add({options.name, *role, *password}, *by);
  if (!added) {
    return fail(added.error());
  }
  if (options.json) {
    printJson(std::cout, userJson(*added));
  } else {
    std::cout << fmt::format("user {} added ({})\n", added->name, domain::toString(added->role));
  }
  return kExitOk;
}

int listCommand(bool json, const CliContext& context) {
  auto store = context.openStore(StoreAccess::Read);
  if (!store) {
    return kExitUsage;
  }
  store::UserStore users(*store);
  auto none = users.empty();
  if (!none) {
    return fail(none.error());
  }
  // Before the first user there is nobody to sign in, and nobody to list.
  if (!*none && !databaseReader(*store, domain::Permission::Read, "users list", std::cerr)) {
    return kExitUsage;
  }
  auto listed = users.list();
  if (!listed) {
    return fail(listed.error());
  }
  if (json) {
    Json list = Json::array();
    for (const store::User& user : *listed) {
      list.push_back(userJson(user));
    }
    printJson(std::cout, Json{{"users", std::move(list)}});
    return kExitOk;
  }
  if (listed->empty()) {
    std::cout << "no users yet: add the first admin with `opflow-cli users add NAME --role admin`\n";
    return kExitOk;
  }
  std::cout << fmt::format("{:<24}  {:<10}  {:<8}  {}\n", "NAME", "ROLE", "STATE", "SINCE (UTC)");
  for (const store::User& user : *listed) {
    std::cout << fmt::format("{:<24}  {:<10}  {:<8}  {}\n", user.name, domain::toString(user.role),
                             user.disabled ? "disabled" : "enabled", store::formatUtcMs(user.createdAtMs));
  }
  return kExitOk;
}

int disableCommand(const UserOptions& options, const CliContext& context) {
  auto store = context.openStore(StoreAccess::Write);
  if (!store) {
    return kExitUsage;
  }
  auto by = requester(options.admin);
  if (!by) {
    return kExitUsage;
  }
  store::UserStore users(*store);
  auto disabled = users.disable(options.name, *by);
  if (!disabled) {
    return fail(disabled.error());
  }
  if (options.json) {
    printJson(std::cout, userJson(*disabled));
  } else {
    std::cout << fmt::format("user {} disabled\n", disabled->name);
  }
  return kExitOk;
}

// One rule of the sign-in policy: its name, how it is shown, how a new value is set.
struct PolicySetting {
  const char* key; // as JSON prints it
  std::function<Json(const store::AuthPolicy&)> shown;
  std::function<std::string(const store::AuthPolicy&)> text;
  std::function<Status(store::UserStore&, const std::string&, const store::Requester&)> set;
};

// Shows the setting, or sets it first when a value is given (as an admin, --as).
int policyCommand(const PolicySetting& setting, const UserOptions& options, const CliContext& context) {
  auto store = context.openStore(options.value.empty() ? StoreAccess::Read : StoreAccess::Write);
  if (!store) {
    return kExitUsage;
  }
  store::UserStore users(*store);
  if (!options.value.empty()) {
    auto by = requester(options.admin);
    if (!by) {
      return kExitUsage;
    }
    if (Status set = setting.set(users, options.value, *by); !set) {
      return fail(set.error());
    }
  }
  auto policy = users.policy();
  if (!policy) {
    return fail(policy.error());
  }
  if (options.json) {
    printJson(std::cout, Json{{setting.key, setting.shown(*policy)}});
  } else {
    std::cout << setting.text(*policy) << "\n";
  }
  return kExitOk;
}

// A whole number from the command line, or InvalidArgument naming it.
Result<int> wholeNumber(const std::string& text, const char* what) {
  int value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    return makeError(ErrorCode::InvalidArgument, fmt::format("{} is a whole number, not \"{}\"", what, text));
  }
  return value;
}

const PolicySetting kPasswordCost{
    "password_cost", [](const store::AuthPolicy& policy) { return Json(auth::toString(policy.passwordCost)); },
    [](const store::AuthPolicy& policy) {
      return fmt::format("password cost: {} (new passwords are hashed at it)", auth::toString(policy.passwordCost));
    },
    [](store::UserStore& users, const std::string& text, const store::Requester& by) -> Status {
      auto cost = auth::parsePasswordCost(text);
      if (!cost) {
        return cost.error();
      }
      return users.setPasswordCost(*cost, by);
    }};

// A rule held as a whole number: shown by `sentence` ("... {} ..."), set by `set`.
PolicySetting wholeNumberSetting(const char* key, int store::AuthPolicy::*field, const char* sentence,
                                 const char* what, Status (store::UserStore::*set)(int, const store::Requester&)) {
  return {key, [field](const store::AuthPolicy& policy) { return Json(policy.*field); },
          [field, sentence](const store::AuthPolicy& policy) {
            return fmt::format(fmt::runtime(sentence), policy.*field);
          },
          [what, set](store::UserStore& users, const std::string& text, const store::Requester& by) -> Status {
            auto value = wholeNumber(text, what);
            if (!value) {
              return value.error();
            }
            return (users.*set)(*value, by);
          }};
}

const PolicySetting kPasswordLength =
    wholeNumberSetting("password_min_length", &store::AuthPolicy::minPasswordLength,
                       "new passwords have at least {} characters", "a password length",
                       &store::UserStore::setMinPasswordLength);

const PolicySetting kSessionTimeout =
    wholeNumberSetting("session_idle_minutes", &store::AuthPolicy::sessionIdleMinutes,
                       "a session ends after {} minutes without activity", "an idle limit in minutes",
                       &store::UserStore::setSessionIdleMinutes);

int loginCommand(const UserOptions& options, const CliContext& context) {
  auto store = context.openStore(StoreAccess::Write);
  if (!store) {
    return kExitUsage;
  }
  auto password = readPassword(fmt::format("password of {}: ", options.name));
  if (!password) {
    std::cerr << fmt::format("opflow-cli: no password for {} on stdin\n", options.name);
    return kExitUsage;
  }
  store::UserStore users(*store);
  auto session = users.login({options.name, *password}, workstationName());
  if (!session) {
    return fail(session.error());
  }
  if (options.json) {
    printJson(std::cout, sessionJson(*session));
  } else {
    std::cout << fmt::format("signed in as {} ({}) at {}: session {}\n", session->user,
                             domain::toString(session->role), session->workstation, session->id);
  }
  return kExitOk;
}

int logoutCommand(bool json, const CliContext& context) {
  auto store = context.openStore(StoreAccess::Write);
  if (!store) {
    return kExitUsage;
  }
  store::UserStore users(*store);
  auto open = users.openSession(workstationName());
  if (!open) {
    return fail(open.error());
  }
  if (!*open) {
    std::cerr << fmt::format("opflow-cli: nobody is signed in at {}\n", workstationName());
    return kExitUsage;
  }
  auto ended = users.logout((*open)->id);
  if (!ended) {
    return fail(ended.error());
  }
  if (json) {
    printJson(std::cout, sessionJson(*ended));
  } else {
    std::cout << fmt::format("{} signed out at {}\n", ended->user, ended->workstation);
  }
  return kExitOk;
}

} // namespace

void registerUsersCommands(CLI::App& app, CliContext& context) {
  CLI::App* users = app.add_subcommand("users", "Add, list and disable the people of the database");
  users->require_subcommand(1);

  auto add = std::make_shared<UserOptions>();
  CLI::App* addCmd = users->add_subcommand(
      "add", "Add a user; the password comes from stdin (after the admin's, with --as)");
  addCmd->add_option("name", add->name, "The user's name")->required();
  addCmd->add_option("--role", add->role, "operator, supervisor, manager or admin")->required();
  addCmd->add_option("--as", add->admin, "The admin who adds them (not for the first user, who must be an admin)");
  addCmd->add_flag("--json", add->json, "Print the user as JSON");
  addCmd->callback([&context, add] { context.exitCode = addCommand(*add, context); });

  auto list = std::make_shared<UserOptions>();
  CLI::App* listCmd = users->add_subcommand("list", "List the users");
  listCmd->add_flag("--json", list->json, "Print {\"users\": [...]}");
  listCmd->callback([&context, list] { context.exitCode = listCommand(list->json, context); });

  auto disable = std::make_shared<UserOptions>();
  CLI::App* disableCmd = users->add_subcommand(
      "disable", "Disable a user (they keep their history but can no longer sign in or sign)");
  disableCmd->add_option("name", disable->name, "The user")->required();
  disableCmd->add_option("--as", disable->admin, "The admin who disables them (password on stdin)")->required();
  disableCmd->add_flag("--json", disable->json, "Print the user as JSON");
  disableCmd->callback([&context, disable] { context.exitCode = disableCommand(*disable, context); });

  struct PolicyCommand {
    const char* name;
    const char* help;
    const char* value;
    const PolicySetting* setting;
  };
  for (const PolicyCommand& command :
       {PolicyCommand{"password-cost", "Show, or set as an admin, the argon2id cost of new passwords",
                      "interactive (the default), moderate or sensitive", &kPasswordCost},
        PolicyCommand{"password-length", "Show, or set as an admin, the fewest characters of a new password",
                      "8 (the default) to 1024", &kPasswordLength},
        PolicyCommand{"session-timeout",
                      "Show, or set as an admin, the minutes without activity after which a session ends",
                      "1 to 1440 (30 by default)", &kSessionTimeout}}) {
    auto options = std::make_shared<UserOptions>();
    CLI::App* policyCmd = users->add_subcommand(command.name, command.help);
    policyCmd->add_option("value", options->value, command.value);
    policyCmd->add_option("--as", options->admin, "The admin who sets it (password on stdin)");
    policyCmd->add_flag("--json", options->json, "Print one JSON object");
    const PolicySetting* setting = command.setting;
    policyCmd->callback([&context, options, setting] { context.exitCode = policyCommand(*setting, *options, context); });
  }

  auto login = std::make_shared<UserOptions>();
  CLI::App* loginCmd = app.add_subcommand(
      "login", "Sign in at this workstation (password on stdin); ends the session open here");
  loginCmd->add_option("user", login->name, "Who signs in")->required();
  loginCmd->add_flag("--json", login->json, "Print the session as JSON");
  loginCmd->callback([&context, login] { context.exitCode = loginCommand(*login, context); });

  auto logout = std::make_shared<UserOptions>();
  CLI::App* logoutCmd = app.add_subcommand("logout", "End the session open at this workstation");
  logoutCmd->add_flag("--json", logout->json, "Print the ended session as JSON");
  logoutCmd->callback([&context, logout] { context.exitCode = logoutCommand(logout->json, context); });
}

} // namespace opflow::cli
