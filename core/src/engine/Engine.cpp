// The engine's run loop.
//
// Ownership: a run's record (data, position, counters) is touched only by the task that
// drives it, and at most one such task exists per run (`scheduled`). Everything other
// threads look at to wake a run (phase, awaited signal or child, pending wake, timer)
// lives in the Run's scheduling fields under the engine mutex. Wakers never change the
// record: they leave a WakeReason and schedule the run; the driver consumes it. Reads
// from outside go to the RunStore, which receives the whole record at every change; the
// one thing it never receives, the progress a handler reports inside its node, the Run
// keeps in a LiveProgress with its own lock, for runRecord() and activeRuns().
//
// Progress: a handler's reports become ProgressEvents with an ETA learned from the
// node's earlier steps (NodeProgress); between nodes, progress is structural (steps done
// against the shortest way to an end).
//
// Lock discipline: the engine mutex is never held while calling the store, a listener,
// a handler or Executor::post (an InlineExecutor runs the task right there).
#include "opflow/engine/Engine.h"

#include "opflow/JsonBounds.h"
#include "opflow/Text.h"
#include "opflow/domain/Role.h"

#include "LiveProgress.h"
#include "NodeExecutor.h"
#include "NodeProgress.h"
#include "opflow/model/InputValidation.h"

#include <fmt/format.h>

#include <algorithm>

namespace opflow::engine {

using detail::WakeKind;
using detail::WakeReason;
using model::NodeKind;

namespace {

enum class Phase { Running, Waiting, Interrupted, Done };

// How a finished sub-run wakes the parent that waits for it.
WakeReason childOutcome(const RunRecord& child) {
  if (child.state == RunState::Completed) {
    return WakeReason{WakeKind::ChildCompleted, child.outputs, {}};
  }
  if (child.state == RunState::Failed && child.error) {
    return WakeReason{WakeKind::ChildFailed, nullptr, *child.error};
  }
  return WakeReason{WakeKind::ChildFailed, nullptr,
                    RunError{"cancelled", fmt::format("sub-operation \"{}\" was cancelled", child.operation), {}}};
}

std::int64_t microsSince(const Clock& clock, SteadyTimePoint start) {
  return std::chrono::duration_cast<std::chrono::microseconds>(clock.steadyNow() - start).count();
}

} // namespace

struct Engine::Run {
  RunRecord record;
  OperationPtr op;
  std::size_t current = 0;
  std::stop_source stop;
  ListenerList listeners;
  TimePoint stepStartedAt;
  SteadyTimePoint stepStartedSteady;
  bool retry = false; // the next step re-enters a node after a restart
  detail::LiveProgress live; // the handler's latest progress in the current node

  // Scheduling fields, guarded by Engine::m_mutex.
  Phase phase = Phase::Running;
  bool scheduled = false;
  std::string awaitedSignal;
  RunId awaitedChild;
  std::optional<WakeReason> wake;
  std::optional<std::multimap<TimePoint, RunId>::iterator> timer;
  Actor cancelledBy;                 // who asked for the stop, for the journal
  std::optional<Decision> decision;  // a supervisor's decision, for the driver to apply
  Actor decidedBy;

  // Whether anyone listens: an event is built (once, for all listeners) only then.
  [[nodiscard]] bool heard() const { return !listeners->empty(); }

  template <typename Fn>
  void emit(Fn&& fn) const {
    for (RunListener* listener : *listeners) {
      fn(*listener);
    }
  }
};

Engine::Engine(const OperationCatalog& catalog, RunStore& store, EngineOptions options)
    : m_catalog(catalog), m_store(store), m_options(options),
      m_clock(options.clock ? *options.clock : systemClock()),
      m_listeners(std::make_shared<const std::vector<RunListener*>>()) {
  if (m_options.workers == 0) {
    m_executor = std::make_unique<InlineExecutor>();
  } else {
    m_executor = std::make_unique<ThreadPool>(m_options.workers);
    m_timerThread = std::thread([this] { timerLoop(); });
  }
}

Engine::~Engine() {
  // Runs in flight are stopped but not recorded as cancelled: they stay running or
  // waiting in the store, and recover() resumes them at the next start.
  m_shuttingDown = true;
  {
    std::lock_guard lock(m_mutex);
    m_stopping = true;
    for (auto& [id, run] : m_active) {
      run->stop.request_stop();
    }
  }
  m_timerWake.notify_all();
  if (m_timerThread.joinable()) {
    m_timerThread.join();
  }
  m_executor.reset();
}

void Engine::addListener(RunListener& listener) {
  std::lock_guard lock(m_mutex);
  auto next = std::make_shared<std::vector<RunListener*>>(*m_listeners);
  next->push_back(&listener);
  m_listeners = std::move(next);
}

TimePoint Engine::now() const { return m_clock.now(); }

Engine::RunPtr Engine::findActive(const RunId& runId) const {
  auto found = m_active.find(runId);
  return found == m_active.end() ? nullptr : found->second;
}

namespace {

// The longest operation name a start may give (a definition's names are no longer).
constexpr std::size_t kMaxOperationNameLength = 200;

// Whether `role` may act on runs: a role the domain knows and denies Act (a manager) may
// not; other role names (tests, tools) are left to each operation's own roles list.
bool mayAct(const std::string& role) {
  auto known = domain::parseRole(role);
  return !known || domain::allows(*known, domain::Permission::Act);
}

} // namespace

std::optional<std::string> cancelRefusal(const RunContext& started, const Actor& actor) {
  if (actor.empty()) {
    return std::nullopt;
  }
  if (!mayAct(actor.role)) {
    return fmt::format("role \"{}\" may not cancel a run: it reads and changes nothing", actor.role);
  }
  auto role = domain::parseRole(actor.role);
  if (actor.user == started.user || (role && domain::allows(*role, domain::Permission::Supervise))) {
    return std::nullopt;
  }
  return fmt::format("{} may cancel only the runs they started: this one was started by {}; a supervisor may "
                     "cancel it",
                     actor.user.empty() ? std::string("nobody named") : actor.user,
                     started.user.empty() ? std::string("nobody named") : started.user);
}

Result<Engine::RunPtr> Engine::createRun(StartRequest request, const RunId& parent) {
  Error refusal;
  bool refused = true;
  Json inputs = Json::object();
  OperationPtr op;
  // What arrives from outside is checked before anything keeps it: the name, then (for a
  // run started from outside; a sub-run's inputs come from its parent's data) the inputs.
  const auto nameFault = textFault(request.operation);
  if (nameFault || codePointCount(request.operation) > kMaxOperationNameLength) {
    refusal = makeError(ErrorCode::NotFound,
                        fmt::format("no operation \"{}\": {}", shownBriefly(request.operation),
                                    nameFault ? "its name holds a " + nameFault->what : std::string("its name is too long")));
    request.operation = shownBriefly(request.operation);
    request.inputs = nullptr;
  } else if (auto violation = parent.empty() ? checkJson(request.inputs, kInputLimits) : std::nullopt) {
    // Refused at the door: the audit names the limit and never keeps what broke it.
    refusal = makeError(ErrorCode::InvalidInputs,
                        fmt::format("the inputs of \"{}\" were refused: {}", request.operation, violation->describe()));
    request.inputs = nullptr;
  } else if (op = request.version ? m_catalog.find(request.operation, *request.version)
                                  : m_catalog.latest(request.operation);
             !op) {
    refusal = makeError(ErrorCode::NotFound,
                        request.version ? fmt::format("no operation \"{}\" v{}", request.operation, *request.version)
                                        : fmt::format("no operation \"{}\"", request.operation));
  } else if (!mayAct(request.context.role)) {
    refusal = makeError(ErrorCode::PermissionDenied,
                        fmt::format("role \"{}\" may not run \"{}\": it reads and changes nothing",
                                    request.context.role, op->name()));
  } else if (const auto& roles = op->definition().roles;
             !roles.empty() && std::find(roles.begin(), roles.end(), request.context.role) == roles.end()) {
    std::string allowed;
    for (const std::string& role : roles) {
      allowed += (allowed.empty() ? "" : ", ") + role;
    }
    refusal = makeError(ErrorCode::PermissionDenied,
                        fmt::format("role \"{}\" may not run \"{}\" (allowed: {})",
                                    request.context.role.empty() ? "none" : request.context.role, op->name(), allowed));
  } else if (auto resolved = model::resolveInputs(op->definition().inputs, request.inputs); !resolved) {
    refusal = resolved.error();
    refusal.message = fmt::format("\"{}\" refused its inputs: {}", op->name(), refusal.message);
  } else {
    inputs = std::move(resolved).value();
    refused = false;
  }
  if (request.context.correlationId.empty()) {
    request.context.correlationId = newUuidV7();
  }
  if (refused) {
    RejectedStart rejected{request.operation, request.context, request.inputs, refusal, now()};
    static_cast<void>(m_store.startRejected(rejected));
    ListenerList listeners;
    {
      std::lock_guard lock(m_mutex);
      listeners = m_listeners;
    }
    RunRejectedEvent event{request.operation, request.context, refusal};
    for (RunListener* listener : *listeners) {
      listener->onRunRejected(event);
    }
    return refusal;
  }

  auto run = std::make_shared<Run>();
  run->op = op;
  run->current = op->start();
  RunRecord& record = run->record;
  record.id = RunId::generate();
  record.parentId = parent;
  record.operation = op->name();
  record.version = op->version();
  record.contentHash = op->contentHash();
  record.context = std::move(request.context);
  record.context.runId = record.id;
  record.context.parentRunId = parent;
  record.inputs = inputs;
  record.data = std::move(inputs);
  record.data["ctx"] = record.context.toJson();
  record.currentNode = op->nodes()[run->current].node->name;
  record.createdAt = record.updatedAt = now();
  {
    std::lock_guard lock(m_mutex);
    run->listeners = m_listeners;
  }
  return run;
}

Result<RunId> Engine::start(StartRequest request) {
  auto created = createRun(std::move(request), RunId());
  if (!created) {
    return created.error();
  }
  RunPtr run = std::move(created).value();
  if (Status stored = m_store.runCreated(run->record); !stored) {
    return stored.error();
  }
  if (run->heard()) {
    const RunStartedEvent started{run->record.id, run->record.operation, run->record.version, run->record.context,
                                  run->record.inputs};
    run->emit([&](RunListener& l) { l.onRunStarted(started); });
  }
  RunId id = run->record.id;
  {
    std::lock_guard lock(m_mutex);
    m_active.emplace(id, run);
    run->scheduled = true;
  }
  m_executor->post([this, run] { drive(run); });
  return id;
}

void Engine::schedule(const RunPtr& run) {
  bool post = false;
  {
    std::lock_guard lock(m_mutex);
    post = !run->scheduled;
    run->scheduled = true;
  }
  if (post) {
    m_executor->post([this, run] { drive(run); });
  }
}

void Engine::drive(const RunPtr& run) {
  std::optional<WakeReason> wake;
  std::optional<Decision> decision;
  Actor decidedBy;
  {
    std::lock_guard lock(m_mutex);
    if (run->phase == Phase::Done || run->phase == Phase::Interrupted) {
      run->scheduled = false;
      return;
    }
    if (run->decision && !run->stop.stop_requested()) {
      decision = std::move(run->decision);
      decidedBy = run->decidedBy;
    }
    run->decision.reset();
    if (run->phase == Phase::Waiting) {
      if (!run->wake && !run->stop.stop_requested()) {
        run->scheduled = false;
        return;
      }
      wake = std::move(run->wake);
      run->wake.reset();
      if (run->timer) {
        m_timers.erase(*run->timer);
        run->timer.reset();
      }
      run->phase = Phase::Running;
      run->awaitedSignal.clear();
      run->awaitedChild = RunId();
    }
  }
  RunRecord& record = run->record;
  // Why the run moves now: the store's next call carries it, later ones are plain steps.
  RunChange change;
  if (wake) {
    switch (wake->kind) {
    case WakeKind::Signal:
      change.kind = ChangeKind::Signalled;
      change.signal = wake->signal;
      change.payload = wake->payload;
      change.actor = wake->actor;
      break;
    case WakeKind::Timer:
    case WakeKind::Timeout: change.kind = ChangeKind::TimerFired; break;
    case WakeKind::ChildCompleted:
    case WakeKind::ChildFailed: change.kind = ChangeKind::ChildEnded; break;
    }
    record.state = RunState::Running;
    record.wakeAt.reset();
    record.awaitedSignal.clear();
    record.awaitedChild = RunId();
  }
  if (decision && !applyDecision(run, *decision, decidedBy)) {
    return;
  }

  const CompiledOperation& op = *run->op;
  detail::NodeProgress progress(m_store, m_clock, *run->listeners, record, run->live);
  while (true) {
    if (m_shuttingDown) {
      // Stopped with the engine: the run stays running at this node, with its data, for
      // recover() (a store may keep only the position at each step). A run woken from a
      // wait stays parked, as the store has it.
      if (!wake) {
        static_cast<void>(m_store.runUpdated(record, RunChange{.kind = ChangeKind::Stopped}));
      }
      return;
    }
    if (run->stop.stop_requested()) {
      finish(run, RunState::Cancelled, nullptr, cancelChange(run));
      break;
    }
    const CompiledNode& node = op.nodes()[run->current];
    detail::NodeScope scope{op, record.data, record.context, run->stop.get_token(), &progress, nullptr};
    detail::StepOutcome outcome;
    if (wake) {
      outcome = detail::resumeNode(node, scope, *wake);
      wake.reset();
    } else {
      if (record.stepCount >= m_options.stepLimit) {
        StepRecord step{record.id, record.stepCount, node.node->name, node.kind, "", now(), 0, "", false};
        record.error = RunError{"step_limit",
                                fmt::format("the run took {} steps without ending (the limit)", m_options.stepLimit),
                                {detail::nodePath(op, node)}};
        step.error = record.error->message;
        finish(run, RunState::Failed, &step, change);
        break;
      }
      run->stepStartedAt = now();
      run->stepStartedSteady = m_clock.steadyNow();
      progress.enter(node.node->name, run->stepStartedSteady);
      if (run->heard()) {
        const StepEnteredEvent entered{record.id, node.node->name, node.kind, record.stepCount};
        run->emit([&](RunListener& l) { l.onStepEntered(entered); });
      }
      outcome = detail::executeNode(node, scope);
      progress.leave();
      if (m_shuttingDown && std::holds_alternative<detail::Failure>(outcome)) {
        // The node gave up as the engine stopped, and a failing node writes nothing: it runs
        // again after recover(). A node that did its work is journaled before the run stops.
        static_cast<void>(m_store.runUpdated(record, RunChange{.kind = ChangeKind::Stopped}));
        return;
      }
    }

    StepRecord step{record.id, record.stepCount, node.node->name, node.kind, "", run->stepStartedAt,
                    microsSince(m_clock, run->stepStartedSteady), "", run->retry};
    if (auto* next = std::get_if<detail::GoTo>(&outcome)) {
      run->retry = false;
      step.exit = next->exit;
      run->current = next->target;
      ++record.stepCount;
      record.currentNode = op.nodes()[run->current].node->name;
      record.updatedAt = now();
      Status stored = m_store.stepFinished(record, step, change);
      change = RunChange{};
      if (!stored) {
        record.error = RunError{"store_error", stored.error().describe(), {detail::nodePath(op, node)}};
        finish(run, RunState::Failed, nullptr);
        break;
      }
      if (run->heard()) {
        const StepFinishedEvent finished{step};
        const double done = static_cast<double>(record.stepCount);
        const double left = static_cast<double>(op.nodes()[run->current].stepsToEnd);
        const ProgressEvent progressed{record.id, done / (done + left), "", true};
        run->emit([&](RunListener& l) {
          l.onStepFinished(finished);
          l.onProgress(progressed);
        });
      }
    } else if (auto* call = std::get_if<detail::CallRequest>(&outcome)) {
      StartRequest request{call->operation, std::nullopt, std::move(call->inputs), record.context};
      request.context.parentRunId = record.id;
      auto child = createRun(std::move(request), record.id);
      if (!child) {
        wake = WakeReason{WakeKind::ChildFailed, nullptr,
                          RunError{"invalid_call", child.error().describe(), {}}};
        continue;
      }
      RunPtr childRun = std::move(child).value();
      park(run, "", std::nullopt, childRun->record.id, std::move(change));
      change = RunChange{};
      if (Status stored = m_store.runCreated(childRun->record); !stored) {
        std::lock_guard lock(m_mutex);
        run->wake = WakeReason{WakeKind::ChildFailed, nullptr, RunError{"store_error", stored.error().describe(), {}}};
      } else {
        if (childRun->heard()) {
          const RunStartedEvent started{childRun->record.id, childRun->record.operation, childRun->record.version,
                                        childRun->record.context, childRun->record.inputs};
          childRun->emit([&](RunListener& l) { l.onRunStarted(started); });
        }
        {
          std::lock_guard lock(m_mutex);
          m_active.emplace(childRun->record.id, childRun);
          childRun->scheduled = true;
          if (run->stop.stop_requested()) {
            // The parent was cancelled before its child was active, where cancel() could
            // not reach it: the child goes the same way.
            childRun->cancelledBy = run->cancelledBy;
            childRun->stop.request_stop();
          }
        }
        m_executor->post([this, childRun] { drive(childRun); });
      }
      break;
    } else if (auto* parkRequest = std::get_if<detail::ParkRequest>(&outcome)) {
      park(run, parkRequest->signal, parkRequest->afterS, RunId(), std::move(change), parkRequest->deadlineAs);
      break;
    } else if (auto* finished = std::get_if<detail::Finish>(&outcome)) {
      step.exit = "completed";
      record.outputs = std::move(finished->outputs);
      ++record.stepCount;
      finish(run, RunState::Completed, &step, change);
      break;
    } else if (auto* failed = std::get_if<detail::Failure>(&outcome)) {
      step.error = failed->error.message;
      ++record.stepCount;
      if (run->stop.stop_requested()) {
        // A handler that gives up because it was asked to stop has not failed the run:
        // the operator cancelled it.
        step.exit = "cancelled";
        finish(run, RunState::Cancelled, &step, cancelChange(run));
        break;
      }
      step.exit = "failed";
      record.error = std::move(failed->error);
      finish(run, RunState::Failed, &step, change);
      break;
    }
  }

  // A wake may have arrived while this task finished parking: take it now.
  bool again = false;
  {
    std::lock_guard lock(m_mutex);
    again = run->phase == Phase::Waiting && (run->wake || run->stop.stop_requested());
    run->scheduled = again;
  }
  if (again) {
    m_executor->post([this, run] { drive(run); });
  }
}

void Engine::park(const RunPtr& run, const std::string& signal, std::optional<double> afterS, const RunId& child,
                  RunChange change, const std::string& deadlineAs) {
  RunRecord& record = run->record;
  record.state = RunState::Waiting;
  record.awaitedSignal = signal;
  record.awaitedChild = child;
  record.updatedAt = now();
  if (afterS) {
    record.wakeAt = record.updatedAt + std::chrono::duration_cast<TimePoint::duration>(std::chrono::duration<double>(*afterS));
    if (!deadlineAs.empty()) {
      using std::chrono::milliseconds;
      auto kept = record.data.find(deadlineAs);
      if (kept != record.data.end() && kept->is_number_integer()) {
        record.wakeAt = TimePoint(std::chrono::duration_cast<TimePoint::duration>(milliseconds(kept->get<std::int64_t>())));
      } else {
        record.data[deadlineAs] =
            std::chrono::duration_cast<milliseconds>(record.wakeAt->time_since_epoch()).count();
      }
    }
  } else {
    record.wakeAt.reset();
  }
  if (change.kind == ChangeKind::Step) {
    change.kind = ChangeKind::Parked;
  }
  static_cast<void>(m_store.runUpdated(record, change));
  {
    std::lock_guard lock(m_mutex);
    run->phase = Phase::Waiting;
    run->awaitedSignal = signal;
    run->awaitedChild = child;
    if (record.wakeAt) {
      run->timer = m_timers.emplace(*record.wakeAt, record.id);
    }
  }
  m_timerWake.notify_all();
  run->emit([&](RunListener& l) { l.onWaiting({record.id, record.currentNode, signal, child, record.wakeAt}); });
}

RunChange Engine::cancelChange(const RunPtr& run) const {
  std::lock_guard lock(m_mutex);
  return RunChange{.kind = ChangeKind::Cancelled, .actor = run->cancelledBy};
}

bool Engine::applyDecision(const RunPtr& run, const Decision& decision, const Actor& actor) {
  RunRecord& record = run->record;
  const CompiledOperation& op = *run->op;
  RunChange change{.kind = ChangeKind::Decided, .actor = actor, .decision = decision.kind, .target = decision.node};
  record.state = RunState::Running;
  record.updatedAt = now();
  switch (decision.kind) {
  case DecisionKind::Retry:
    run->retry = true;
    static_cast<void>(m_store.runUpdated(record, change));
    return true;
  case DecisionKind::Skip: {
    // The skipped node is journaled as a step that took the exit "skipped", so the path
    // shows where the supervisor moved the run.
    const CompiledNode& node = op.nodes()[run->current];
    StepRecord step{record.id, record.stepCount, node.node->name, node.kind, "skipped", record.updatedAt, 0, "", false};
    run->current = op.indexOf(decision.node);
    run->retry = false;
    ++record.stepCount;
    record.currentNode = decision.node;
    static_cast<void>(m_store.stepFinished(record, step, change));
    run->emit([&](RunListener& l) { l.onStepFinished({step}); });
    return true;
  }
  case DecisionKind::Fail:
    record.error = RunError{"interrupted",
                            fmt::format("a supervisor ({}) failed the run interrupted at \"{}\"",
                                        actor.user.empty() ? "unknown" : actor.user, record.currentNode),
                            {detail::nodePath(op, op.nodes()[run->current])}};
    finish(run, RunState::Failed, nullptr, change);
    return false;
  }
  return true;
}

void Engine::finish(const RunPtr& run, RunState state, const StepRecord* step, const RunChange& change) {
  RunRecord& record = run->record;
  record.state = state;
  record.updatedAt = now();
  record.wakeAt.reset();
  record.awaitedSignal.clear();
  record.awaitedChild = RunId();
  Status stored = step ? m_store.stepFinished(record, *step, change) : m_store.runUpdated(record, change);
  static_cast<void>(stored);
  {
    std::lock_guard lock(m_mutex);
    run->phase = Phase::Done;
    if (run->timer) {
      m_timers.erase(*run->timer);
      run->timer.reset();
    }
    m_active.erase(record.id);
  }
  if (run->heard()) {
    if (step) {
      const StepFinishedEvent finished{*step};
      run->emit([&](RunListener& l) { l.onStepFinished(finished); });
    }
    switch (state) {
    case RunState::Completed: {
      const ProgressEvent progressed{record.id, 1.0, "", true};
      const CompletedEvent completed{record.id, record.outputs};
      run->emit([&](RunListener& l) {
        l.onProgress(progressed);
        l.onCompleted(completed);
      });
      break;
    }
    case RunState::Failed: {
      const FailedEvent failed{record.id, *record.error};
      run->emit([&](RunListener& l) { l.onFailed(failed); });
      break;
    }
    case RunState::Cancelled: {
      const CancelledEvent cancelled{record.id};
      run->emit([&](RunListener& l) { l.onCancelled(cancelled); });
      break;
    }
    default: break;
    }
  }
  notifyParent(run);
}

void Engine::notifyParent(const RunPtr& child) {
  const RunRecord& record = child->record;
  if (record.parentId.empty()) {
    return;
  }
  WakeReason reason = childOutcome(record);
  RunPtr parent;
  {
    std::lock_guard lock(m_mutex);
    parent = findActive(record.parentId);
    if (!parent || parent->phase != Phase::Waiting || parent->awaitedChild != record.id || parent->wake) {
      return;
    }
    parent->wake = std::move(reason);
  }
  schedule(parent);
}

Status Engine::refuse(const RunPtr& run, const std::string& action, const Actor& actor, Error error) {
  // The context and inputs never change after creation: reading them here races with no write.
  const RunRecord& record = run->record;
  RefusedAction refused{record.id, record.operation, record.context, record.inputs, action, actor, error, now()};
  if (Status audited = m_store.actionRefused(refused); !audited) {
    error.message += fmt::format(" (the refusal could not be audited: {})", audited.error().message);
  }
  return error;
}

Status Engine::signal(const RunId& runId, const std::string& name, Json payload, Actor actor) {
  RunPtr target;
  {
    std::lock_guard lock(m_mutex);
    target = findActive(runId);
    if (!target) {
      return makeError(ErrorCode::NotFound, fmt::format("run {} is not active", runId.str()));
    }
  }
  if (auto violation = checkJson(payload, kInputLimits)) {
    return refuse(target, "signal", actor,
                  makeError(ErrorCode::InvalidInputs, fmt::format("the payload of signal \"{}\" was refused: {}",
                                                                  shownBriefly(name), violation->describe())));
  }
  {
    std::lock_guard lock(m_mutex);
    while (target->phase == Phase::Waiting && !target->awaitedChild.empty()) {
      RunPtr child = findActive(target->awaitedChild);
      if (!child) {
        break;
      }
      target = std::move(child);
    }
    if (target->phase != Phase::Waiting || target->awaitedSignal.empty()) {
      return makeError(ErrorCode::Conflict, fmt::format("run {} is not waiting for a signal", runId.str()));
    }
    if (target->awaitedSignal != name) {
      return makeError(ErrorCode::Conflict, fmt::format("run {} waits for signal \"{}\", not \"{}\"",
                                                        target->record.id.str(), target->awaitedSignal, name));
    }
    if (target->wake) {
      return makeError(ErrorCode::Conflict, fmt::format("run {} is being woken already", target->record.id.str()));
    }
    target->wake = WakeReason{WakeKind::Signal, std::move(payload), {}, name, std::move(actor)};
  }
  schedule(target);
  return {};
}

void Engine::cancelLocked(const RunPtr& run, const Actor& actor, std::vector<RunPtr>& toSchedule,
                          std::vector<RunPtr>& toPost) {
  if (!run->stop.stop_requested()) {
    run->cancelledBy = actor;
  }
  run->stop.request_stop();
  if (run->phase == Phase::Waiting && !run->awaitedChild.empty()) {
    if (RunPtr child = findActive(run->awaitedChild)) {
      cancelLocked(child, actor, toSchedule, toPost);
    }
  }
  if (run->phase == Phase::Interrupted) {
    run->phase = Phase::Running;
    run->scheduled = true;
    toPost.push_back(run);
  } else {
    toSchedule.push_back(run);
  }
}

Status Engine::cancel(const RunId& runId, Actor actor) {
  RunPtr run;
  {
    std::lock_guard lock(m_mutex);
    run = findActive(runId);
  }
  if (!run) {
    return makeError(ErrorCode::NotFound, fmt::format("run {} is not active", runId.str()));
  }
  if (auto refusal = cancelRefusal(run->record.context, actor)) {
    return refuse(run, "cancel", actor, makeError(ErrorCode::PermissionDenied, *refusal));
  }
  std::vector<RunPtr> toSchedule;
  std::vector<RunPtr> toPost;
  {
    std::lock_guard lock(m_mutex);
    if (run->phase == Phase::Done) {
      return makeError(ErrorCode::NotFound, fmt::format("run {} is not active", runId.str()));
    }
    cancelLocked(run, actor, toSchedule, toPost);
  }
  for (const RunPtr& stopped : toPost) {
    m_executor->post([this, stopped] { drive(stopped); });
  }
  for (const RunPtr& stopped : toSchedule) {
    schedule(stopped);
  }
  return {};
}

Status Engine::decide(const RunId& runId, Decision decision, Actor actor) {
  if (actor.role != "supervisor") {
    return makeError(ErrorCode::PermissionDenied,
                     fmt::format("only a supervisor may decide about an interrupted run (role \"{}\")",
                                 actor.role.empty() ? "none" : actor.role));
  }
  RunPtr run;
  {
    std::lock_guard lock(m_mutex);
    run = findActive(runId);
    if (!run) {
      return makeError(ErrorCode::NotFound, fmt::format("run {} is not active", runId.str()));
    }
    if (run->phase != Phase::Interrupted) {
      return makeError(ErrorCode::Conflict, fmt::format("run {} is not interrupted: there is nothing to decide",
                                                        runId.str()));
    }
    if (decision.kind == DecisionKind::Skip) {
      const CompiledOperation& op = *run->op;
      if (decision.node.empty() || op.indexOf(decision.node) == kNoNode) {
        std::string valid;
        for (const CompiledNode& node : op.nodes()) {
          valid += (valid.empty() ? "" : ", ") + node.node->name;
        }
        return makeError(ErrorCode::InvalidArgument,
                         decision.node.empty()
                             ? fmt::format("skip needs the node to go on at; \"{}\" v{} has: {}", op.name(),
                                           op.version(), valid)
                             : fmt::format("\"{}\" v{} has no node \"{}\"; its nodes: {}", op.name(), op.version(),
                                           decision.node, valid));
      }
    }
    run->decision = std::move(decision);
    run->decidedBy = std::move(actor);
    run->phase = Phase::Running;
    run->scheduled = true;
  }
  m_executor->post([this, run] { drive(run); });
  return {};
}

std::optional<TimePoint> Engine::nextTimerDue() const {
  std::lock_guard lock(m_mutex);
  if (m_timers.empty()) {
    return std::nullopt;
  }
  return m_timers.begin()->first;
}

void Engine::fireDueTimers() {
  std::vector<RunPtr> due;
  {
    std::lock_guard lock(m_mutex);
    TimePoint current = now();
    while (!m_timers.empty() && m_timers.begin()->first <= current) {
      RunPtr run = findActive(m_timers.begin()->second);
      m_timers.erase(m_timers.begin());
      if (!run) {
        continue;
      }
      run->timer.reset();
      if (run->phase == Phase::Waiting && !run->wake) {
        run->wake = WakeReason{run->awaitedSignal.empty() ? WakeKind::Timer : WakeKind::Timeout, nullptr, {}};
        due.push_back(run);
      }
    }
  }
  for (const RunPtr& run : due) {
    schedule(run);
  }
}

void Engine::timerLoop() {
  std::unique_lock lock(m_mutex);
  while (!m_stopping) {
    auto waitFor = std::chrono::milliseconds(500);
    if (!m_timers.empty()) {
      auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(m_timers.begin()->first - now());
      waitFor = std::clamp(remaining, std::chrono::milliseconds(0), waitFor);
    }
    if (waitFor.count() > 0) {
      m_timerWake.wait_for(lock, waitFor);
    }
    if (m_stopping) {
      break;
    }
    lock.unlock();
    fireDueTimers();
    lock.lock();
  }
}

Status Engine::recover() {
  std::vector<RunRecord> unfinished = m_store.loadUnfinished();
  std::sort(unfinished.begin(), unfinished.end(),
            [](const RunRecord& a, const RunRecord& b) { return a.id < b.id; });
  std::vector<RunPtr> toDrive;
  std::vector<RunPtr> interrupted;
  std::vector<RunPtr> waitingOnChild;
  std::vector<RunPtr> toWake;
  std::vector<RunPtr> toReenter;
  for (RunRecord& record : unfinished) {
    OperationPtr op = m_catalog.find(record.operation, record.version);
    std::size_t current = op ? op->indexOf(record.currentNode) : kNoNode;
    if (!op || current == kNoNode) {
      record.state = RunState::Failed;
      record.error = RunError{"definition_missing",
                              fmt::format("\"{}\" v{} (node \"{}\") is not in the catalog, so the run cannot resume",
                                          record.operation, record.version, record.currentNode),
                              {}};
      record.updatedAt = now();
      static_cast<void>(m_store.runUpdated(record));
      continue;
    }
    auto run = std::make_shared<Run>();
    run->op = op;
    run->current = current;
    run->record = std::move(record);
    run->stepStartedAt = run->record.updatedAt;
    run->stepStartedSteady = m_clock.steadyNow();
    const CompiledNode& node = op->nodes()[current];
    std::lock_guard lock(m_mutex);
    run->listeners = m_listeners;
    m_active.emplace(run->record.id, run);
    if (run->record.state == RunState::Running) {
      if (node.kind == NodeKind::Action && node.handler && !node.handler->idempotent) {
        run->record.state = RunState::Interrupted;
        run->phase = Phase::Interrupted;
        interrupted.push_back(run);
      } else {
        run->retry = true;
        run->scheduled = true;
        toDrive.push_back(run);
      }
    } else if (run->record.state == RunState::Waiting) {
      run->phase = Phase::Waiting;
      run->awaitedSignal = run->record.awaitedSignal;
      run->awaitedChild = run->record.awaitedChild;
      if (!run->awaitedChild.empty()) {
        waitingOnChild.push_back(run);
      }
      if (run->record.wakeAt) {
        run->timer = m_timers.emplace(*run->record.wakeAt, run->record.id);
      }
    } else {
      run->phase = Phase::Interrupted;
    }
  }
  m_timerWake.notify_all();
  for (const RunPtr& run : interrupted) {
    static_cast<void>(m_store.runUpdated(run->record, RunChange{.kind = ChangeKind::Interrupted}));
  }
  for (const RunPtr& run : toDrive) {
    m_executor->post([this, run] { drive(run); });
  }
  // A crash between a sub-run's end and its parent's wake leaves the parent waiting on a
  // run that will never finish again: wake it with the outcome the store has.
  // Runs driven above may have ended sub-runs and woken their parents already (in
  // synchronous mode they have): a parent is handled here only while it still waits,
  // unwoken, on the sub-run it was recovered with.
  auto stillWaitingOn = [this](const RunPtr& parent, const RunId& child) {
    return parent->phase == Phase::Waiting && !parent->wake && parent->awaitedChild == child &&
           !m_active.contains(child);
  };
  for (const RunPtr& parent : waitingOnChild) {
    const RunId awaited = parent->record.awaitedChild;
    {
      std::lock_guard lock(m_mutex);
      if (!stillWaitingOn(parent, awaited)) {
        continue;
      }
    }
    auto child = m_store.loadRun(awaited);
    std::lock_guard lock(m_mutex);
    if (!stillWaitingOn(parent, awaited)) {
      continue;
    }
    if (!child) {
      // The crash fell between the parent's park and its sub-run's creation: the call
      // never started, so the parent enters its call node again.
      RunRecord& record = parent->record;
      record.state = RunState::Running;
      record.awaitedChild = RunId();
      record.awaitedSignal.clear();
      record.wakeAt.reset();
      parent->phase = Phase::Running;
      parent->awaitedChild = RunId();
      parent->retry = true;
      parent->scheduled = true;
      toReenter.push_back(parent);
      continue;
    }
    parent->wake = isTerminal(child->state)
                       ? childOutcome(*child)
                       : WakeReason{WakeKind::ChildFailed, nullptr,
                                    RunError{"sub_run_lost", "the sub-run this run waited for cannot resume", {}}};
    toWake.push_back(parent);
  }
  for (const RunPtr& parent : toReenter) {
    m_executor->post([this, parent] { drive(parent); });
  }
  for (const RunPtr& parent : toWake) {
    schedule(parent);
  }
  fireDueTimers();
  return {};
}

void Engine::waitUntilIdle() { m_executor->waitUntilIdle(); }

std::optional<RunRecord> Engine::runRecord(const RunId& runId) const {
  RunPtr run;
  {
    std::lock_guard lock(m_mutex);
    run = findActive(runId);
  }
  auto record = m_store.loadRun(runId);
  if (record && run) {
    record->progress = run->live.get();
  }
  return record;
}

std::vector<RunRecord> Engine::activeRuns() const {
  std::vector<std::pair<RunId, RunPtr>> runs;
  {
    std::lock_guard lock(m_mutex);
    runs.assign(m_active.begin(), m_active.end());
  }
  std::sort(runs.begin(), runs.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<RunRecord> records;
  for (const auto& [id, run] : runs) {
    if (auto record = m_store.loadRun(id)) {
      record->progress = run->live.get();
      records.push_back(std::move(*record));
    }
  }
  return records;
}

} // namespace opflow::engine
