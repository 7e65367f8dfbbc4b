/**
 * What the broken strategies share: the settings of a careful orchestrator (background
 * dispatch with a WIP limit, a timeout and a retry) and its loop (dispatch what is ready,
 * process each result as it comes, synthesize at the end), so that what breaks is each
 * one's own departure from them — one setting, or one line of the loop.
 */
import { backgroundDefaults, type DispatchSettings, type Orchestrator } from 'dispatchlab';

export const careful: DispatchSettings = {
  ...backgroundDefaults,
  wip: 5,
  timeout: 900,
  retries: 1,
};

/** Dispatches what is ready and processes each result as it comes, until every task is resolved. */
export function* carefulLoop(o: Orchestrator) {
  while (!o.finished) {
    for (const task of o.readyTasks()) yield* o.dispatch(task);
    const result = yield* o.nextResult();
    if (result === undefined) {
      if (o.outstanding === 0 && o.readyTasks().length === 0) break;
      continue;
    }
    yield* o.process(result);
  }
  yield* o.synthesize();
}
