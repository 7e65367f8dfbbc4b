/**
 * The scenario file format, as a zod schema of what a user writes (YAML or JSON). It
 * checks structure, types, ranges and unknown keys; `parse.ts` then turns the checked
 * input into the typed configuration (durations to seconds, distributions built), which
 * is also where the checks that need more than one field live.
 *
 * Some fields take a shorthand besides their long form (`tasks: 200`, `error: 3%`,
 * `strategies: [blocking, async]`): shorthands.ts expands it before the long form is
 * checked, so the schema's output, the *normalized input*, holds long forms only, and an
 * error about a long form's field is reported at the shorthand the user wrote.
 *
 * The same schema is exported as JSON Schema (`dispatchlab schema`), so editors complete
 * and check scenario files; distributions get their schema from the distribution tables,
 * and the shorthands theirs from `shorthandJsonSchemas`.
 */
import { z } from 'zod';
import { type InvariantName, invariantNames } from '../model/invariant-names.js';
import { metricNames } from '../model/metric-names.js';
import type { AnyStrategyDescriptor } from '../strategies/descriptor.js';
import { strategyKindList } from '../strategies/kinds.js';
import type { OptionSpec } from '../strategies/options.js';
import { DurationError, parseDuration } from './duration.js';
import { formatLimit, limits } from './limits.js';
import type { JsonObject, ModuleStrategyInput } from './module-strategy.js';
import type { OrchestratorModuleInput } from './orchestrator-module.js';
import {
  expandProbability,
  expandSeeds,
  expandStrategyListWith,
  expandStrategyWith,
  expandTasks,
  kindsAlone,
  PERCENT_JSON_PATTERN,
  probabilityTooBig,
  shownValue,
} from './shorthands.js';
import { moduleExtensions } from './strategy-modules.js';

/** A JSON Schema fragment. */
type JsonSchema = Record<string, unknown>;

/**
 * The JSON Schema of each shorthand a field accepts besides its long form, by the field's
 * zod schema: json-schema.ts offers both (`anyOf`), since the zod schema of such a field
 * describes only the long form it expands to (shorthands.ts).
 */
export const shorthandJsonSchemas = new WeakMap<z.ZodType, JsonSchema>();

/**
 * A field that takes a shorthand: `expand` (shorthands.ts) turns the shorthand into the long
 * form `long` parses; `short` is the shorthand's JSON Schema. The input type admits `Short`
 * besides the long form; the output is the long form's.
 */
function withShorthand<T extends z.ZodType, Short>(
  long: T,
  expand: (value: unknown, ctx: z.core.$RefinementCtx) => unknown,
  short: JsonSchema,
  meta?: { description: string },
) {
  const base = z.preprocess<unknown, T, Short | z.input<T>>(expand, long);
  const schema = meta === undefined ? base : base.meta(meta);
  shorthandJsonSchemas.set(schema, short);
  return schema;
}

/**
 * Seconds as a number, or a duration string: 250ms, 90s, 2m, 1h, 1m30s. parseDuration
 * does the checking, so the message is the same wherever a duration is written.
 */
export const durationSchema = z
  .union([z.number(), z.string()], {
    error:
      'expected a duration: seconds as a number (90) or a number with a unit (250ms, 90s, 2m, 1h)',
  })
  .superRefine((value, ctx) => {
    try {
      parseDuration(value);
    } catch (err) {
      if (!(err instanceof DurationError)) throw err;
      ctx.addIssue({ code: 'custom', message: err.detail, input: value });
    }
  })
  .meta({ description: 'seconds, or a duration such as 250ms, 90s, 2m, 1h, 1m30s' });

/**
 * A probability: a share from 0 to 1, or a percentage ("3%", read as 0.03). A number above 1
 * is refused with the share it may have meant.
 */
const probability = (description: string) =>
  withShorthand<z.ZodNumber, string>(
    z
      .number()
      .min(0)
      .max(1, { error: (issue) => probabilityTooBig(issue.input) }),
    expandProbability,
    { type: 'string', pattern: PERCENT_JSON_PATTERN, description: 'a percentage, e.g. "5%"' },
    { description },
  );
/**
 * A cap from limits.ts: past it, zod-issues.ts shows the bound, the value and `why` (the
 * reason and the fix), so each refusal says why the limit is there.
 */
const atMost = <T extends z.ZodNumber>(schema: T, max: number, why: string) =>
  schema.max(max, { error: why });
const tokens = (description: string) =>
  atMost(
    z.number().int().min(0),
    limits.tokens,
    `token counts are at most ${formatLimit(limits.tokens)}, a thousand times the largest context windows, so that a context of a million items stays an exact integer`,
  ).meta({ description });
const count = (description: string) => z.number().int().min(1).meta({ description });
const price = (description: string) =>
  atMost(
    z.number().min(0),
    limits.pricePerMillion,
    `prices are per million tokens, at most ${formatLimit(limits.pricePerMillion)} (a unit of currency per token); a price per token must be multiplied by a million`,
  ).meta({ description });
/** The price fields both roles have. */
const modelPriceFields = {
  input: price('price of a million tokens read, not from the cache (default 0)').optional(),
  cachedInput: price(
    'price of a million tokens read from the prompt cache (default: the input price)',
  ).optional(),
  cacheHitShare: probability(
    'share of the tokens read that hit the prompt cache (default 0)',
  ).optional(),
  output: price('price of a million tokens written (default 0)').optional(),
};

/** A distribution spec; validated by distributionFromSpec, described for JSON Schema by the distribution tables. */
export const distributionSpecSchema = z.unknown().meta({ id: 'Distribution' });

const dependenciesSchema = z
  .union(
    [
      z.enum(['none', 'chain']),
      z.strictObject({ shape: z.literal('none') }),
      z.strictObject({ shape: z.literal('chain') }),
      z.strictObject({
        shape: z.literal('layered'),
        width: count('tasks per layer; each depends on every task of the layer before'),
      }),
      z.strictObject({
        shape: z.literal('random'),
        edgeProbability: probability('probability of each edge i → j (i < j), drawn per seed'),
      }),
    ],
    {
      error:
        'expected "none", "chain", { shape: layered, width: N } or { shape: random, edgeProbability: P }',
    },
  )
  .meta({ description: 'which tasks wait for which: none, chain, layered or random' });

const tasksSchema = z.strictObject({
  count: atMost(
    z.number().int().min(1),
    limits.tasks,
    `one run keeps a few hundred bytes per task and a million already takes seconds per run; simulate a sample of the workload`,
  ).meta({ description: 'number of tasks' }),
  dependencies: dependenciesSchema.optional(),
});

const seedsSchema = z.strictObject({
  start: z.number().int().min(0).optional().meta({
    description: 'the first seed (default 0); start + count − 1 is at most 2^53 − 1',
  }),
  count: atMost(
    z.number().int().min(1),
    limits.seeds,
    `every run's metrics are kept until the statistics are taken, and a 95% CI from ${formatLimit(limits.seeds)} paired seeds is already far narrower than any practical margin`,
  )
    .optional()
    .meta({ description: 'seeds to run (default 100)' }),
});

// --- Strategies -------------------------------------------------------------------------
//
// A strategy entry is derived from its kind's descriptor (src/strategies/descriptor.ts):
// each option type becomes the schema of what people write for it, with the scenario
// layer's durations, percentages and limits. Nothing here names a kind or an option,
// except the limits of limits.ts that apply to an option of that name in any kind.

/** Caps of limits.ts on a strategy option, by the option's name, each with its reason. */
const optionCaps: Readonly<Record<string, { readonly max: number; readonly why: string }>> = {
  retries: {
    max: limits.retries,
    why: `retries are at most ${limits.retries}: each is another dispatch of the task, and no workload needs more`,
  },
};

/** What people write for an option of this type (options.ts has the types). */
function optionSchema(name: string, spec: OptionSpec): z.ZodType {
  const meta = { description: spec.description };
  const capped = (schema: z.ZodNumber) => {
    const cap = optionCaps[name];
    return cap === undefined ? schema : atMost(schema, cap.max, cap.why);
  };
  switch (spec.type) {
    case 'count':
      return capped(z.number().int().min(1)).meta(meta);
    case 'whole':
      return capped(z.number().int().min(0)).meta(meta);
    case 'limit':
      return z
        .union([capped(z.number().int().min(1)), z.literal('unbounded')], {
          error: `expected a whole number >= 1, or "unbounded" (${spec.unboundedMeans})`,
        })
        .meta(meta);
    case 'share':
      return probability(spec.description);
    case 'duration':
      return spec.none === undefined
        ? durationSchema.meta(meta)
        : z
            .union([durationSchema, z.literal('none')], {
              error: 'expected a duration (e.g. 10m) or "none"',
            })
            .meta(meta);
    case 'choice':
      return z.enum(spec.values as [string, ...string[]]).meta(meta);
    case 'flag':
      return z.boolean().meta(meta);
  }
}

/**
 * The invariants a strategy is meant to break (`dispatchlab check` then passes when exactly
 * these are broken): a scenario that demonstrates an unsafe design says so, and is checked
 * in CI like the others.
 */
const expectSchema = z.array(z.enum(invariantNames)).min(1).optional().meta({
  description:
    'the safety invariants this strategy is meant to break, by name: `dispatchlab check` passes when exactly these are broken in some run, and fails when one of them holds or another breaks',
});

/** The mapping form of an entry of one kind: `kind`, its options, `label` and `expect`. */
function kindEntrySchema(descriptor: AnyStrategyDescriptor) {
  const shape: Record<string, z.ZodType> = {
    kind: z.literal(descriptor.kind).meta({ description: descriptor.summary }),
  };
  for (const [name, spec] of Object.entries(descriptor.options)) {
    const schema = optionSchema(name, spec);
    shape[name] = 'default' in spec ? schema.optional() : schema;
  }
  shape.label = z
    .string()
    .min(1)
    .optional()
    .meta({ description: 'the name shown in tables; a readable form of the config by default' });
  shape.expect = expectSchema;
  return z.strictObject(shape);
}

/** A strategy entry of a kind as it may be written (the mapping form): its kind and options. */
export type StrategyInput = {
  readonly kind: string;
  readonly label?: string | undefined;
  readonly expect?: readonly InvariantName[] | undefined;
  readonly [option: string]: unknown;
};
/** A checked strategy entry with its shorthands expanded: of a kind, a strategy module, or an orchestrator module. */
export type NormalizedStrategyInput = StrategyInput | ModuleStrategyInput | OrchestratorModuleInput;

/** A strategy entry in any of its mapping forms, as written. */
type EntryInput = StrategyInput | ModuleStrategyInput | OrchestratorModuleInput;

/** The mapping form of an entry of `strategies`, one alternative per kind. */
export function strategySchemaFor(
  kinds: readonly AnyStrategyDescriptor[],
): z.ZodType<NormalizedStrategyInput, StrategyInput> {
  const [first, ...rest] = kinds.map(kindEntrySchema);
  if (first === undefined) throw new Error('strategySchemaFor: no strategy kinds');
  return z.discriminatedUnion('kind', [first, ...rest]) as unknown as z.ZodType<
    NormalizedStrategyInput,
    StrategyInput
  >;
}

export const strategySchema = strategySchemaFor(strategyKindList);

// --- Strategy modules --------------------------------------------------------------------
//
// `{ module: ./my-strategy.ts, options: {...}, label: ... }`: a strategy of the user's own
// (module-strategy.ts, strategy-modules.ts).

/** Where a module entry's options are not JSON (a JSON value: null, true/false, a finite number, a string, a list or mapping of them). */
function notJson(value: unknown, path: (string | number)[], out: [(string | number)[], string][]) {
  if (out.length >= 8) return;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      out.push([
        path,
        `${value} is not a JSON number: options are JSON, whose numbers are finite; write a finite number, or null`,
      ]);
    return;
  }
  if (path.length > limits.nesting) {
    out.push([path, `nests more than ${limits.nesting} levels deep`]);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      notJson(v, [...path, i], out);
    });
    return;
  }
  const proto = typeof value === 'object' ? Object.getPrototypeOf(value) : undefined;
  if (typeof value === 'object' && (proto === Object.prototype || proto === null)) {
    for (const [k, v] of Object.entries(value)) notJson(v, [...path, k], out);
    return;
  }
  const what =
    value === undefined
      ? 'undefined'
      : typeof value === 'object'
        ? 'an object that is not plain data'
        : `a ${typeof value}`;
  out.push([
    path,
    `is ${what}, not a JSON value; options are JSON: null, true/false, numbers, strings, lists and mappings of them`,
  ]);
}

/** A module entry's options: a mapping of JSON values, given to the module's function. */
export const moduleOptionsSchema = z
  .unknown()
  .superRefine((value, ctx) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      ctx.addIssue({
        code: 'custom',
        input: value,
        message: `expected a mapping of options (JSON), got ${shownValue(value)}; write options: { name: value, ... }, which the module's default export is called with.`,
      });
      return;
    }
    const found: [(string | number)[], string][] = [];
    notJson(value, [], found);
    for (const [path, message] of found)
      ctx.addIssue({ code: 'custom', path, input: value, message });
  })
  .meta({
    description:
      "what the module's default export is called with, as JSON (a mapping); {} when left out",
  }) as unknown as z.ZodType<JsonObject, JsonObject>;

const moduleExtensionPattern = new RegExp(
  `\\.(?:${moduleExtensions.map((e) => e.slice(1)).join('|')})$`,
);

/** A strategy of the user's own, from a module: `{ module, options, label }`. */
export const moduleEntrySchema = z.strictObject({
  module: z
    .string()
    .min(1)
    .regex(moduleExtensionPattern, {
      error: `a strategy module is a TypeScript or JavaScript file (${moduleExtensions.join(', ')})`,
    })
    .meta({
      description: `a TypeScript or JavaScript file (${moduleExtensions.join(', ')}), relative to the scenario file, whose default export is a Strategy or a function from options to one`,
    }),
  options: moduleOptionsSchema.optional(),
  label: z
    .string()
    .min(1)
    .optional()
    .meta({ description: "the name shown in tables; the Strategy's own label by default" }),
  expect: expectSchema,
});

/**
 * A user's own orchestrator, async code the real-code harness runs:
 * `{ orchestrator, options, label }` (orchestrator-module.ts).
 */
export const orchestratorEntrySchema = z.strictObject({
  orchestrator: z
    .string()
    .min(1)
    .regex(moduleExtensionPattern, {
      error: `an orchestrator module is a TypeScript or JavaScript file (${moduleExtensions.join(', ')})`,
    })
    .meta({
      description: `a TypeScript or JavaScript file (${moduleExtensions.join(', ')}), relative to the scenario file, whose default export is an async orchestrator (rt) => Promise, an object { label, settings, orchestrator }, or a function from options to one; the real-code harness runs it`,
    }),
  options: moduleOptionsSchema.optional(),
  label: z.string().min(1).optional().meta({
    description:
      "the name shown in tables; the module's own label, else its file's name, by default",
  }),
  expect: expectSchema,
});

/**
 * The three mapping forms of a strategy entry, in this order: of a kind, from a strategy
 * module, from an orchestrator module. zod-issues.ts reports a refused entry by the form
 * it was meant as: an orchestrator when it has `orchestrator:`, a module when it has
 * `module:`, else a kind.
 */
export function entryFormsSchemaFor(kinds: readonly AnyStrategyDescriptor[]) {
  const schema = z.union([strategySchemaFor(kinds), moduleEntrySchema, orchestratorEntrySchema]);
  entryFormSchemas.add(schema);
  return schema as unknown as z.ZodType<NormalizedStrategyInput, EntryInput>;
}

/** The unions of the entry forms (zod-issues.ts looks for them). */
export const entryFormSchemas = new WeakSet<z.ZodType>();

/**
 * An entry of `strategies`: a mapping (of a kind, or a module), or a kind alone (`blocking`,
 * `async`) for that kind with its defaults, where it needs no option.
 */
function strategyEntrySchemaFor(kinds: readonly AnyStrategyDescriptor[]) {
  const alone = kindsAlone(kinds);
  return withShorthand<z.ZodType<NormalizedStrategyInput, EntryInput>, string>(
    entryFormsSchemaFor(kinds),
    expandStrategyWith(kinds),
    {
      enum: alone,
      description: `a kind alone, with its defaults: ${alone[0]} is { kind: ${alone[0]} }`,
    },
  );
}

/** The strategies as written: only a list (a single one gets a hint, in expandStrategyList). */
type ScenarioStrategiesInput = (EntryInput | string)[];

/** The `strategies` field, its entries of `kinds`. */
function strategiesSchemaFor(kinds: readonly AnyStrategyDescriptor[]) {
  const strategyEntrySchema = strategyEntrySchemaFor(kinds);
  return z
    .preprocess<unknown, z.ZodArray<typeof strategyEntrySchema>, ScenarioStrategiesInput>(
      expandStrategyListWith(kinds),
      z
        .array(strategyEntrySchema)
        .min(1)
        .max(limits.strategies, {
          error: `at most ${limits.strategies} strategies are compared at once (every one runs on every seed); split them over several scenarios`,
        }),
    )
    .meta({ description: 'the strategies to compare' });
}

export const scenarioSchema = z
  .strictObject({
    $schema: z
      .string()
      .optional()
      .meta({ description: 'for editors: the JSON Schema of this file' }),
    name: z.string().min(1).meta({ description: 'a short identifier, e.g. docs-audit' }),
    description: z
      .string()
      .min(1)
      .meta({ description: 'what this scenario shows, in a sentence or two' }),
    tasks: withShorthand<typeof tasksSchema, number>(
      tasksSchema,
      expandTasks,
      {
        type: 'integer',
        minimum: 1,
        description: 'the number of tasks: tasks: 200 is { count: 200 }',
      },
      { description: 'the tasks: { count, dependencies }, or the count alone' },
    ),
    subagents: z.strictObject({
      latency: distributionSpecSchema.meta({ description: 'how long one attempt takes' }),
      failures: z
        .strictObject({
          error: probability('per attempt: fails after its latency').optional(),
          hang: probability('per attempt: never returns unless cancelled').optional(),
          needsPermission: probability('per attempt: needs a tool not granted up front').optional(),
        })
        .optional(),
      reportsProgress: z
        .boolean()
        .optional()
        .meta({ description: 'a failing subagent reports its partial progress (default false)' }),
    }),
    orchestrator: z
      .strictObject({
        dispatch: durationSchema.optional(),
        plan: durationSchema.optional(),
        process: durationSchema.optional(),
        poll: durationSchema.optional(),
        answer: durationSchema.optional(),
        synthesize: durationSchema.optional(),
        turn: z
          .union([durationSchema, z.looseObject({ dist: z.string() })], {
            error:
              'expected a duration (5s) or a distribution ({ dist: lognormal, median: 5s, p95: 20s })',
          })
          .optional()
          .meta({
            description:
              'per turn: each time the orchestrator passes from waiting to working, and once at the start, it re-reads its context (a model call); a duration, or a distribution each turn is drawn from',
          }),
      })
      .optional()
      .meta({ description: 'orchestrator time per action; all 0 by default' }),
    context: z
      .strictObject({
        base: tokens('tokens always in context').optional(),
        perHandle: tokens('tokens per in-flight subagent handle').optional(),
        perResult: tokens('tokens per unprocessed result, held in full').optional(),
        perSummary: tokens('tokens per processed result, kept as a summary').optional(),
        budget: z
          .union(
            [
              atMost(
                z.number().int().min(1),
                limits.tokens,
                `token counts are at most ${formatLimit(limits.tokens)}; for no compaction at all write budget: none`,
              ),
              z.literal('none'),
            ],
            { error: 'expected a number of tokens or "none"' },
          )
          .optional()
          .meta({ description: 'compaction runs past this many tokens (default none)' }),
        compactionCost: durationSchema.optional(),
        compactionKeeps: probability(
          'share of results and summaries a compaction keeps (default 0.25)',
        ).optional(),
        forgetProbability: probability(
          'volatile registry: chance a compaction forgets each in-flight handle',
        ).optional(),
      })
      .optional(),
    tokens: z
      .strictObject({
        output: z
          .strictObject({
            dispatch: tokens('output tokens per dispatch').optional(),
            plan: tokens('output tokens per plan').optional(),
            process: tokens('output tokens per result processed').optional(),
            poll: tokens('output tokens per poll check').optional(),
            answer: tokens('output tokens per permission answered').optional(),
            synthesize: tokens('output tokens of the synthesis').optional(),
            compaction: tokens('output tokens per compaction (its summary)').optional(),
          })
          .optional()
          .meta({
            description: 'output tokens the orchestrator writes per action; all 0 by default',
          }),
        subagentPerSecond: atMost(
          z.number().min(0),
          limits.tokens,
          `token counts are at most ${formatLimit(limits.tokens)}`,
        )
          .optional()
          .meta({ description: 'tokens a subagent spends per second of work (default 0)' }),
      })
      .optional()
      .meta({
        description:
          'tokens written and spent beyond the context the orchestrator reads each turn; none by default',
      }),
    prices: z
      .strictObject({
        orchestrator: z
          .strictObject(modelPriceFields)
          .optional()
          .meta({ description: "the orchestrator's model; free when left out" }),
        subagent: z
          .strictObject({
            ...modelPriceFields,
            outputShare: probability(
              "share of a subagent's tokens that it writes, billed as output (default 0: all read)",
            ).optional(),
          })
          .optional()
          .meta({ description: "the subagents' model; free when left out" }),
      })
      .optional()
      .meta({
        description:
          'what the tokens cost, per million tokens, per role, in a currency of your choice; the metrics cost and costPerSuccess are 0 without it',
      }),
    quality: z
      .strictObject({
        base: probability('chance a result is correct (default 1)').optional(),
        learningRate: z
          .number()
          .min(0)
          .optional()
          .meta({ description: 'how fast later tasks gain from processed results (default 0)' }),
        deniedPenalty: probability('chance an auto-denied permission spoils a result').optional(),
        validation: probability('chance processing catches a wrong result').optional(),
        propagation: probability('chance a wrong upstream result spoils a dependent').optional(),
      })
      .optional(),
    strategies: strategiesSchemaFor(strategyKindList),
    objective: z.enum(metricNames).optional().meta({
      description:
        'the metric the verdict judges the strategies on (default makespan): e.g. cost, costPerSuccess, correctShare',
    }),
    seeds: withShorthand<typeof seedsSchema, number>(
      seedsSchema,
      expandSeeds,
      {
        type: 'integer',
        minimum: 1,
        description: 'the number of seeds: seeds: 200 is { count: 200 }',
      },
      { description: 'the seeds compare runs: { start, count }, or the count alone' },
    ).optional(),
  })
  .meta({ title: 'dispatchlab scenario' });

/**
 * The scenario schema with strategies of `kinds`: scenarioSchema for the built-in ones, else
 * its like with those kinds (a kind registered in memory), built once per list.
 */
export function scenarioSchemaFor(kinds: readonly AnyStrategyDescriptor[]): typeof scenarioSchema {
  if (kinds === strategyKindList) return scenarioSchema;
  let schema = schemasByKinds.get(kinds);
  if (schema === undefined) {
    schema = scenarioSchema
      .extend({ strategies: strategiesSchemaFor(kinds) })
      .meta({ title: 'dispatchlab scenario' }) as unknown as typeof scenarioSchema;
    schemasByKinds.set(kinds, schema);
  }
  return schema;
}
const schemasByKinds = new WeakMap<readonly AnyStrategyDescriptor[], typeof scenarioSchema>();

/** A scenario as it may be written: long forms and shorthands. */
export type ScenarioInput = z.input<typeof scenarioSchema>;
/**
 * A checked scenario input with its shorthands expanded (shorthands.ts): what a Scenario
 * keeps, sweeps vary and the input hash is taken of. It is a valid ScenarioInput too.
 */
export type NormalizedScenarioInput = z.output<typeof scenarioSchema>;
