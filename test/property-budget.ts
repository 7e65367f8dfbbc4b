/**
 * The budget of the project's own property tests: a fixed seed and a number of runs that
 * keeps `npm test` within minutes. DISPATCHLAB_PROPERTY_SCALE multiplies the runs (a
 * nightly job sets 10 or 100); the seeds stay fixed, so a failure replays as it is.
 */
const scale = Number(process.env.DISPATCHLAB_PROPERTY_SCALE ?? '1');

/** `n` runs, scaled. */
export function propertyRuns(n: number): number {
  return Math.max(1, Math.round(n * (Number.isFinite(scale) && scale > 0 ? scale : 1)));
}
