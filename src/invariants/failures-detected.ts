/**
 * failuresDetected: every failure and hang is detected (docs/model.md, "Safety
 * invariants"), judged on the trace alone (docs/trace-format.md).
 *
 * A failure is, once per subagent: an `end` with fate `error`; a subagent whose deadline
 * (its `start` plus `settings.timeout`) passes while it is live, seen as such (below); a
 * `cancel`; a hang, from its `start`, when `start.world.fate` says so (without `world` a
 * hang that was never cancelled cannot be told from a slow subagent, and is not counted).
 *
 * It becomes *observable*:
 *   - with events and at a foreground join: at an error's end; at the deadline of a
 *     subagent still live after it (a hang or an overrun: from the first record later
 *     than the deadline, or its `cancel`); at a cancellation before any deadline;
 *   - with polling: at the first `poll` of the subagent after its end (an error), or
 *     later than its deadline while it is live (a hang or an overrun); or at the end of
 *     the first poll round begun after the failure fell due that did not check it. An
 *     overrun that ends with a result before a check sees it is not a failure (the check
 *     finds a result, and the model delivers it). A `cancel` makes it observable at the
 *     latest.
 *
 * Two things are checked:
 *   (a) every failure has its `detect`, judged at `run.end`: in a completed or deadlocked
 *       run, every failure still undetected breaks the invariant (nothing more can happen
 *       that would detect it); in a run that ended `incomplete` (the strategy returned
 *       with tasks unresolved, which is another invariant's to report), only those that
 *       had become observable, and hangs with no timeout, which nothing could ever detect.
 *       A trace cut short (no `run.end`) is judged on (b) only.
 *   (b) the orchestrator is not idle at any instant from the one a failure became
 *       observable until its `detect`: no `idle` interval (an `idle` record has its
 *       `start`, its `t` is the end) begins in that span, and none that began before it
 *       runs on past the instant it became observable. What becomes observable wakes an
 *       idle orchestrator at that very instant (an error's end notice, the deadline's
 *       timer, the poll round that ends the wait), so an idle that contains the instant
 *       slept through it: a monitor that never arms the timer waits on an overdue subagent
 *       until something else wakes it. An idle that ends exactly then was woken by it, and
 *       passes. The deadline is `start + timeout` exactly, as the format states, so a timer
 *       that fires late is a late detection, whether the idle began before the deadline or
 *       after it. Busy time is not bounded: a single-threaded orchestrator may finish the
 *       action it is in, and the notices ahead of the failure's, first, however long they
 *       take.
 * The first violation in the trace's order is kept: an idle record's (at its index, its
 * time the record's `t`; the message says when the idle began, and, for one begun before
 * the failure became observable, when it ended), or the `run.end`'s.
 *
 * The kind a `detect` names (`failure`: "error" or "timeout") is not compared with the kind
 * of failure counted here: any `detect` of the subagent detects its failure, of which
 * there is one per subagent. The format defines `failure` as what the orchestrator
 * learned ("error": it ended with an error; "timeout": it was cancelled for its timeout),
 * and both can be true of one subagent: a hang that no timer cancelled, which the
 * provider's gateway ends with an error long after its deadline, did end with an error,
 * and a `detect` of it as "error" after that end says what happened. What such a trace
 * hides is the lateness, which (b) judges by time, not by the word (the orchestrator idle
 * past the deadline, or busy: a busy one may learn of it that late). Checking the word
 * against the facts (an "error" of a subagent that never ended) would be a check of the
 * trace's consistency, not of this rule.
 *
 * A ghost's failure is not this invariant's: a subagent forgotten (`forget`, a volatile
 * registry) before the orchestrator cancelled it, whose failure (an error, a hang, the
 * runtime watchdog's cancel) was not detected before the `forget`, or came after it. The
 * orchestrator no longer knows it exists, so its notices are dropped and polls skip it;
 * losing the handle is the fault, and noGhosts reports it (docs/trace-format.md: "a
 * `forget` record not preceded by the subagent's cancellation"). Such failures are not
 * counted among the occasions; the result says how many there were. A subagent the
 * orchestrator cancelled for its timeout and *then* forgot, before it handled the
 * cancellation's notice, is no ghost (noGhosts passes it as explicitly cancelled, and
 * noDuplicateSpawn as over): its timeout stays this invariant's, and goes undetected.
 *
 * Without `busy` and `idle` records only (a) can be checked; without `poll` records, with
 * polling, idling is judged only from cancellations: the result says so.
 *
 * This file imports only types from the model: a checker needs nothing but the trace.
 */
import type { ModelTraceRecord, TraceHeader } from '../model/trace-records.js';
import type { Checker, CheckResult, Invariant, Violation } from './invariant.js';
import { agentName, seconds } from './words.js';

/**
 * Instants within a nanosecond of each other are one instant, when a deadline is compared
 * with a record's time: the deadline is `start + timeout` summed in binary floating point,
 * and a tool with a clock of its own writes the same instant from its own count (the
 * harness counts whole milliseconds: 281.061 + 300 is 581.0609999999999, its timer fires
 * at 581061 ms, written 581.061). Real lateness is far coarser than a nanosecond.
 */
const sameInstant = 1e-9;
/** `t` is after `deadline`, beyond rounding. */
const later = (t: number, deadline: number): boolean => t > deadline + sameInstant;
/** `t` is at `deadline` or after it, give or take rounding. */
const notBefore = (t: number, deadline: number): boolean => t >= deadline - sameInstant;

/** What failed: an error end, an overrun of the timeout, a hang, a cancellation before any deadline. */
type FailureKind = 'error' | 'timeout' | 'hang' | 'cancelled';

interface Failure {
  readonly kind: FailureKind;
  /**
   * When it happened: an error's end, the deadline of an overrun or a hang, a
   * cancellation's time; +Infinity for a hang with no timeout, which never falls due.
   */
  readonly due: number;
  /** When the orchestrator could first have seen it; undefined until then. */
  observable: number | undefined;
  /** With polling, what made it observable: a check that saw it, or a round that skipped it. */
  seenBy: 'poll' | 'round' | undefined;
  detected: boolean;
  /** A ghost's: its subagent was forgotten, not cancelled first, before it was detected. */
  exempt: boolean;
}

interface Subagent {
  readonly agent: number;
  /** From its `spawn`; undefined in a trace that has none for it. */
  readonly task: number | undefined;
  /** Its `start` time; NaN until it starts. */
  start: number;
  /** Its start plus the timeout; +Infinity with no timeout, or until it starts. */
  deadline: number;
  /** Started, and neither ended nor cancelled. */
  live: boolean;
  hang: boolean;
  forgotten: boolean;
  /** When its `forget` came, if one did. */
  forgottenAt: number;
  /** The orchestrator cancelled it (a `cancel` not by the runtime's watchdog). */
  cancelledByOrchestrator: boolean;
  failure: Failure | undefined;
}

function who(s: Subagent): string {
  return agentName(s.agent, s.task);
}

/** What happened, after the agent's name: "failed at 12.5 s", "hung; its deadline passed at 915 s". */
function happened(s: Subagent, f: Failure): string {
  switch (f.kind) {
    case 'error':
      return `failed at ${seconds(f.due)}`;
    case 'timeout':
      return `ran past its timeout; its deadline passed at ${seconds(f.due)}`;
    case 'hang':
      return f.due === Number.POSITIVE_INFINITY
        ? `hung (it started at ${seconds(s.start)})`
        : `hung; its deadline passed at ${seconds(f.due)}`;
    case 'cancelled':
      return `was cancelled at ${seconds(f.due)}`;
  }
}

/** For a failure left undetected because its handle was forgotten after its cancellation. */
function forgotAfterCancelling(s: Subagent): string {
  return s.forgotten
    ? `; the orchestrator had cancelled it, then forgot its handle at ${seconds(s.forgottenAt)}`
    : '';
}

export const failuresDetected: Invariant = {
  name: 'failuresDetected',
  rule: 'Every failure and hang is detected: it becomes observable at its end (events, or the foreground join), at its deadline (a hang or an overrun: start + settings.timeout, with events) or at the first poll check after that (polling: the first `poll` of that agent / poll round after the failure became due), and from then on the orchestrator never idles until it is detected (no idle begins then, nor runs on past that instant) — a single-threaded orchestrator may finish the action it is in, and the notices ahead of it in FIFO order, first.',
  create: (header) => new FailuresDetectedChecker(header),
};

class FailuresDetectedChecker implements Checker {
  private readonly timeout: number | null;
  private readonly polling: boolean;
  private readonly subagents = new Map<number, Subagent>();
  /** Subagents whose counted failure is not detected yet, in the order the failures arose. */
  private readonly pending = new Set<Subagent>();
  /**
   * Failures detected at the latest records' instant: an idle record that a tool writes
   * after the detection at the instant the idle ended must still be judged against them.
   */
  private readonly recent: { readonly s: Subagent; readonly detectedAt: number }[] = [];
  /**
   * Events and the foreground join with a timeout: started subagents in start order. The
   * timeout is the same for all and starts never go back, so their deadlines are in order.
   */
  private readonly deadlines: Subagent[] = [];
  private deadlineHead = 0;
  private counted = 0;
  private forgottenFailures = 0;
  private sawIdleOrBusy = false;
  private sawPoll = false;
  private startsWithoutWorld = 0;
  private endSeen = false;
  private violation: Violation | undefined;

  constructor(header: TraceHeader) {
    this.timeout = header.settings.timeout;
    this.polling = header.settings.continuation === 'polling';
  }

  observe(record: ModelTraceRecord, index: number): void {
    const t = record.t;
    // This checker reads every record (any may be the first past a deadline): the common
    // one, with nothing recent and no deadline to pass, must cost next to nothing.
    if (this.recent.length > 0) this.forgetDetectedBefore(t);
    // Only events and the foreground join with a timeout queue deadlines.
    if (this.deadlineHead < this.deadlines.length) this.passDeadlines(t);
    switch (record.type) {
      case 'spawn':
        this.subagents.set(record.agent, this.newSubagent(record.agent, record.task));
        return;
      case 'start':
        this.started(this.subagent(record.agent), record);
        return;
      case 'end': {
        const s = this.subagent(record.agent);
        s.live = false;
        if (record.fate === 'error' && s.failure === undefined) {
          this.fail(s, 'error', t, this.polling ? undefined : t);
        }
        if (s.failure === undefined || s.forgotten) this.subagents.delete(s.agent);
        return;
      }
      case 'cancel':
        this.cancelled(this.subagent(record.agent), t, record.reason);
        return;
      case 'poll':
        this.sawPoll = true;
        this.polled(record.agent, t);
        return;
      case 'poll.round':
        this.sawPoll = true;
        this.roundEnded(record.start, t);
        return;
      case 'detect':
        this.detected(record.agent, t);
        return;
      case 'forget':
        this.forgot(this.subagent(record.agent, record.task), t);
        return;
      case 'busy':
        this.sawIdleOrBusy = true;
        return;
      case 'idle':
        this.sawIdleOrBusy = true;
        this.idled(record.start, index, t);
        return;
      case 'run.end':
        this.endSeen = true;
        this.runEnded(record.outcome, index, t);
        return;
      default:
        return;
    }
  }

  result(): CheckResult {
    const notes: string[] = [];
    if (this.forgottenFailures > 0) {
      notes.push(
        `${this.forgottenFailures} more, of ghosts (subagents forgotten before they were cancelled or their failure detected), not counted: noGhosts' to judge`,
      );
    }
    if (this.counted > 0 && !this.sawIdleOrBusy) {
      notes.push(
        'the trace has no busy or idle records: only that each failure was detected was checked, not that the orchestrator never idled first',
      );
    }
    if (this.counted > 0 && this.polling && !this.sawPoll) {
      notes.push(
        'the trace has no poll records: with polling, idling was judged only from cancellations',
      );
    }
    if (this.startsWithoutWorld > 0) {
      notes.push(
        `${this.startsWithoutWorld} start records carry no world: a hang never cancelled cannot be told from a slow subagent, and none is counted`,
      );
    }
    if (!this.endSeen) {
      notes.push('the trace has no run.end: failures still undetected at its end were not judged');
    }
    const occasionsOf = `failures (errors, timeouts, hangs) of subagents the orchestrator kept track of${notes.length > 0 ? `; ${notes.join('; ')}` : ''}`;
    if (this.violation !== undefined) {
      return { status: 'fail', occasions: this.counted, occasionsOf, violation: this.violation };
    }
    return {
      status: this.counted === 0 ? 'vacuous' : 'pass',
      occasions: this.counted,
      occasionsOf,
    };
  }

  // ---- the facts ----

  private newSubagent(agent: number, task: number | undefined): Subagent {
    return {
      agent,
      task,
      start: Number.NaN,
      deadline: Number.POSITIVE_INFINITY,
      live: false,
      hang: false,
      forgotten: false,
      forgottenAt: Number.NaN,
      cancelledByOrchestrator: false,
      failure: undefined,
    };
  }

  /** The subagent's state; one a trace names without a `spawn` is made on the spot. */
  private subagent(agent: number, task?: number): Subagent {
    let s = this.subagents.get(agent);
    if (s === undefined) {
      s = this.newSubagent(agent, task);
      this.subagents.set(agent, s);
    }
    return s;
  }

  private started(s: Subagent, record: Extract<ModelTraceRecord, { type: 'start' }>): void {
    s.start = record.t;
    s.live = true;
    if (this.timeout !== null) s.deadline = record.t + this.timeout;
    // `world` is optional in a trace from another tool, though the model's type has it.
    const world = (record as { readonly world?: { readonly fate?: unknown } }).world;
    if (world === undefined) this.startsWithoutWorld++;
    else if (world.fate === 'hang') {
      s.hang = true;
      this.fail(s, 'hang', s.deadline, undefined);
    }
    if (!this.polling && this.timeout !== null) this.deadlines.push(s);
  }

  private cancelled(s: Subagent, t: number, reason: string): void {
    s.live = false;
    if (reason !== 'watchdog') s.cancelledByOrchestrator = true;
    // With events a cancellation after the deadline was made a failure, observable at the
    // deadline, by passDeadlines already (a timer firing late is the same timeout). With
    // polling the check that cancelled it wrote its poll record first, if the trace has one.
    const due = notBefore(t, s.deadline) ? s.deadline : t;
    if (s.failure === undefined) {
      this.fail(s, s.hang ? 'hang' : due === s.deadline ? 'timeout' : 'cancelled', due, t);
    } else if (s.failure.observable === undefined) {
      s.failure.observable = t;
    }
    if (s.forgotten) this.subagents.delete(s.agent);
  }

  private polled(agent: number, t: number): void {
    const s = this.subagents.get(agent);
    if (s === undefined) return;
    const f = s.failure;
    if (f === undefined) {
      // Checked while live past its deadline: an overrun, found overdue.
      if (s.live && later(t, s.deadline)) this.fail(s, 'timeout', s.deadline, t, 'poll');
    } else if (f.observable === undefined && (f.kind === 'error' || t > f.due)) {
      // An error is counted from its end record, so any later poll comes after it.
      f.observable = t;
      f.seenBy = 'poll';
    }
  }

  /** A poll round that began after a failure fell due and did not check it: it was observable then. */
  private roundEnded(start: number, t: number): void {
    for (const s of this.pending) {
      const f = s.failure!;
      if (f.observable === undefined && f.due < start) {
        f.observable = t;
        f.seenBy = 'round';
      }
    }
  }

  private detected(agent: number, t: number): void {
    const s = this.subagents.get(agent);
    const f = s?.failure;
    if (s === undefined || f === undefined || f.detected || f.exempt) return;
    f.detected = true;
    this.pending.delete(s);
    if (f.observable !== undefined && f.observable < t) this.recent.push({ s, detectedAt: t });
    if (!s.live) this.subagents.delete(agent);
  }

  private forgot(s: Subagent, t: number): void {
    s.forgotten = true;
    s.forgottenAt = t;
    const f = s.failure;
    // Cancelled by the orchestrator first: no ghost, and its failure stays judged here.
    if (f !== undefined && !f.detected && !f.exempt && !s.cancelledByOrchestrator) {
      f.exempt = true;
      this.pending.delete(s);
      this.counted--;
      this.forgottenFailures++;
    }
  }

  /** Drops the recent detections made before `t`, in place. */
  private forgetDetectedBefore(t: number): void {
    const recent = this.recent;
    let kept = 0;
    for (let k = 0; k < recent.length; k++) {
      const r = recent[k]!;
      if (r.detectedAt >= t) recent[kept++] = r;
    }
    recent.length = kept;
  }

  /** Events and the foreground join: subagents still live after their deadline overran it. */
  private passDeadlines(t: number): void {
    const queue = this.deadlines;
    while (this.deadlineHead < queue.length && later(t, queue[this.deadlineHead]!.deadline)) {
      const s = queue[this.deadlineHead++]!;
      if (!s.live || s.forgotten) continue;
      if (s.failure === undefined) this.fail(s, 'timeout', s.deadline, s.deadline);
      else if (s.failure.observable === undefined) s.failure.observable = s.deadline;
    }
    if (this.deadlineHead > 1024 && this.deadlineHead * 2 > queue.length) {
      queue.splice(0, this.deadlineHead);
      this.deadlineHead = 0;
    }
  }

  private fail(
    s: Subagent,
    kind: FailureKind,
    due: number,
    observable: number | undefined,
    seenBy?: 'poll',
  ): void {
    const exempt = s.forgotten;
    s.failure = { kind, due, observable, seenBy, detected: false, exempt };
    if (exempt) {
      this.forgottenFailures++;
    } else {
      this.counted++;
      this.pending.add(s);
    }
  }

  // ---- the judgements ----

  /**
   * (b): an idle interval from `start` to `t` while a failure was observable and
   * undetected: one that began then, or ran on past the instant it became observable.
   * Every failure observable before `t` is known by now: what made it so is a record
   * earlier than this one (with events, a deadline is passed by the first record later
   * than it, this one at the latest).
   */
  private idled(start: number, index: number, t: number): void {
    if (this.violation !== undefined) return;
    // The failure observable the longest (the first so in the order considered on a tie);
    // no closure nor object per idle record: most idle records find none.
    let s: Subagent | undefined;
    for (const p of this.pending) if (this.worse(p, start, t, s)) s = p;
    for (const r of this.recent) {
      if (start < r.detectedAt && this.worse(r.s, start, t, s)) s = r.s;
    }
    if (s === undefined) return;
    const f = s.failure!;
    // Begun before the failure became observable: it slept through the instant.
    const idleWords =
      f.observable! > start
        ? `the orchestrator, idle since ${seconds(start)}, stayed idle until ${seconds(t)}`
        : `the orchestrator went idle at ${seconds(start)}`;
    const seen =
      f.seenBy === undefined
        ? ' and'
        : `${f.kind === 'error' || f.kind === 'cancelled' ? ';' : ','} ${
            f.seenBy === 'poll'
              ? `the poll check at ${seconds(f.observable!)} found it ${f.kind === 'error' ? 'ended' : 'overdue'}`
              : `the poll round that ended at ${seconds(f.observable!)} did not check it`
          }, and`;
    this.violation = {
      index,
      t,
      message: `${who(s)} ${happened(s, f)}${seen} ${idleWords} without detecting it${forgotAfterCancelling(s)}`,
      agent: s.agent,
      ...(s.task === undefined ? {} : { task: s.task }),
    };
  }

  /**
   * Whether `s`'s failure was observable while the orchestrator idled from `start` to
   * `end`, and before `worst`'s. Observable at `start` or earlier: the idle began while it
   * was; strictly between the two: the idle ran through it; at `end`: it woke the
   * orchestrator, in time.
   */
  private worse(s: Subagent, start: number, end: number, worst: Subagent | undefined): boolean {
    const observable = s.failure!.observable;
    if (observable === undefined || (observable > start && notBefore(observable, end)))
      return false;
    return worst === undefined || observable < worst.failure!.observable!;
  }

  /** (a): failures still undetected when the run ended. */
  private runEnded(outcome: string, index: number, t: number): void {
    if (this.violation !== undefined) return;
    let first: { s: Subagent; f: Failure } | undefined;
    for (const s of this.pending) {
      const f = s.failure!;
      const judged =
        outcome === 'completed' ||
        outcome === 'deadlock' ||
        f.observable !== undefined ||
        f.due === Number.POSITIVE_INFINITY;
      if (!judged) continue;
      if (first === undefined || f.due < first.f.due) first = { s, f };
    }
    if (first === undefined) return;
    const { s, f } = first;
    const why =
      f.due === Number.POSITIVE_INFINITY
        ? ': the run has no timeout (settings.timeout is null), and only a timeout ends a hang'
        : outcome === 'deadlock'
          ? ` (the run deadlocked at ${seconds(t)})`
          : outcome === 'completed'
            ? ''
            : ` (the run ended ${outcome} at ${seconds(t)})`;
    this.violation = {
      index,
      t,
      message: `${who(s)} ${happened(s, f)} and was never detected${why}${forgotAfterCancelling(s)}`,
      agent: s.agent,
      ...(s.task === undefined ? {} : { task: s.task }),
    };
  }
}
