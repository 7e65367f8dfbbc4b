/**
 * The async polling orchestrator of async-wip-polling.ts as an orchestrator module: what
 * `dispatchlab compare`, `sweep` and `check` run from a scenario entry
 * `{ orchestrator: ./my-orchestrator.ts, options: { wip, pollInterval, timeout, retries } }`
 * (docs/orchestrator-modules.md). Durations are in seconds.
 */
import { defineOrchestrator } from 'dispatchlab/harness';
import { type AsyncWipPollingOptions, asyncWipPolling, settings } from './async-wip-polling.js';

export default defineOrchestrator((options: AsyncWipPollingOptions) => ({
  label: `my-orchestrator(wip=${options.wip})`,
  settings: settings(options),
  orchestrator: asyncWipPolling(options),
}));
