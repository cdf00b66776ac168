#include "OrdersCommands.h"

#include "Identity.h"
#include "Output.h"

#include "opflow/Json.h"
#include "opflow/Text.h"
#include "opflow/store/OrderSeeder.h"
#include "opflow/store/OrderStore.h"

#include <fmt/format.h>

#include <ctime>
#include <iostream>

namespace opflow::cli {

namespace {

using domain::OrderStatus;

std::string isoTime(std::int64_t ms) {
  std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  return fmt::format("{}.{:03}Z", text, ms % 1000);
}

Json price(const std::optional<std::int64_t>& cents) {
  return cents ? Json(static_cast<double>(*cents) / 100.0) : Json(nullptr);
}

std::string priceText(const std::optional<std::int64_t>& cents) {
  return cents ? fmt::format("{}.{:02}", *cents / 100, *cents % 100) : std::string("-");
}

// Parses every --status; prints the first bad one and returns nullopt.
std::optional<std::vector<OrderStatus>> parseStatuses(const std::vector<std::string>& texts) {
  std::vector<OrderStatus> statuses;
  for (const std::string& text : texts) {
    auto status = domain::parseOrderStatus(text);
    if (!status) {
      std::cerr << "opflow-cli: " << status.error().message << "\n";
      return std::nullopt;
    }
    statuses.push_back(*status);
  }
  return statuses;
}

struct SeedOptions {
  std::int64_t orders = 0;
  std::uint64_t seed = 1;
  bool noHistory = false;
};

int seedCommand(const CliContext& context, const SeedOptions& options) {
  if (options.orders < 1) {
    std::cerr << fmt::format("opflow-cli: --orders must be at least 1 (got {})\n", options.orders);
    return kExitUsage;
  }
  auto localStore = context.openStore(StoreAccess::Write);
  if (!localStore) {
    return kExitUsage;
  }
  store::UserStore users(*localStore);
  auto admin = databaseActor(users, {}, std::nullopt, domain::Permission::Administer, "seed", std::cerr);
  if (!admin) {
    return kExitUsage;
  }
  store::OrderActor by{admin->user, admin->role, admin->workstation, "", ""};
  auto seeded = store::seedOrders(*localStore, {options.orders, options.seed, 250'000, by, !options.noHistory});
  if (!seeded) {
    std::cerr << "opflow-cli: " << seeded.error().describe() << "\n";
    return kExitFailed;
  }
  std::cout << fmt::format("seeded {} orders ({} .. {}) with {} history rows in {} ms\n", seeded->orders,
                           seeded->firstNumber, seeded->lastNumber, seeded->historyRows, seeded->elapsedMs);
  return kExitOk;
}

struct ListOptions {
  std::vector<std::string> statuses;
  std::string search;
  std::string sort = "newest";
  std::int64_t limit = 50;
  std::string after;
  bool json = false;
};

int listCommand(const CliContext& context, const ListOptions& options) {
  auto statuses = parseStatuses(options.statuses);
  if (!statuses) {
    return kExitUsage;
  }
  if (options.limit < 1 || options.limit > 1000) {
    std::cerr << fmt::format("opflow-cli: --limit {} is out of range: use 1 to 1000\n", options.limit);
    return kExitUsage;
  }
  auto localStore = context.openStore(StoreAccess::Read);
  if (!localStore || !databaseReader(*localStore, domain::Permission::Read, "orders list", std::cerr)) {
    return kExitUsage;
  }
  store::OrderStore orders(*localStore);
  store::OrderQuery query;
  query.statuses = *statuses;
  query.search = options.search;
  query.sort = options.sort == "priority" ? store::OrderSort::Priority : store::OrderSort::Newest;
  query.limit = static_cast<std::size_t>(options.limit);
  query.after = options.after;
  auto page = orders.list(query);
  if (!page) {
    std::cerr << "opflow-cli: " << page.error().describe() << "\n";
    return page.error().code == ErrorCode::InvalidArgument ? kExitUsage : kExitFailed;
  }
  if (options.json) {
    Json rows = Json::array();
    for (const store::OrderSummary& order : page->orders) {
      rows.push_back(Json{{"number", order.number},
                          {"status", domain::toString(order.status)},
                          {"customer", order.customer},
                          {"priority", order.priority},
                          {"price", price(order.priceCents)},
                          {"created_at", isoTime(order.createdAtMs)},
                          {"updated_at", isoTime(order.updatedAtMs)},
                          {"version", order.version}});
    }
    Json out = {{"orders", std::move(rows)},
                {"next_cursor", page->nextCursor.empty() ? Json(nullptr) : Json(page->nextCursor)}};
    printJson(std::cout, out);
    return kExitOk;
  }
  std::cout << fmt::format("{:<12} {:<24} {:<28} {:>3} {:>10} {:<24}\n", "NUMBER", "STATUS", "CUSTOMER", "PRI",
                           "PRICE", "UPDATED (UTC)");
  for (const store::OrderSummary& order : page->orders) {
    std::cout << fmt::format("{:<12} {:<24} {:<28} {:>3} {:>10} {:<24}\n", terminalSafe(order.number),
                             domain::toString(order.status), terminalSafe(order.customer), order.priority,
                             priceText(order.priceCents), isoTime(order.updatedAtMs));
  }
  if (page->orders.empty()) {
    std::cout << "(no orders)\n";
  }
  if (!page->nextCursor.empty()) {
    std::cout << fmt::format("more: --after {}\n", page->nextCursor);
  }
  return kExitOk;
}

int countCommand(const CliContext& context, const std::vector<std::string>& statusTexts, bool json) {
  auto statuses = parseStatuses(statusTexts);
  if (!statuses) {
    return kExitUsage;
  }
  auto localStore = context.openStore(StoreAccess::Read);
  if (!localStore || !databaseReader(*localStore, domain::Permission::Read, "orders count", std::cerr)) {
    return kExitUsage;
  }
  store::OrderStore orders(*localStore);
  auto counts = orders.count(*statuses);
  if (!counts) {
    std::cerr << "opflow-cli: " << counts.error().describe() << "\n";
    return kExitFailed;
  }
  if (json) {
    Json byStatus = Json::object();
    for (const auto& [status, count] : counts->byStatus) {
      byStatus[domain::toString(status)] = count;
    }
    printJson(std::cout, Json{{"total", counts->total}, {"by_status", std::move(byStatus)}});
    return kExitOk;
  }
  for (const auto& [status, count] : counts->byStatus) {
    std::cout << fmt::format("{:<24} {:>10}\n", domain::toString(status), count);
  }
  std::cout << fmt::format("{:<24} {:>10}\n{:<24} {:>10}\n", "total", counts->total, "on hold", counts->held);
  return kExitOk;
}

int showCommand(const CliContext& context, const std::string& number, bool json) {
  auto localStore = context.openStore(StoreAccess::Read);
  if (!localStore || !databaseReader(*localStore, domain::Permission::Read, "orders show", std::cerr)) {
    return kExitUsage;
  }
  store::OrderStore orders(*localStore);
  auto order = orders.get(number);
  if (!order) {
    std::cerr << "opflow-cli: " << terminalSafe(order.error().describe()) << "\n";
    return kExitUsage;
  }
  Json out = {{"number", order->number},
              {"status", domain::toString(order->status)},
              {"owner", domain::toString(domain::ownerOf(order->status))},
              {"customer", order->customer},
              {"priority", order->priority},
              {"price", price(order->priceCents)},
              {"material", order->material},
              {"file_name", order->fileName},
              {"assigned_operator", order->assignedOperator.empty() ? Json(nullptr) : Json(order->assignedOperator)},
              {"hold_reason", order->hold ? Json(domain::toString(*order->hold)) : Json(nullptr)},
              {"created_at", isoTime(order->createdAtMs)},
              {"updated_at", isoTime(order->updatedAtMs)},
              {"version", order->version},
              {"details", order->details}};
  if (json) {
    printJson(std::cout, out);
    return kExitOk;
  }
  for (const auto& [key, value] : out.items()) {
    std::cout << fmt::format("{:<18} {}\n", key,
                             terminalSafe(value.is_string() ? value.get<std::string>()
                                                            : value.dump(-1, ' ', false, Json::error_handler_t::replace)));
  }
  return kExitOk;
}

} // namespace

void registerOrdersCommands(CLI::App& app, CliContext& context) {
  auto seedOptions = std::make_shared<SeedOptions>();
  CLI::App* seed = app.add_subcommand(
      "seed", "Add generated orders with a made-up past to the database (an admin's, signed in here; audited)");
  seed->add_option("--orders", seedOptions->orders, "How many orders")->required();
  seed->add_option("--seed", seedOptions->seed, "Random seed (the same seed gives the same orders)")
      ->capture_default_str();
  seed->add_flag("--no-history", seedOptions->noHistory, "Skip the orders' status timelines (order_history)");
  seed->callback([&context, seedOptions] { context.exitCode = seedCommand(context, *seedOptions); });

  CLI::App* orders = app.add_subcommand("orders", "List, count and show orders");
  orders->require_subcommand(1);

  auto listOptions = std::make_shared<ListOptions>();
  CLI::App* list = orders->add_subcommand("list", "One page of orders, newest or highest priority first");
  list->add_option("--status", listOptions->statuses, "Only this status (repeat for several)");
  list->add_option("--search", listOptions->search, "Order number or customer name prefix (case-insensitive)");
  list->add_option("--sort", listOptions->sort, "newest or priority")
      ->check(CLI::IsMember({"newest", "priority"}))
      ->capture_default_str();
  list->add_option("--limit", listOptions->limit, "Rows per page, 1 to 1000")->capture_default_str();
  list->add_option("--after", listOptions->after, "The next_cursor of the previous page");
  list->add_flag("--json", listOptions->json, "Print JSON");
  list->callback([&context, listOptions] { context.exitCode = listCommand(context, *listOptions); });

  struct CountOptions {
    std::vector<std::string> statuses;
    bool json = false;
  };
  auto countOptions = std::make_shared<CountOptions>();
  CLI::App* count = orders->add_subcommand("count", "Orders by status (kept current by triggers, no scans)");
  count->add_option("--status", countOptions->statuses, "Only this status (repeat for several)");
  count->add_flag("--json", countOptions->json, "Print JSON");
  count->callback([&context, countOptions] {
    context.exitCode = countCommand(context, countOptions->statuses, countOptions->json);
  });

  struct ShowOptions {
    std::string number;
    bool json = false;
  };
  auto showOptions = std::make_shared<ShowOptions>();
  CLI::App* show = orders->add_subcommand("show", "One order with every field");
  show->add_option("number", showOptions->number, "The order number")->required();
  show->add_flag("--json", showOptions->json, "Print JSON");
  show->callback([&context, showOptions] {
    context.exitCode = showCommand(context, showOptions->number, showOptions->json);
  });
}

} // namespace opflow::cli
