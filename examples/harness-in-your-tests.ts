import { checkOrchestrator } from 'dispatchlab/harness';
import { expect, test } from 'vitest';
import { asyncWipPolling, settings } from './harness/async-wip-polling.js';

// Your own orchestrator code, run on simulated time against docs-audit's subagents
// (their latencies, errors and hangs, the orchestrator's costs and turns), one run per
// seed of the scenario; a broken invariant fails the test with its story.
test('my orchestrator keeps every invariant', async () => {
  const options = { wip: 10, pollInterval: 30, timeout: 900, retries: 1 };
  const verdict = await checkOrchestrator({
    scenario: new URL('../scenarios/docs-audit.yaml', import.meta.url),
    orchestrator: asyncWipPolling(options),
    settings: settings(options),
  });
  expect(verdict.failures).toEqual([]);
});
