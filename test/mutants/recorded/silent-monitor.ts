/**
 * Bug 7: a monitor gone silent, with no way to tell "stuck" from "still working".
 *
 * The orchestrator watches its subagents through a monitor that reports what ends. The
 * buggy monitor reports nothing else: a subagent that hangs (a tool call that never
 * returns) looks exactly like one still working, so the orchestrator goes on with the
 * others and then waits, idle, long past the subagent's deadline. Only when the
 * provider's gateway drops the stream, ten minutes in, does an error come through; then
 * the orchestrator retries the task, and the run completes, late. The fix arms a timer at
 * each subagent's deadline (its start plus the timeout it declares): a subagent still
 * running then is cancelled and its task retried at once.
 *
 * Only a hang shows the bug, and one in six subagents hangs: on the default seed one of
 * the first two do, while others still have work to hand in after their deadlines.
 */
import { micros, Platform, Recording } from './runtime.js';

export interface Options {
  readonly buggy: boolean;
  readonly seed?: number;
}

type Event =
  | { readonly kind: 'end'; readonly agent: number; readonly fate: 'ok' | 'error' }
  | { readonly kind: 'timer'; readonly agent: number };

type Notice = { readonly kind: 'ended'; readonly agent: number; readonly fate: 'ok' | 'error' };
type Alarm = { readonly kind: 'overdue'; readonly agent: number };

const timeout = 120;
const retries = 1;
/** When the provider's gateway gives up on a stream that sends nothing. */
const gatewayLimit = 600;

export function record({ buggy, seed = 7 }: Options): string {
  const tasks = 8;
  const wip = 3;
  const run = new Recording<Event>({
    program: 'silent-monitor',
    seed,
    tasks,
    wip,
    timeout,
    retries,
  });
  const { trace, clock, random } = run;

  const inbox: (Notice | Alarm)[] = [];
  const platform = new Platform(trace, wip, (t, agent) => {
    if (random() < 1 / 6) clock.at(t + gatewayLimit, { kind: 'end', agent, fate: 'error' });
    else clock.at(t + micros(20 + 80 * random()), { kind: 'end', agent, fate: 'ok' });
    // The monitor: the fixed one also watches the clock.
    if (!buggy) clock.at(t + timeout, { kind: 'timer', agent });
  });
  clock.handle = (t, event) => {
    const agent = event.agent;
    if (!platform.running.has(agent)) return; // over already: a cancelled subagent, or a spent timer
    if (event.kind === 'end') {
      platform.end(t, agent, event.fate);
      inbox.push({ kind: 'ended', agent, fate: event.fate });
      return;
    }
    trace.deadline(t, agent);
    platform.cancel(t, agent, 'timeout');
    inbox.push({ kind: 'overdue', agent });
  };

  const taskOf = new Map<number, number>();
  const spawn = (task: number, reason: 'first' | 'retry') => {
    const agent = run.spawn(task, reason);
    taskOf.set(agent, task);
    platform.submit(clock.now, agent);
  };
  for (let task = 0; task < tasks; task++) spawn(task, 'first');

  const failures = new Map<number, number>();
  let over = 0;
  while (over < tasks) {
    const notice = inbox.shift();
    if (notice === undefined) {
      run.awaitNotice();
      continue;
    }
    const agent = notice.agent;
    const task = taskOf.get(agent)!;
    if (notice.kind === 'overdue' || notice.fate === 'error') {
      trace.detect(clock.now, agent, task, notice.kind === 'overdue' ? 'timeout' : 'error');
      const failed = (failures.get(task) ?? 0) + 1;
      failures.set(task, failed);
      if (failed <= retries) spawn(task, 'retry');
      else {
        trace.givenUp(clock.now, task);
        over++;
      }
      continue;
    }
    run.consume(agent, task, 5);
    over++;
  }
  return run.answer(10);
}
