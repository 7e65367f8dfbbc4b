/**
 * `check` written once for runs that are synchronous (a strategy, in the model) and runs that
 * are not (an orchestrator module, under the harness). The check's logic (check-runs.ts,
 * generated-check.ts) is a generator that yields each step it needs done — one checked run,
 * or a property over generated workloads for fast-check to test — and gets its answer back
 * from a driver: `driveSync` does each step at once and is what the synchronous API
 * (checkScenario, checkGenerated) runs on; `driveAsync` awaits each, runs orchestrator
 * modules, and tests properties with `fc.asyncProperty`. The same generator under either
 * driver takes the same steps in the same order, so a strategy checks alike under both.
 *
 * A step that throws is thrown into the generator at the `yield` that asked for it, so that
 * the check's own try/catch sees it as it would see a direct call's.
 */
import fc from 'fast-check';
import type { Invariant } from '../invariants/invariant.js';
import type { ModelTraceRecord } from '../model/trace-records.js';
import { isOrchestratorModule } from '../scenario/orchestrator-module.js';
import type { AnyScenario } from '../scenario/parse.js';
import type { MemoryTrace } from '../sim/trace.js';
import { checkedRun, checkedRunAsync, type RunOutcome } from './checked-run.js';
import type { WorkloadVariation } from './workload-variations.js';

/** One run of the strategy at `index` of `scenario` on `seed`, checked (checked-run.ts). */
interface RunStep {
  readonly kind: 'run';
  readonly scenario: AnyScenario;
  readonly index: number;
  readonly seed: number;
  readonly invariants: readonly Invariant[];
  readonly trace?: MemoryTrace<ModelTraceRecord> | undefined;
}

/** The property fast-check tests over a workload and a seed; its answer is fast-check's report. */
interface PropertyStep {
  readonly kind: 'property';
  readonly workloads: fc.Arbitrary<WorkloadVariation>;
  readonly seeds: fc.Arbitrary<number>;
  readonly predicate: (variation: WorkloadVariation, seed: number) => CheckSteps<boolean>;
  readonly parameters: fc.Parameters<[WorkloadVariation, number]>;
}

type Step = RunStep | PropertyStep;

/** A check, or a part of one, that yields steps and returns `T` (see the file's comment). */
export type CheckSteps<T> = Generator<Step, T, unknown>;

/** fast-check's report on a property over a workload and a seed. */
export type PropertyDetails = fc.RunDetails<[WorkloadVariation, number]>;

/** Asks for one checked run: `yield* checkedRunStep(...)`. */
export function* checkedRunStep(
  scenario: AnyScenario,
  index: number,
  seed: number,
  invariants: readonly Invariant[],
  trace?: MemoryTrace<ModelTraceRecord>,
): CheckSteps<RunOutcome> {
  return (yield { kind: 'run', scenario, index, seed, invariants, trace }) as RunOutcome;
}

/** Asks fast-check to test a property: `yield* propertyStep(...)`. */
export function* propertyStep(
  workloads: fc.Arbitrary<WorkloadVariation>,
  seeds: fc.Arbitrary<number>,
  predicate: PropertyStep['predicate'],
  parameters: PropertyStep['parameters'],
): CheckSteps<PropertyDetails> {
  return (yield { kind: 'property', workloads, seeds, predicate, parameters }) as PropertyDetails;
}

/** Answers the steps of `steps` one by one with `answer`, then returns what it returns. */
function drive<T>(steps: CheckSteps<T>, answer: (step: Step) => unknown): T {
  let reply: { readonly value: unknown } | { readonly error: unknown } = { value: undefined };
  for (;;) {
    const next: IteratorResult<Step, T> =
      'error' in reply ? steps.throw(reply.error) : steps.next(reply.value);
    if (next.done) return next.value;
    try {
      reply = { value: answer(next.value) };
    } catch (error) {
      reply = { error };
    }
  }
}

/** Runs a check whose runs are all strategies', synchronously. */
export function driveSync<T>(steps: CheckSteps<T>): T {
  return drive(steps, (step) => {
    if (step.kind === 'property') {
      const property = fc.property(step.workloads, step.seeds, (v, seed) =>
        driveSync(step.predicate(v, seed)),
      );
      return fc.check(property, step.parameters);
    }
    const config = step.scenario.strategies[step.index]!;
    if (isOrchestratorModule(config)) {
      throw new Error(
        `"${config.label}" is an orchestrator module, which the harness runs asynchronously: check it with checkScenarioAsync`,
      );
    }
    return checkedRun(step.scenario, step.index, step.seed, step.invariants, step.trace);
  });
}

/** Runs a check whose runs may be orchestrator modules', one run at a time. */
export async function driveAsync<T>(steps: CheckSteps<T>): Promise<T> {
  let reply: { readonly value: unknown } | { readonly error: unknown } = { value: undefined };
  for (;;) {
    const next: IteratorResult<Step, T> =
      'error' in reply ? steps.throw(reply.error) : steps.next(reply.value);
    if (next.done) return next.value;
    try {
      reply = { value: await answerAsync(next.value) };
    } catch (error) {
      reply = { error };
    }
  }
}

function answerAsync(step: Step): Promise<unknown> {
  if (step.kind === 'property') {
    const property = fc.asyncProperty(step.workloads, step.seeds, (v, seed) =>
      driveAsync(step.predicate(v, seed)),
    );
    return fc.check(property, step.parameters);
  }
  return checkedRunAsync(step.scenario, step.index, step.seed, step.invariants, step.trace);
}
