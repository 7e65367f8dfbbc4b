/**
 * What the world holds for one attempt of one task: its fate, latency and the dice for
 * everything that may happen to it. All of it comes from the stream
 * (seed, "attempt", task, attempt), drawn in a fixed order, so every strategy sees the same
 * attempt whatever order it dispatches in (common random numbers: docs/model.md, "Time,
 * seeds and common random numbers").
 *
 * Draw order (fixed; the latency comes last because a distribution may consume a variable
 * number of uniforms, and that must not shift the other draws):
 *   fate, progress, permission point, correctness, validation, (unused), latency.
 */
import type { Distribution } from '../sim/distributions/index.js';
import type { StreamFamily } from '../sim/random.js';
import type { FailureRates } from './config.js';

export type Fate = 'ok' | 'error' | 'hang' | 'needs-permission';

export interface AttemptDraws {
  readonly fate: Fate;
  /** The attempt's own latency draw, in seconds (before any resume discount). */
  readonly latency: number;
  /** Partial progress reported if the attempt fails with `error`, in (0, 1). */
  readonly progress: number;
  /** For `needs-permission`: the share of the latency done when the tool is needed, in (0, 1). */
  readonly permissionPoint: number;
  /**
   * Uniforms compared against probabilities when the result is judged. One uniform serves
   * correctness under every effect (learning, denial, a wrong upstream result), so that
   * worlds stay coupled across strategies.
   */
  readonly correctness: number;
  readonly validation: number;
}

function drawFate(u: number, rates: FailureRates): Fate {
  if (u < rates.error) return 'error';
  if (u < rates.error + rates.hang) return 'hang';
  if (u < rates.error + rates.hang + rates.needsPermission) return 'needs-permission';
  return 'ok';
}

/** `streams` is the family (seed, "attempt"): the stream is (seed, "attempt", task, attempt). */
export function drawAttempt(
  streams: StreamFamily,
  task: number,
  attempt: number,
  latency: Distribution,
  rates: FailureRates,
): AttemptDraws {
  const s = streams.reuse2(task, attempt); // every draw is taken here, at once
  const fate = drawFate(s.next(), rates);
  const progress = s.nextPositive() * (1 - Number.EPSILON);
  const permissionPoint = s.nextPositive() * (1 - Number.EPSILON);
  const correctness = s.next();
  const validation = s.next();
  s.next(); // once the propagation draw; no longer used, kept so the latency keeps its place
  return {
    fate,
    latency: latency.sample(s),
    progress,
    permissionPoint,
    correctness,
    validation,
  };
}
