/**
 * Every per-run metric recomputed from a trace file (format v1, docs/trace-format.md),
 * written from the format's documentation alone: it parses the JSON lines itself and
 * shares no code with the model, its recorder or its metrics, so that it can disagree
 * with them. Float sums may differ from the online ones in the last bits (a duration here
 * is a difference of two times; online it is the drawn work itself), counts may not.
 */
import type { RunMetrics } from '../../src/model/metrics.js';

type Json = { readonly [key: string]: unknown };

interface Agent {
  readonly task: number;
  start?: number;
  fate?: string;
  work?: number | null;
  end?: number;
  endFate?: string;
  cancelled?: boolean;
}

const activities = [
  'dispatch',
  'plan',
  'process',
  'poll',
  'answer',
  'synthesize',
  'compaction',
  'turn',
] as const;

export function metricsFromTrace(jsonl: string): RunMetrics {
  const records = jsonl
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Json);
  const header = records[0]!;
  if (
    header.type !== 'run.start' ||
    header.format !== 'dispatchlab-trace' ||
    header.version !== 1
  ) {
    throw new Error(`not a dispatchlab trace v1: ${JSON.stringify(header).slice(0, 80)}`);
  }
  const tasks = header.tasks as number;
  const settings = header.settings as { timeout: number | null };
  const timeout = settings.timeout ?? Number.POSITIVE_INFINITY;
  const singleErrorRate = 1 - (header.world as { quality: { base: number } }).quality.base;
  const agents: Agent[] = [];
  const agent = (r: Json) => agents[r.agent as number]!;
  const busy = Object.fromEntries(activities.map((k) => [k, 0])) as Record<string, number>;
  let inFlight = 0;
  let peakInFlight = 0;
  let area = 0;
  let since = 0;
  const slot = (t: number, change: number) => {
    area += inFlight * (t - since);
    since = t;
    inFlight += change;
    peakInFlight = Math.max(peakInFlight, inFlight);
  };
  const c = {
    spawns: 0,
    retries: 0,
    redispatches: 0,
    duplicateSpawns: 0,
    failures: 0,
    failuresDetected: 0,
    latencySum: 0,
    maxLatency: 0,
    permissionRequests: 0,
    permissionsDenied: 0,
    compactions: 0,
    forgottenHandles: 0,
    succeeded: 0,
    givenUp: 0,
    correct: 0,
    wrongCaught: 0,
    turns: 0,
    inputTokens: 0,
    outputTokens: 0,
    agentSeconds: 0,
    wastedCancelled: 0,
    wastedFailed: 0,
    wastedGhost: 0,
  };
  let peakContext = (header.context as { base: number }).base;
  const tokens = header.tokens as { output: Record<string, number>; subagentPerSecond: number };
  const out = (kind: string) => {
    c.outputTokens += tokens.output[kind]!;
  };
  const forgotten: number[] = [];
  let end: Json | undefined;
  for (const r of records.slice(1)) {
    const t = r.t as number;
    switch (r.type) {
      case 'spawn':
        out('dispatch'); // a spawn follows its dispatch
        agents[r.agent as number] = { task: r.task as number };
        c.spawns++;
        if (r.reason === 'retry') c.retries++;
        else if (r.reason === 'redispatch') c.redispatches++;
        else if ((r.attempt as number) > 0) c.duplicateSpawns++;
        break;
      case 'start': {
        const a = agent(r);
        const world = r.world as { fate: string; work: number | null };
        a.start = t;
        a.fate = world.fate;
        a.work = world.work;
        slot(t, +1);
        if (a.fate === 'hang') c.failures++;
        break;
      }
      case 'end': {
        const a = agent(r);
        a.end = t;
        a.endFate = r.fate as string;
        const ran = t - a.start!;
        c.agentSeconds += ran;
        if (r.fate === 'error') {
          c.failures++;
          c.wastedFailed += ran;
        }
        slot(t, -1);
        break;
      }
      case 'cancel': {
        const a = agent(r);
        a.end = t;
        a.cancelled = true;
        const ran = t - a.start!;
        c.agentSeconds += ran;
        if (a.fate !== 'hang') c.failures++;
        if (r.reason === 'watchdog') c.wastedGhost += ran;
        else c.wastedCancelled += ran;
        slot(t, -1);
        break;
      }
      case 'detect': {
        const a = agent(r);
        const failedAt = r.failure === 'error' ? a.end! : a.start! + timeout;
        const latency = t - failedAt;
        c.failuresDetected++;
        c.latencySum += latency;
        c.maxLatency = Math.max(c.maxLatency, latency);
        break;
      }
      case 'permission':
        if (r.outcome === 'denied') c.permissionsDenied++;
        break;
      case 'answer':
        c.permissionRequests++;
        out('answer');
        break;
      case 'poll':
        out('poll');
        break;
      case 'process.start':
        out('process');
        break;
      case 'plan':
        out('plan');
        break;
      case 'synthesize':
        out('synthesize');
        break;
      case 'process.end':
        if (r.caught === true) {
          const a = agent(r);
          c.wrongCaught++;
          c.wastedFailed += a.end! - a.start!;
        }
        break;
      case 'forget':
        c.forgottenHandles++;
        // One the orchestrator's own timer cancelled before it was forgotten ran no further.
        if (agent(r).cancelled !== true) forgotten.push(r.agent as number);
        break;
      case 'compaction':
        c.compactions++;
        out('compaction');
        break;
      case 'turn':
        c.turns++;
        c.inputTokens += r.context as number;
        break;
      case 'context':
        peakContext = Math.max(peakContext, r.tokens as number);
        break;
      case 'busy':
        busy[r.kind as string]! += t - (r.start as number);
        break;
      case 'resolve':
        if (r.outcome === 'succeeded') {
          c.succeeded++;
          if ((r.world as { correct: boolean }).correct) c.correct++;
        } else {
          c.givenUp++;
        }
        break;
      case 'run.end':
        end = r;
        break;
    }
  }
  if (end === undefined) throw new Error('the trace has no run.end record');
  const makespan = end.makespan as number;
  // Ghosts: forgotten subagents, judged at the end by where they stand.
  for (const id of forgotten) {
    const a = agents[id]!;
    if (a.start !== undefined && a.end === undefined) {
      const ran = a.fate === 'hang' ? makespan - a.start : a.work!;
      c.agentSeconds += ran;
      c.wastedGhost += ran;
    } else if (a.end !== undefined && a.cancelled !== true && a.endFate === 'ok') {
      c.wastedGhost += a.end - a.start!;
    }
  }
  area += inFlight * (makespan - since);
  const busyTotal = activities.reduce((sum, k) => sum + busy[k]!, 0);
  const wrong = c.succeeded - c.correct;
  const perHour = (n: number) => (makespan > 0 ? (n * 3600) / makespan : 0);
  const subagentTokens = tokens.subagentPerSecond * c.agentSeconds;
  const cost = moneySpent(header, c.inputTokens, c.outputTokens, subagentTokens);
  return {
    outcome: end.outcome as RunMetrics['outcome'],
    makespan,
    throughput: perHour(c.succeeded),
    tasks,
    succeeded: c.succeeded,
    givenUp: c.givenUp,
    unresolved: tasks - c.succeeded - c.givenUp,
    dispatchTime: busy.dispatch!,
    planTime: busy.plan!,
    processTime: busy.process!,
    pollTime: busy.poll!,
    answerTime: busy.answer!,
    synthesizeTime: busy.synthesize!,
    compactionTime: busy.compaction!,
    idleTime: Math.max(0, makespan - busyTotal),
    turnTime: busy.turn!,
    utilization:
      makespan > 0 ? (busyTotal - busy.poll! - busy.compaction! - busy.turn!) / makespan : 0,
    peakInFlight,
    meanInFlight: makespan > 0 ? area / makespan : 0,
    agentSeconds: c.agentSeconds,
    wastedAgentSeconds: c.wastedCancelled + c.wastedFailed + c.wastedGhost,
    wastedCancelled: c.wastedCancelled,
    wastedFailed: c.wastedFailed,
    wastedGhost: c.wastedGhost,
    spawns: c.spawns,
    retries: c.retries,
    redispatches: c.redispatches,
    duplicateSpawns: c.duplicateSpawns,
    ghosts: forgotten.length,
    failures: c.failures,
    failuresDetected: c.failuresDetected,
    undetectedFailures: c.failures - c.failuresDetected,
    detectionLatency: c.failuresDetected > 0 ? c.latencySum / c.failuresDetected : 0,
    maxDetectionLatency: c.maxLatency,
    permissionRequests: c.permissionRequests,
    permissionsDenied: c.permissionsDenied,
    peakContext,
    compactions: c.compactions,
    forgottenHandles: c.forgottenHandles,
    correctShare: tasks > 0 ? c.correct / tasks : 1,
    errorAmplification:
      singleErrorRate > 0
        ? (c.succeeded > 0 ? wrong / c.succeeded : 0) / singleErrorRate
        : wrong > 0
          ? Number.NaN
          : 0,
    wrongCaught: c.wrongCaught,
    turns: c.turns,
    orchestratorInputTokens: c.inputTokens,
    orchestratorOutputTokens: c.outputTokens,
    subagentTokens,
    wastedTokens: tokens.subagentPerSecond * (c.wastedCancelled + c.wastedFailed + c.wastedGhost),
    cost,
    costPerSuccess: c.succeeded > 0 ? cost / c.succeeded : cost > 0 ? Number.NaN : 0,
  };
}

/**
 * The header's price table applied to the tokens, bill line by bill line: tokens read from
 * the cache, read afresh, written, by role. No price table: nothing to pay.
 */
function moneySpent(header: Json, read: number, written: number, subagent: number): number {
  type Price = { input: number; cachedInput: number; cacheHitShare: number; output: number };
  const prices = header.prices as
    | { orchestrator: Price; subagent: Price & { outputShare: number } }
    | undefined;
  if (prices === undefined) return 0;
  const bill = (tokensRead: number, tokensWritten: number, p: Price) => {
    const cached = tokensRead * p.cacheHitShare;
    const fresh = tokensRead - cached;
    return (cached * p.cachedInput + fresh * p.input + tokensWritten * p.output) / 1_000_000;
  };
  const subagentWritten = subagent * prices.subagent.outputShare;
  return (
    bill(read, written, prices.orchestrator) +
    bill(subagent - subagentWritten, subagentWritten, prices.subagent)
  );
}
