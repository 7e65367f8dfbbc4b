/**
 * The bounds the simulator puts on what it is given: durations, what a distribution may
 * draw, how deeply distributions nest, and how much of a latency file it reads. Each is far
 * beyond any real workload and well short of what would overflow the arithmetic, exhaust
 * the memory or hang the process; input past one is refused with a message that gives the
 * bound and the reason. The scenario layer's own limits (tasks, seeds, strategies...) are in
 * src/scenario/limits.ts. Both are documented in the README ("Limits"): change them together.
 */

const day = 86_400;

export const simLimits = {
  /**
   * The longest duration that may be written (a latency parameter, a cost, a timeout, a poll
   * interval, an observation), and the largest median a latency distribution may have: 365
   * days. No subagent, orchestrator step or timeout of a real workload comes near a year,
   * whereas a value such as 1e308 is always a slip, and its sums overflow to Infinity.
   */
  maxDuration: 365 * day,
  /**
   * The largest draw a latency distribution may be able to produce, at the largest uniform a
   * stream yields: 10^100 s. This bound is about arithmetic, not realism (the median bound
   * above is about realism): every sum a run or an experiment takes of such draws (at most
   * ~10^9 of them, the kernel's event guard: 10^109 s) and every square a statistic takes of
   * those sums (10^218) stays finite, where a draw of Infinity would fail the run and an
   * overflowing square would turn a confidence interval into NaN. The clock orders events
   * correctly at any finite time. Heavy tails are a feature and pass: an infinite-mean Pareto
   * (alpha 0.5, scale 10m) tops out at 5·10^34 s, scenarios/heavy-tail.yaml's at 1.2·10^16 s,
   * each at the very top of its support (a 2^-53 event). Above it lie slips such as an alpha
   * of 10^-308 or a Weibull shape of 10^-9, whose draws are Infinity.
   */
  maxDraw: 1e100,
  /** Mixtures inside mixtures: 16 levels. Any mixture of mixtures flattens into one mixture. */
  mixtureDepth: 16,
  /** Bytes of an empirical latency file (CSV or JSON): 64 MiB. */
  latencyFileBytes: 64 * 1024 * 1024,
  /**
   * Observations in an empirical latency file: 10^6. Resampling from a million measured
   * durations is as good as from more; each is kept (8 bytes, sorted) by every worker thread.
   */
  observations: 1_000_000,
  /**
   * Cells of a CSV latency file (rows × columns, counted before parsing): 10^7. Parsing keeps
   * every cell until the column is chosen, tens of bytes each: 10^7 cells is a few hundred MB.
   */
  csvCells: 10_000_000,
  /** Columns of a CSV latency file (fields on one line, counted before parsing): 1,000. */
  csvColumns: 1_000,
  /**
   * Values of a JSON latency file (numbers, strings, lists and objects, counted before
   * parsing): 2·10^6, room for the observations and their metadata. A JSON value costs tens
   * of bytes once parsed, so an unchecked 64 MiB file of `{}`s would take gigabytes.
   */
  jsonValues: 2_000_000,
} as const;

/**
 * The largest uniform a RandomStream yields: next() is a 53-bit integer over 2^53 (see
 * src/sim/random.ts), so at most 1 − 2^−53. Sampling by inverse CDF at this value gives the
 * largest draw a distribution can make.
 */
export const LARGEST_UNIFORM = 1 - 2 ** -53;
