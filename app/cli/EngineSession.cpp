#include "EngineSession.h"

#include "opflow/Text.h"
#include "opflow/model/DefinitionFiles.h"

#include <fmt/format.h>


#include <ostream>
#include <thread>

namespace opflow::cli {

std::unique_ptr<EngineSession> EngineSession::open(const CliContext& context, const std::string& command,
                                                   std::ostream& err) {
  auto store = context.openStore(StoreAccess::Write);
  if (!store) {
    return nullptr;
  }
  host::HostOptions options;
  options.lock.program = "opflow-cli " + command;
  options.lock.wait = std::chrono::milliseconds(static_cast<std::int64_t>(context.lockWaitS * 1000));
  options.lock.onWaiting = [&err, &context](const host::EngineLockHolder& holder) {
    err << fmt::format("opflow-cli: waiting up to {} s for {} to finish: it runs the operations of this database\n",
                       context.lockWaitS, holder.describe())
        << std::flush;
  };
  auto host = host::WorkstationHost::open(std::move(store), options);
  if (!host) {
    err << "opflow-cli: " << host.error().describe() << "\n";
    return nullptr;
  }
  for (const std::string& leftOut : (*host)->leftOutDefinitions()) {
    err << "opflow-cli: warning: stored definition " << terminalSafe(leftOut)
        << " does not compile with this build and is left out: update opflow to run it\n";
  }
  std::unique_ptr<EngineSession> session(new EngineSession());
  session->m_host = std::move(host).value();
  session->m_definitions = std::make_unique<Definitions>(session->m_host->catalog());
  return session;
}

bool EngineSession::recover(std::ostream& err) {
  if (Status recovered = engine().recover(); !recovered) {
    err << "opflow-cli: recovery: " << recovered.error().describe() << "\n";
    return false;
  }
  return true;
}

std::optional<std::vector<store::DefinitionOutcome>> EngineSession::loadAndStore(const std::vector<std::string>& paths,
                                                                                const engine::Actor& by,
                                                                                std::ostream& err) {
  std::vector<model::OperationDefinition> batch;
  if (!m_definitions->load(paths, err, &batch)) {
    return std::nullopt;
  }
  store::DefinitionStore definitions(store());
  auto stored = definitions.store(batch, by);
  if (!stored) {
    const Error& error = stored.error();
    if (error.problems.empty()) {
      err << "opflow-cli: " << error.message << "\n";
    }
    for (const Problem& problem : error.problems) {
      err << "opflow-cli: " << problem.message << "\n";
    }
    return std::nullopt;
  }
  return std::move(stored).value();
}

Status EngineSession::carry(const engine::RunId& runId, std::deque<engine::PendingSignal>& signals,
                            bool sleepThroughTimers) {
  while (true) {
    auto run = runs().loadRun(runId);
    if (!run) {
      return makeError(ErrorCode::NotFound, fmt::format("run {} is not in the store", runId.str()));
    }
    if (run->state != engine::RunState::Waiting) {
      return {};
    }
    engine::RunRecord leaf = engine::waitingLeaf(runs(), std::move(*run));
    if (!leaf.awaitedSignal.empty()) {
      if (signals.empty()) {
        return {};
      }
      engine::PendingSignal next = std::move(signals.front());
      signals.pop_front();
      if (Status delivered = engine().signal(runId, next.name, std::move(next.payload)); !delivered) {
        return makeError(delivered.error().code,
                         fmt::format("signal \"{}\" not delivered: {}", next.name, delivered.error().message));
      }
      continue;
    }
    if (!sleepThroughTimers || !leaf.wakeAt) {
      return {};
    }
    // A journal that fails would keep this timer due in the past forever.
    if (Status journaled = journal(); !journaled) {
      return journaled;
    }
    std::this_thread::sleep_until(*leaf.wakeAt);
    engine().fireDueTimers();
  }
}

Status EngineSession::journal() {
  if (!m_journalFailure) {
    if (Status flushed = runs().flush(); !flushed) {
      m_journalFailure = flushed.error();
    }
  }
  if (m_journalFailure) {
    return *m_journalFailure;
  }
  return {};
}

Status EngineSession::sleepThroughTimers(std::vector<engine::RunId> runs) {
  while (true) {
    // What the journal says, once what was posted has committed: a journal that fails
    // would leave a timer due in the past forever, so its failure ends the sleep.
    if (Status journaled = journal(); !journaled) {
      return journaled;
    }
    std::optional<engine::TimePoint> next;
    std::erase_if(runs, [this, &next](const engine::RunId& id) {
      auto run = this->runs().loadRun(id);
      if (!run || run->state != engine::RunState::Waiting) {
        return true; // ended: nothing more to sleep through
      }
      engine::RunRecord leaf = engine::waitingLeaf(this->runs(), std::move(*run));
      if (!leaf.awaitedSignal.empty() || !leaf.awaitedChild.empty() || !leaf.wakeAt) {
        return true; // waits for someone: this process cannot bring it
      }
      if (!next || *leaf.wakeAt < *next) {
        next = leaf.wakeAt;
      }
      return false;
    });
    if (!next) {
      return {};
    }
    std::this_thread::sleep_until(*next);
    engine().fireDueTimers();
  }
}

Json runResultJson(const engine::RunRecord& run, const std::vector<engine::StepRecord>& steps) {
  Json stepList = Json::array();
  for (const engine::StepRecord& step : steps) {
    Json item{{"node", step.node}, {"kind", model::toString(step.kind)}, {"exit", step.exit},
              {"duration_us", step.durationUs}};
    if (step.retry) {
      item["retry"] = true;
    }
    stepList.push_back(std::move(item));
  }
  Json result{{"run_id", run.id.str()},
              {"operation", run.operation},
              {"version", run.version},
              {"state", engine::toString(run.state)},
              {"node", run.currentNode},
              {"outputs", run.outputs.is_null() ? Json::object() : run.outputs},
              {"error", run.error ? run.error->toJson() : Json(nullptr)},
              {"steps", std::move(stepList)}};
  if (run.state == engine::RunState::Waiting) {
    result["waiting_for"] = Json{{"signal", run.awaitedSignal.empty() ? Json(nullptr) : Json(run.awaitedSignal)},
                                 {"child", run.awaitedChild.empty() ? Json(nullptr) : Json(run.awaitedChild.str())},
                                 {"wake_at", run.wakeAt ? Json(store::toMs(*run.wakeAt)) : Json(nullptr)}};
  }
  return result;
}

void printRunText(std::ostream& out, const engine::RunRecord& run, const std::vector<engine::StepRecord>& steps) {
  out << fmt::format("run {}  {} v{}  {}\n", run.id.str(), run.operation, run.version, engine::toString(run.state));
  for (const engine::StepRecord& step : steps) {
    out << fmt::format("  {:>3}  {:<8} {:<28} {:<14} {:>8} us{}\n", step.index + 1, model::toString(step.kind),
                       step.node, step.exit.empty() ? "-" : step.exit, step.durationUs, step.retry ? "  (retry)" : "");
  }
  if (run.state == engine::RunState::Completed) {
    out << "outputs: " << terminalSafe(run.outputs.dump(-1, ' ', false, Json::error_handler_t::replace)) << "\n";
  } else if (run.state == engine::RunState::Waiting) {
    out << fmt::format("waiting at \"{}\"{}{}\n", run.currentNode,
                       run.awaitedSignal.empty() ? std::string() : " for signal \"" + run.awaitedSignal + "\"",
                       run.awaitedChild.empty() ? std::string() : " for sub-run " + run.awaitedChild.str());
  } else if (run.state == engine::RunState::Interrupted) {
    out << fmt::format("interrupted at \"{}\": a supervisor decides (opflow-cli decide {} retry|skip NODE|fail)\n",
                       run.currentNode, run.id.str());
  } else if (run.error) {
    out << "error: " << terminalSafe(run.error->describe()) << "\n";
  }
}

} // namespace opflow::cli
