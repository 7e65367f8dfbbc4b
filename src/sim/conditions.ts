/**
 * Conditions: events that wait on several others.
 *
 * `anyOf` succeeds with the first of its events to be processed (ties go to the one
 * processed first, i.e. FIFO order in the queue); `allOf` succeeds when all have, with
 * their values in order. Either fails as soon as one of its events fails. Once resolved,
 * a condition stops listening to the rest, so a later outcome of those is theirs alone.
 */
import { SimulationError } from './errors.js';
import { type EventCallback, PROCESSED, SimEvent } from './event.js';
import type { Simulation } from './simulation.js';

export interface AnyOfResult<T> {
  /** Position of the winning event in the list given to `anyOf`. */
  readonly index: number;
  readonly event: SimEvent<T>;
  readonly value: T;
}

export type ValuesOf<E extends readonly SimEvent<unknown>[]> = {
  -readonly [K in keyof E]: E[K] extends SimEvent<infer V> ? V : never;
};

function listNames(events: readonly SimEvent<unknown>[]): string {
  const names = events.slice(0, 4).map((e) => e.describe());
  if (events.length > 4) names.push(`${events.length - 4} more`);
  return names.join(', ');
}

class Condition<T> extends SimEvent<T> {
  protected readonly listeners: EventCallback[] = [];

  constructor(
    sim: Simulation,
    private readonly kind: 'anyOf' | 'allOf',
    protected readonly events: readonly SimEvent<unknown>[],
  ) {
    super(sim);
  }

  override describe(): string {
    return `${this.kind}(${listNames(this.events)})`;
  }

  protected listen(onProcessed: (event: SimEvent<unknown>, index: number) => void): void {
    this.events.forEach((event, index) => {
      if (event.state === PROCESSED) return;
      const listener: EventCallback = (e) => onProcessed(e, index);
      this.listeners[index] = listener;
      event._addWaiter(listener);
    });
  }

  protected stopListening(): void {
    this.events.forEach((event, index) => {
      const listener = this.listeners[index];
      if (listener !== undefined && event.state !== PROCESSED) event._removeWaiter(listener);
    });
  }
}

export class AnyOf<T> extends Condition<AnyOfResult<T>> {
  constructor(sim: Simulation, events: readonly SimEvent<T>[]) {
    super(sim, 'anyOf', events as readonly SimEvent<unknown>[]);
    if (events.length === 0) {
      throw new SimulationError('anyOf needs at least one event: with none it could never happen');
    }
    const done = events.findIndex((e) => e.state === PROCESSED);
    if (done >= 0) {
      this.resolve(events[done]! as SimEvent<unknown>, done);
      return;
    }
    this.listen((event, index) => this.resolve(event, index));
  }

  private resolve(event: SimEvent<unknown>, index: number): void {
    if (this.triggered) return;
    this.stopListening();
    if (event.ok) {
      this.succeed({ index, event: event as SimEvent<T>, value: event.value as T });
    } else {
      event.defused = true;
      this.fail(event.error);
    }
  }
}

export class AllOf<E extends readonly SimEvent<unknown>[]> extends Condition<ValuesOf<E>> {
  private remaining: number;
  private readonly values: unknown[];

  constructor(sim: Simulation, events: E) {
    super(sim, 'allOf', events);
    this.values = new Array<unknown>(events.length);
    this.remaining = events.length;
    const failed = events.find((e) => e.state === PROCESSED && !e.ok);
    if (failed !== undefined) {
      failed.defused = true;
      this.fail(failed.error);
      return;
    }
    events.forEach((e, i) => {
      if (e.state === PROCESSED) {
        this.values[i] = e.value;
        this.remaining--;
      }
    });
    if (this.remaining === 0) {
      this.succeed(this.values as ValuesOf<E>);
      return;
    }
    this.listen((event, index) => {
      if (this.triggered) return;
      if (!event.ok) {
        this.stopListening();
        this.fail(event.error);
        return;
      }
      this.values[index] = event.value;
      if (--this.remaining === 0) this.succeed(this.values as ValuesOf<E>);
    });
  }
}
