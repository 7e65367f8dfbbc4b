/**
 * What dispatchlab agrees to read and run: `limits`, the largest experiment it starts, and
 * `simLimits`, the bounds on the durations, distributions and latency files a scenario
 * describes. Each limit is far beyond any real orchestrator's workload and well below what
 * would exhaust the memory of an ordinary machine or run for days; a request past one is
 * refused before any work starts, with a message that gives the limit and the reason, rather
 * than dying later of an out-of-memory error. They are documented in the README ("Limits"):
 * change both together.
 */
export const limits = {
  /** tasks.count: one run keeps a few hundred bytes per task. */
  tasks: 1_000_000,
  /** Seeds of one experiment (compare, each sweep point): every run's metrics are kept until the statistics are taken. */
  seeds: 100_000,
  /** Strategies in one scenario. */
  strategies: 100,
  /** Dependency edges of one run's task graph (layered: exact; random: expected). */
  dependencyEdges: 5_000_000,
  /** Points of a sweep grid (the product of every --vary's values). */
  gridPoints: 10_000,
  /**
   * Runs of one experiment: grid points × seeds × strategies. Every run's metrics (40
   * numbers) are kept until the statistics are taken: 10^6 runs (10 strategies × 10^5
   * seeds of one task) peaked at 2.3 GB resident, inside Node's default heap, where 7·10^6
   * ran out of memory.
   */
  runs: 1_000_000,
  /**
   * Runs of one shard (`--shard I/N`): its partial document carries every value (246 bytes
   * a run on docs-audit, up to about 800 when every value is a full-precision number), and
   * must stay under partialDocumentBytes for merge to read it.
   */
  shardRuns: 200_000,
  /**
   * Bytes of one partial document read by `merge`: 256 MiB. A shard of a large sweep
   * (1,000 seeds × 10 points × 5 strategies) writes tens of MB; JavaScript cannot hold a
   * string of more than about 512 MiB at all.
   */
  partialDocumentBytes: 256 * 1024 * 1024,
  /**
   * A trace `dispatchlab check --trace` reads whole: about 150 bytes a record, so some
   * 1.7 million records; a string cannot hold much more.
   */
  traceBytes: 256 * 1024 * 1024,
  /**
   * Pairs of tasks a random dependency graph draws for (n(n−1)/2, one uniform each, every
   * run): 5·10^7, about 10,000 tasks and 0.4 s of draws per run. A million tasks would need
   * 5·10^11 draws, hours per run, whatever the edge probability.
   */
  dependencyPairs: 50_000_000,
  /** strategies[].retries: far more than any workload needs, and each retry is a dispatch. */
  retries: 100,
  /**
   * Each token count of `context` (base, perHandle, perResult, perSummary, budget): 10^9,
   * a thousand times the largest context windows, and small enough that a context of a
   * million such items stays an exact integer (below 2^53).
   */
  tokens: 1_000_000_000,
  /**
   * A price per million tokens (`prices`): 10^6, a unit of currency per token, thousands of
   * times any model's price. Past it a figure is a slip (a price per token written per
   * million, or a count pasted in).
   */
  pricePerMillion: 1_000_000,
  /** The shortest pollInterval, in seconds: 1 ms. */
  minPollInterval: 0.001,
  /**
   * Poll rounds one run may need, estimated before it starts (poll-rounds.ts): 10^7. Each
   * round is at least one event, and the kernel stops a run at 10^9 events.
   */
  pollRounds: 10_000_000,
  /** Bytes of a scenario file: 1 MiB, a thousand times the bundled ones. */
  scenarioFileBytes: 1024 * 1024,
  /**
   * Nesting of a scenario file's lists and mappings: 100 levels (a mixture nested 16 deep,
   * the most allowed, needs about 70). The YAML parser recurses per level, and far deeper
   * input overflows the stack.
   */
  nesting: 100,
  /**
   * YAML aliases (`*name`) one anchor may be expanded through: 100, as the yaml package's
   * default. A "billion laughs" file expands a few lines into gigabytes.
   */
  yamlAliases: 100,
} as const;

const day = 86_400;

/**
 * The bounds on what a scenario builds its simulated world from: how long a written duration
 * may be, what a latency distribution may draw, how deeply distributions nest, and how much
 * of a latency file is read. The kernel (src/sim) takes any distribution and any finite
 * duration; these are checked where scenario files are read (duration.ts, distributions/,
 * latency-file/).
 */
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

/** 1234567 → "1,234,567", for messages. */
export function formatLimit(n: number): string {
  return n.toLocaleString('en-US');
}
