/**
 * A strategy of one's own, as a module a scenario names (examples/one-at-a-time.yaml): its
 * default export takes the scenario entry's options and returns the Strategy. The README
 * quotes this file ("Writing your own strategy"); test/docs/module-example.test.ts runs it.
 */
import { backgroundDefaults, type Strategy } from 'dispatchlab';

export interface Options {
  /** Seconds a subagent may run before it is cancelled. */
  readonly timeout?: number;
  /** Times a failed task is dispatched again before it is given up. */
  readonly retries?: number;
}

// One subagent at a time: dispatch, wait for its result, process it, next.
export default function oneAtATime({ timeout = 600, retries = 2 }: Options): Strategy {
  return {
    label: `one-at-a-time(timeout=${timeout}s,retries=${retries})`,
    settings: { ...backgroundDefaults, wip: 1, timeout, retries },
    *run(o) {
      for (;;) {
        const [task] = o.readyTasks(1);
        if (task === undefined) break;
        yield* o.dispatch(task); // pays `dispatch`
        const result = yield* o.nextResult(); // idles until a result arrives
        if (result !== undefined) yield* o.process(result); // pays `process`
      }
      yield* o.synthesize();
    },
  };
}
