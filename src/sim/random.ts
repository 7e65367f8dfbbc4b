/**
 * Seeded random streams.
 *
 * Every stochastic draw in dispatchlab comes from a *named* stream, never from a shared
 * sequential generator. A stream is identified by a key such as
 * `(seed, "latency", task, attempt)`, so the numbers a consumer sees do not depend on
 * which other streams were used before, or in which order: two strategies that dispatch
 * the same tasks in different orders still see the same world (common random numbers).
 *
 * Derivation (stable; changing it would change what every seed means):
 *   stream(seed, ...parts) = seedrandom.alea(JSON.stringify([seed, ...parts]))
 * and each draw is alea's `double()` (53 bits of randomness, in [0, 1)).
 */
import seedrandom from 'seedrandom';

/** One component of a stream key: a name or a non-negative integer index. */
export type StreamKeyPart = string | number;

/** The seed of a whole run. Integers are the norm; strings are accepted for named worlds. */
export type Seed = number | string;

export class StreamKeyError extends Error {
  override name = 'StreamKeyError';
}

function checkPart(part: StreamKeyPart, where: string): void {
  if (typeof part === 'number' && !Number.isSafeInteger(part)) {
    throw new StreamKeyError(
      `${where} must be a string or a safe integer, got ${String(part)}: stream keys must print the same way on every machine`,
    );
  }
}

/** The string a stream is seeded with; exported so the derivation is visible and testable. */
export function streamKey(seed: Seed, ...parts: readonly StreamKeyPart[]): string {
  checkPart(seed, 'seed');
  for (const [i, part] of parts.entries()) checkPart(part, `stream key part ${i + 1}`);
  return JSON.stringify([seed, ...parts]);
}

/** A source of uniform variates; distributions only ever need this. */
export interface Uniform {
  /** A uniform variate in [0, 1). */
  next(): number;
}

/** An independent, reproducible stream of uniform variates. */
export class RandomStream implements Uniform {
  readonly key: string;
  private readonly prng: seedrandom.PRNG;

  constructor(seed: Seed, ...parts: readonly StreamKeyPart[]) {
    this.key = streamKey(seed, ...parts);
    this.prng = seedrandom.alea(this.key);
  }

  next(): number {
    return this.prng.double();
  }

  /** A uniform variate in (0, 1]: safe to take the logarithm of. */
  nextPositive(): number {
    return 1 - this.prng.double();
  }

  /** An integer in [0, n). */
  nextInt(n: number): number {
    return Math.floor(this.prng.double() * n);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return p > 0 && this.prng.double() < p;
  }
}

/** Hands out streams for one seed: `streams.get('latency', task, attempt)`. */
export class StreamFactory {
  constructor(readonly seed: Seed) {
    checkPart(seed, 'seed');
  }

  get(...parts: readonly StreamKeyPart[]): RandomStream {
    return new RandomStream(this.seed, ...parts);
  }
}
