/**
 * The dispatchlab simulation kernel: a general deterministic discrete-event simulator, its
 * seeded streams, its distributions (as mathematics: parameters, sample, mean, quantile,
 * cdf) and its traces. It knows nothing of agents, the model in `src/model` builds on it,
 * nor of scenario files: distributions and durations written as text, and latency files,
 * are read by `src/scenario` (exported from 'dispatchlab').
 */
export { AllOf, AnyOf, type AnyOfResult, type ValuesOf } from './conditions.js';
export * from './distributions/index.js';
export {
  DeadlockError,
  type DeadlockReport,
  describeDeadlock,
  formatTime,
  Interrupt,
  ProcessCancelled,
  ProcessError,
  RunawayError,
  SimulationError,
  type WaitingProcess,
} from './errors.js';
export { type EventCallback, SimEvent, Timeout } from './event.js';
export { EventQueue, type QueueTarget } from './event-queue.js';
export { formatDuration } from './format.js';
export {
  type NameSource,
  Process,
  type ProcessGenerator,
  type ProcessOptions,
  type Yieldable,
} from './process.js';
export {
  RandomStream,
  type Seed,
  StreamFactory,
  StreamFamily,
  StreamKeyError,
  type StreamKeyPart,
  streamKey,
  type Uniform,
} from './random.js';
export {
  type RunOptions,
  type RunResult,
  Simulation,
  type SimulationOptions,
  type StopReason,
} from './simulation.js';
export {
  JsonlTraceWriter,
  MemoryTrace,
  noTrace,
  parseTraceJsonl,
  serializeTraceRecord,
  type TraceFields,
  TraceFormatError,
  type TraceRecord,
  type TraceSink,
  type TraceValue,
} from './trace.js';
