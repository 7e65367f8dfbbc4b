/**
 * Seeded random streams.
 *
 * Every stochastic draw in dispatchlab comes from a *named* stream, never from a shared
 * sequential generator. A stream is identified by a key such as
 * `(seed, "latency", task, attempt)`, so the numbers a consumer sees do not depend on
 * which other streams were used before, or in which order: two strategies that dispatch
 * the same tasks in different orders still see the same world (common random numbers).
 *
 * Derivation (stable: changing it would change what every seed means; the pinned values
 * in test/sim/random.test.ts guard it):
 *  1. The seed is expanded by seedrandom's Alea: `seedrandom.alea(JSON.stringify([seed]))`,
 *     whose first four `int32()` outputs are the root state (cached per seed).
 *  2. Each key part is absorbed into that state, in order: a string as a tag, its length
 *     and its UTF-16 code units; an integer as a tag and its low and high 32-bit halves.
 *     Absorbing mixes every word with MurmurHash3's 32-bit finalizer, so nearby keys
 *     (task 7 and task 8) give unrelated states. Tags keep `"1"` and `1` apart.
 *  3. The state seeds SFC32 (Chris Doty-Humphrey's Small Fast Counter generator, which
 *     passes PractRand and TestU01's BigCrush), run 12 rounds to warm up. Each draw is
 *     53 bits from two outputs, in [0, 1).
 * Why not one seedrandom generator per key: a model run opens a stream per attempt, and
 * seeding Alea from a string costs about 3 µs, most of a run's time at scale; a keyed
 * stream here costs about a seventh of that (0.4 µs against 2.7 µs, measured), with the same independence.
 */
import seedrandom from 'seedrandom';

/** One component of a stream key: a name or an integer index. */
export type StreamKeyPart = string | number;

/** The seed of a whole run. Integers are the norm; strings are accepted for named worlds. */
export type Seed = number | string;

export class StreamKeyError extends Error {
  override name = 'StreamKeyError';
}

function checkPart(part: StreamKeyPart, where: string): void {
  if (typeof part === 'number' && !Number.isSafeInteger(part)) {
    throw new StreamKeyError(
      `${where} must be a string or a safe integer, got ${String(part)}: stream keys must mean the same on every machine`,
    );
  }
}

/** The key in readable form (for messages and traces): `[42,"latency",3,0]`. */
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

/**
 * The largest uniform a RandomStream yields: next() is a 53-bit integer over 2^53 (see
 * RandomStream.next below), so at most 1 − 2^−53. Sampling by inverse CDF at this value
 * gives the largest draw a distribution can make.
 */
export const LARGEST_UNIFORM = 1 - 2 ** -53;

/** MurmurHash3's 32-bit finalizer: full avalanche on one word. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

const STRING_TAG = 0x5354_5247;
const INTEGER_TAG = 0x494e_5447;
const TWO_32 = 2 ** 32;

/** A 128-bit key state; parts are absorbed one 32-bit word at a time. */
export class KeyState {
  constructor(
    public a: number,
    public b: number,
    public c: number,
    public d: number,
  ) {}

  absorb(word: number): void {
    // Each word enters all four lanes through chained finalizers: a change in any word
    // changes every lane.
    this.a = fmix32((this.a + word + 0x9e3779b9) | 0);
    this.b = fmix32(this.b ^ this.a);
    this.c = fmix32((this.c + this.b) | 0);
    this.d = fmix32(this.d ^ this.c);
  }

  absorbPart(part: StreamKeyPart): void {
    if (typeof part === 'string') {
      this.absorb(STRING_TAG);
      this.absorb(part.length);
      for (let i = 0; i < part.length; i++) this.absorb(part.charCodeAt(i));
    } else {
      this.absorb(INTEGER_TAG);
      this.absorb(part | 0);
      this.absorb(Math.floor(part / TWO_32) | 0);
    }
  }
}

const rootCache = new Map<Seed, readonly [number, number, number, number]>();

function rootState(seed: Seed): KeyState {
  let root = rootCache.get(seed);
  if (root === undefined) {
    const alea = seedrandom.alea(JSON.stringify([seed]));
    root = [alea.int32(), alea.int32(), alea.int32(), alea.int32()];
    if (rootCache.size > 1024) rootCache.clear();
    rootCache.set(seed, root);
  }
  return new KeyState(root[0], root[1], root[2], root[3]);
}

function keyState(seed: Seed, parts: readonly StreamKeyPart[]): KeyState {
  checkPart(seed, 'seed');
  const key = rootState(seed);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (typeof part === 'number') checkPart(part, `stream key part ${i + 1}`);
    key.absorbPart(part);
  }
  return key;
}

/** An independent, reproducible stream of uniform variates. */
export class RandomStream implements Uniform {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;

  /** `new RandomStream(seed, ...parts)`; the KeyState form is internal (StreamFamily). */
  constructor(seed: Seed | KeyState, ...parts: readonly StreamKeyPart[]) {
    this.rekey(seed instanceof KeyState ? seed : keyState(seed, parts));
  }

  /** @internal Restarts this object as the stream of `key` (StreamFamily.reuse1, reuse2). */
  rekey(key: KeyState): this {
    this.a = key.a;
    this.b = key.b;
    this.c = key.c;
    this.d = key.d | 1; // the counter lane; odd so that no key gives an all-zero state
    for (let i = 0; i < 12; i++) this.nextInt32();
    return this;
  }

  /** One SFC32 step: a 32-bit unsigned output. */
  private nextInt32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  next(): number {
    // 27 + 26 bits: the standard construction of a 53-bit double in [0, 1).
    const hi = this.nextInt32() >>> 5;
    const lo = this.nextInt32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A uniform variate in (0, 1]: safe to take the logarithm of. */
  nextPositive(): number {
    return 1 - this.next();
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

  /** Streams that share a key prefix, e.g. `family('attempt').get(task, attempt)`. */
  family(...prefix: readonly StreamKeyPart[]): StreamFamily {
    return new StreamFamily(this.seed, prefix);
  }
}

/**
 * The streams under one key prefix, with the prefix absorbed once: for hot paths that open
 * a stream per item (an attempt, a task). `family(p...).get(q...)` is the same stream as
 * `new RandomStream(seed, p..., q...)`.
 */
export class StreamFamily {
  private readonly prefix: KeyState;

  constructor(seed: Seed, prefix: readonly StreamKeyPart[]) {
    this.prefix = keyState(seed, prefix);
  }

  /** The stream for two integer parts after the prefix (the common case). */
  get2(i: number, j: number): RandomStream {
    return new RandomStream(this.key2(new KeyState(0, 0, 0, 0), i, j));
  }

  /**
   * The same stream as `get2(i, j)`, in one object the family reuses: valid only until the
   * family's next `reuse1` or `reuse2`. For hot paths that open a stream per item, take all
   * they need from it at once, and should not allocate for it.
   */
  reuse2(i: number, j: number): RandomStream {
    this.scratchStream ??= new RandomStream(this.prefix);
    return this.scratchStream.rekey(this.key2(this.scratchKey, i, j));
  }

  /**
   * The same stream as `get(i)` for one integer part, in the object `reuse2` reuses: valid
   * only until the family's next `reuse1` or `reuse2`. For hot paths that open a stream
   * per item under a single index (the n-th turn), take all they need from it at once,
   * and should not allocate for it.
   */
  reuse1(i: number): RandomStream {
    this.scratchStream ??= new RandomStream(this.prefix);
    return this.scratchStream.rekey(this.key1(this.scratchKey, i));
  }

  private scratchStream: RandomStream | undefined;
  private readonly scratchKey = new KeyState(0, 0, 0, 0);

  /** Sets `key` to the prefix's state with the integer parts i and j absorbed. */
  private key2(key: KeyState, i: number, j: number): KeyState {
    checkPart(i, 'stream key part');
    checkPart(j, 'stream key part');
    const p = this.prefix;
    key.a = p.a;
    key.b = p.b;
    key.c = p.c;
    key.d = p.d;
    key.absorbPart(i);
    key.absorbPart(j);
    return key;
  }

  /** Sets `key` to the prefix's state with the integer part i absorbed. */
  private key1(key: KeyState, i: number): KeyState {
    checkPart(i, 'stream key part');
    const p = this.prefix;
    key.a = p.a;
    key.b = p.b;
    key.c = p.c;
    key.d = p.d;
    key.absorbPart(i);
    return key;
  }

  get(...parts: readonly StreamKeyPart[]): RandomStream {
    const p = this.prefix;
    const key = new KeyState(p.a, p.b, p.c, p.d);
    for (const part of parts) {
      checkPart(part, 'stream key part');
      key.absorbPart(part);
    }
    return new RandomStream(key);
  }
}
