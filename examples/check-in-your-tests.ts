import { expectSafe } from 'dispatchlab';
import { test } from 'vitest';

// dispatchlab check, in your own test suite: the scenario's seeds and 100 generated
// workloads around it; a broken invariant fails the test with its counterexample.
test('one-at-a-time dispatches safely', async () => {
  await expectSafe({
    scenario: new URL('./one-at-a-time.yaml', import.meta.url),
    strategyModule: new URL('./one-at-a-time.ts', import.meta.url),
  });
}, 120_000);
