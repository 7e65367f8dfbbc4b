/**
 * The trace format, version 1 (docs/trace-format.md), as a schema: zod for code that reads
 * traces, and the JSON Schema generated from it (`dispatchlab schema --trace`,
 * docs/trace.schema.json) for tools in other languages. It describes one record, one line
 * of a trace; the order of records is for a checker to judge.
 *
 * It is the format as any writer may write it, not only as dispatchlab does: the header's
 * fields beyond the minimum a checker needs, and every field named `world` (what only a
 * simulation knows), are optional. Every other field of a record is required. Records and
 * their objects are open, and a record of a type not listed here is accepted, as the
 * versioning rule says: readers ignore the record types and fields they do not know.
 */
import { z } from 'zod';
import { activityKinds } from './metrics.js';
import { traceFormatName, traceFormatVersion } from './trace-records.js';

/** Descriptions and `$defs` names for the JSON Schema, kept apart from zod's global registry. */
const meta = z.registry<z.core.JSONSchemaMeta>();

/** A copy of `schema` with a description (and a name in `$defs`): a shared schema keeps its own. */
function described<S extends z.ZodType>(schema: S, description: string, id?: string): S {
  const copy = schema.clone() as S;
  meta.add(copy, id === undefined ? { description } : { id, description });
  return copy;
}

const time = described(z.number().min(0), 'seconds since the run began');
const agent = described(z.int().min(0), 'the subagent, numbered in spawn order from 0');
const task = described(z.int().min(0), 'the task, numbered from 0');
const count = z.int().min(0);
const seconds = z.number().min(0);
const share = z.number().min(0).max(1);
const tokens = z.number().min(0);
/** A model's price per million tokens (the model's ModelPrice). */
const modelPrice = {
  input: z.number().min(0),
  cachedInput: z.number().min(0),
  cacheHitShare: share,
  output: z.number().min(0),
};

/** The values of the enumerations, as the model's types have them (checked in the tests). */
export const declaredSpawns = ['first', 'retry', 'redispatch'] as const;
export const cancelReasons = ['timeout', 'watchdog'] as const;
export const pollStatuses = ['running', 'overdue', 'ended'] as const;
export const fates = ['ok', 'error', 'hang', 'needs-permission'] as const;
export const runOutcomes = ['completed', 'deadlock', 'incomplete'] as const;

/** The record types of version 1, as `record` defines them. */
const types = new Set<string>(['run.start']);

function record<T extends string, S extends z.core.$ZodLooseShape>(
  type: T,
  id: string,
  description: string,
  shape: S,
) {
  types.add(type);
  return described(z.looseObject({ t: time, type: z.literal(type), ...shape }), description, id);
}

const limit = (what: string, none: string) =>
  described(z.union([z.number().min(0), z.null()]), `${what}; null for ${none}`);

export const traceHeaderSchema = described(
  z.looseObject({
    t: described(z.literal(0), 'the header is at time 0'),
    type: z.literal('run.start'),
    format: z.literal(traceFormatName),
    version: z.literal(traceFormatVersion),
    tasks: described(count, 'tasks in the run, numbered 0 to tasks - 1'),
    dependencies: described(
      z.array(z.tuple([task, task])),
      '[a, b]: task b needs the result of task a first; every edge',
    ),
    settings: described(
      z.looseObject({
        mode: z.enum(['foreground', 'background']),
        wip: described(
          z.union([z.int().min(1), z.null()]),
          'most subagents in flight; null for no limit',
        ),
        timeout: limit('seconds an attempt may run before it is cancelled', 'no timeout'),
        retries: described(count, 'times a failed task is dispatched again before it is given up'),
        continuation: z.enum(['events', 'polling']),
        pollInterval: described(
          z.union([z.number().gt(0), z.null()]),
          'seconds between poll rounds; null with events',
        ),
        registry: z.enum(['durable', 'volatile']).optional(),
        resume: z.boolean().optional(),
        forgottenTimeout: z.enum(['runtime', 'none']).optional(),
      }),
      'how subagents are dispatched: what the invariants are checked against',
    ),
    tool: described(
      z.looseObject({ name: z.string(), version: z.string() }).optional(),
      'what wrote the trace',
    ),
    scenario: described(
      z.union([z.looseObject({ name: z.string(), hash: z.string() }), z.null()]).optional(),
      'the scenario the run came from, and a hash of its normalized input',
    ),
    seed: z.union([z.number(), z.string()]).optional(),
    strategy: z
      .looseObject({
        label: z.string(),
        description: z.union([
          z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
          z.null(),
        ]),
      })
      .optional(),
    costs: described(
      z
        .looseObject({
          dispatch: seconds,
          plan: seconds,
          process: seconds,
          poll: seconds,
          answer: seconds,
          synthesize: seconds,
          compaction: seconds,
          turn: z.union([seconds, z.null()]).optional(),
        })
        .optional(),
      "seconds each of the orchestrator's actions costs (the model's)",
    ),
    context: described(
      z
        .looseObject({
          base: tokens,
          perHandle: tokens,
          perResult: tokens,
          perSummary: tokens,
          budget: limit('tokens before a compaction', 'no compaction'),
          compactionKeeps: share,
          forgetProbability: share,
        })
        .optional(),
      'the context model, in tokens (the model’s)',
    ),
    tokens: described(
      z
        .looseObject({
          output: z.looseObject({
            dispatch: tokens,
            plan: tokens,
            process: tokens,
            poll: tokens,
            answer: tokens,
            synthesize: tokens,
            compaction: tokens,
          }),
          subagentPerSecond: tokens,
        })
        .optional(),
      'output tokens the orchestrator writes per action, and tokens a subagent spends per second of work (the model’s)',
    ),
    prices: described(
      z
        .looseObject({
          orchestrator: z.looseObject(modelPrice),
          subagent: z.looseObject({ ...modelPrice, outputShare: share }),
        })
        .optional(),
      'what a million tokens cost, per role, when the run has a price table: the tokens read (a share from the prompt cache, at the cached price) and written; a subagent’s tokens are a share written and the rest read',
    ),
    world: described(
      z
        .looseObject({
          quality: z.looseObject({
            base: share,
            validation: share,
            learningRate: z.number().min(0),
            deniedPenalty: share,
            propagation: share,
          }),
        })
        .optional(),
      'simulation only: the quality model',
    ),
  }),
  'the first record: the run, its settings, its tasks and their dependencies',
  'Header',
);

const simulated = (description: string, shape: z.core.$ZodLooseShape) =>
  described(z.looseObject(shape).optional(), `simulation only: ${description}`);

const resolveSchema = z.discriminatedUnion('outcome', [
  record('resolve', 'ResolveSucceeded', 'a task succeeded with the result of `agent`', {
    task,
    outcome: z.literal('succeeded'),
    agent,
    world: simulated('whether the accepted result is right', { correct: z.boolean() }),
  }),
  record('resolve', 'ResolveGivenUp', 'a task was given up', {
    task,
    outcome: z.literal('given-up'),
    reason: z.enum(['retries-exhausted', 'upstream-given-up']),
    attempts: described(count, 'attempts the task had'),
  }),
]);

/** The records of version 1, by `type`. */
export const knownTraceRecordSchema = z.discriminatedUnion('type', [
  traceHeaderSchema,
  record('spawn', 'Spawn', 'the orchestrator requested a subagent (it queues for a slot)', {
    agent,
    task,
    attempt: described(count, 'how many times the task was spawned before'),
    reason: described(
      z.enum(declaredSpawns),
      'why the orchestrator says it dispatched: a first try, a retry after a failure, or again after validation caught a wrong result',
    ),
  }),
  record('start', 'Start', 'the subagent got a slot and began to work', {
    agent,
    world: simulated('its drawn fate, and seconds of work (null for a hang)', {
      fate: z.enum(fates),
      work: z.union([seconds, z.null()]),
    }),
  }),
  record('permission', 'Permission', 'the subagent needed a permission not granted up front', {
    agent,
    outcome: z.enum(['asked', 'denied']),
  }),
  record('answer', 'Answer', "the orchestrator answered the subagent's permission request", {
    agent,
  }),
  record('end', 'End', 'the subagent ended by itself', { agent, fate: z.enum(['ok', 'error']) }),
  record('deadline', 'Deadline', "a timer set for the subagent's deadline fired", { agent }),
  record('cancel', 'Cancel', 'the subagent was cancelled', {
    agent,
    reason: described(
      z.enum(cancelReasons),
      "timeout: the orchestrator's; watchdog: the runtime's, for a forgotten subagent",
    ),
  }),
  record('poll', 'Poll', 'a poll round checked the subagent', {
    agent,
    status: z.enum(pollStatuses),
  }),
  record('poll.round', 'PollRound', 'a poll round that began at `start` is over', {
    start: time,
  }),
  record('deliver', 'Deliver', "the subagent's result reached the orchestrator", { agent }),
  record('detect', 'Detect', 'the orchestrator learned that the subagent failed', {
    agent,
    task,
    failure: z.enum(['error', 'timeout']),
  }),
  record('drop', 'Drop', 'a notice about a forgotten subagent arrived and went nowhere', {
    agent,
  }),
  record('process.start', 'ProcessStart', 'the orchestrator began to process the result', {
    agent,
    task,
  }),
  record('process.end', 'ProcessEnd', 'the orchestrator finished processing the result', {
    agent,
    task,
    caught: described(z.boolean(), 'validation caught the result wrong: the task goes again'),
    world: simulated('whether the result is right', { correct: z.boolean() }),
  }),
  record('forget', 'Forget', "a compaction lost the subagent's handle", { agent, task }),
  record('plan', 'Plan', 'the orchestrator planned a wave (it paid `plan`)', {}),
  record('synthesize', 'Synthesize', 'the orchestrator synthesized (it paid `synthesize`)', {}),
  record('compaction', 'Compaction', 'the context was compacted', {
    before: tokens,
    after: tokens,
  }),
  record('context', 'Context', 'the context now holds `tokens` (written when it changes)', {
    tokens,
  }),
  record(
    'turn',
    'Turn',
    'the orchestrator took a turn (a model call), at the start of the run or as it passed from waiting to working, reading a context of `context` tokens',
    { context: tokens },
  ),
  record('busy', 'Busy', 'the orchestrator did `kind` from `start` to `t`', {
    kind: z.enum(activityKinds),
    start: time,
  }),
  record('idle', 'Idle', 'the orchestrator waited, doing nothing, from `start` to `t`', {
    start: time,
  }),
  resolveSchema,
  record('run.end', 'RunEnd', 'the last record', {
    outcome: z.enum(runOutcomes),
    makespan: seconds,
    deadlock: described(
      z.union([z.string(), z.null()]),
      'what the deadlock left waiting; null unless the outcome is deadlock',
    ),
    unresolved: described(count, 'tasks neither succeeded nor given up'),
  }),
]);

/** The record types of version 1. */
export const knownTraceTypes: readonly string[] = [...types].sort();

/** A record of a type this version does not define: a reader ignores it. */
const otherType = z.string().refine((type) => !types.has(type), {
  message: 'a record of a known type must match its definition',
});
const otherRecordSchema = described(
  z.looseObject({ t: time, type: otherType }),
  'a record of a type this version does not define (a later addition): readers ignore it',
  'OtherRecord',
);

/** One record of a trace, format version 1. */
export const traceRecordSchema = z.union([knownTraceRecordSchema, otherRecordSchema]);
meta.add(traceRecordSchema, {
  title: `${traceFormatName} record, version ${traceFormatVersion}`,
  description:
    'One line of a dispatchlab trace (JSON Lines): the first is the header (run.start), the last run.end. docs/trace-format.md describes the format.',
});

type JsonSchema = Record<string, unknown>;

/** The JSON Schema (draft 2020-12) of one trace record. */
export function traceJsonSchema(): JsonSchema {
  return z.toJSONSchema(traceRecordSchema, {
    target: 'draft-2020-12',
    metadata: meta,
    override: (ctx) => {
      // The refinement has no JSON Schema form of its own: say it with `not`.
      if (ctx.zodSchema === otherType) ctx.jsonSchema.not = { enum: [...knownTraceTypes] };
    },
  }) as JsonSchema;
}
