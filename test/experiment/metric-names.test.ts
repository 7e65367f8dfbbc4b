import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/experiment/errors.js';
import {
  deadlockFinalMetrics,
  defaultDirection,
  finalAtDeadlock,
  metricNames,
  metricReading,
  parseMetricList,
} from '../../src/experiment/metric-names.js';

describe('metric readings', () => {
  it('judge outcomes and overheads, and leave trade-offs neutral', () => {
    const by = (reading: string) => metricNames.filter((m) => metricReading[m] === reading);
    expect(by('higher')).toEqual(['throughput', 'succeeded', 'utilization', 'correctShare']);
    expect(by('lower')).toEqual(
      expect.arrayContaining([
        'makespan',
        'givenUp',
        'idleTime',
        'pollTime',
        'compactionTime',
        'wastedAgentSeconds',
        'ghosts',
        'duplicateSpawns',
        'undetectedFailures',
        'detectionLatency',
        'compactions',
        'errorAmplification',
      ]),
    );
    expect(by('neutral')).toEqual(
      expect.arrayContaining([
        'tasks',
        'processTime',
        'peakInFlight',
        'meanInFlight',
        'agentSeconds',
        'spawns',
        'retries',
        'failures',
        'failuresDetected',
        'peakContext',
        'wrongCaught',
      ]),
    );
  });

  it('give a sweep a direction for every metric: the reading, lower for a neutral one', () => {
    expect(defaultDirection('makespan')).toBe('lower');
    expect(defaultDirection('correctShare')).toBe('higher');
    expect(defaultDirection('peakInFlight')).toBe('lower');
  });

  it('keep only the task outcomes of a deadlocked run', () => {
    expect(deadlockFinalMetrics).toEqual([
      'tasks',
      'succeeded',
      'unresolved',
      'undetectedFailures',
      'correctShare',
    ]);
    for (const m of [
      'makespan',
      'throughput',
      'idleTime',
      'utilization',
      'detectionLatency',
    ] as const)
      expect(finalAtDeadlock(m)).toBe(false);
  });
});

describe('parseMetricList', () => {
  it('reads names in the order given, once each, or all', () => {
    expect(parseMetricList('compactions, makespan,compactions')).toEqual([
      'compactions',
      'makespan',
    ]);
    expect(parseMetricList('all')).toBe('all');
    expect(parseMetricList(' all ')).toBe('all');
  });

  it('refuses unknown names with a did-you-mean and the list of metrics', () => {
    expect(() => parseMetricList('compaction,makespan,frobs')).toThrow(UsageError);
    expect(() => parseMetricList('compaction,makespan,frobs')).toThrow(
      /"compaction" is not a metric \(did you mean "compactions"\?\); "frobs" is not a metric; the metrics are makespan, throughput, .*costPerSuccess \(or "all" for every one\)/,
    );
    expect(() => parseMetricList('Makespan')).toThrow(/did you mean "makespan"/);
    expect(() => parseMetricList(' , ')).toThrow(/needs metric names/);
    expect(() => parseMetricList('all,makespan')).toThrow(/"all" stands alone/);
  });
});
