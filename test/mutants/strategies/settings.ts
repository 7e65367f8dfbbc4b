/**
 * What the broken strategies share: background dispatch with a WIP limit, a timeout and a
 * retry — the settings of a careful orchestrator, so that what breaks is each one's own
 * program (or the one setting it gets wrong on purpose).
 */
import { backgroundDefaults, type DispatchSettings } from 'dispatchlab';

export const careful: DispatchSettings = {
  ...backgroundDefaults,
  wip: 5,
  timeout: 900,
  retries: 1,
};
