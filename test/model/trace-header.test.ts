/**
 * The header of a trace, pinned byte for byte for a world with every optional part (token
 * rates, a price table, a turn cost drawn from a distribution, dependencies) and for one
 * without: the golden sample's worlds have no prices, and the header copies the world's
 * objects field by field, so a field left out of the copy would show only here.
 */
import { describe, expect, it } from 'vitest';
import { noTokens, world } from '../../src/model/config.js';
import { runStrategy } from '../../src/model/run.js';
import type { ModelTraceRecord } from '../../src/model/trace-records.js';
import { LognormalDistribution } from '../../src/sim/distributions/lognormal.js';
import { MemoryTrace, serializeTraceRecord } from '../../src/sim/trace.js';
import { asyncDispatch } from '../../src/strategies/async.js';
import { blocking } from '../../src/strategies/blocking.js';
import { dispatchlabVersion } from '../../src/version.js';
import { fixed } from './helpers.js';

/** The first line of the run's trace, the tool's version written as `VERSION`. */
function headerLine(w: Parameters<typeof runStrategy>[0]['world'], s = blocking()): string {
  const trace = new MemoryTrace<ModelTraceRecord>();
  runStrategy({ world: w, strategy: s, seed: 7, trace, source: { name: 'pinned', hash: 'h' } });
  return serializeTraceRecord(trace.records[0]!).replace(
    `"version":${JSON.stringify(dispatchlabVersion)}`,
    '"version":"VERSION"',
  );
}

describe('trace header', () => {
  it('a world with tokens, prices, a drawn turn cost and dependencies', () => {
    const w = {
      ...world({
        tasks: { count: 3, dependencies: { shape: 'chain' } },
        latency: fixed(10),
        orchestrator: {
          dispatch: 1,
          plan: 2,
          process: 3,
          poll: 4,
          answer: 5,
          synthesize: 6,
          turn: new LognormalDistribution({ median: 5, p95: 20 }),
        },
        context: { base: 100, perHandle: 10, perResult: 50, perSummary: 5, budget: 1000 },
        quality: { base: 0.9, validation: 0.5 },
      }),
      tokens: {
        output: { ...noTokens.output, dispatch: 20, process: 200, synthesize: 500 },
        subagentPerSecond: 3,
      },
      prices: {
        orchestrator: { input: 10, cachedInput: 1, cacheHitShare: 0.5, output: 50 },
        subagent: { input: 2, cachedInput: 0.5, cacheHitShare: 0.25, output: 8, outputShare: 0.1 },
      },
    };
    expect(headerLine(w, asyncDispatch({ wip: 2 }))).toBe(
      '{"t":0,"type":"run.start","context":{"base":100,"budget":1000,"compactionKeeps":0.25,"forgetProbability":0,"perHandle":10,"perResult":50,"perSummary":5},"costs":{"answer":5,"compaction":0,"dispatch":1,"plan":2,"poll":4,"process":3,"synthesize":6,"turn":null},"dependencies":[[0,1],[1,2]],"format":"dispatchlab-trace","prices":{"orchestrator":{"cacheHitShare":0.5,"cachedInput":1,"input":10,"output":50},"subagent":{"cacheHitShare":0.25,"cachedInput":0.5,"input":2,"output":8,"outputShare":0.1}},"scenario":{"hash":"h","name":"pinned"},"seed":7,"settings":{"continuation":"events","forgottenTimeout":"runtime","mode":"background","pollInterval":null,"registry":"durable","resume":false,"retries":0,"timeout":null,"wip":2},"strategy":{"description":{"continuation":"events","forgottenTimeout":"runtime","gating":0,"kind":"async","pollInterval":null,"registry":"durable","resume":false,"retries":0,"timeout":null,"validation":null,"waveSize":null,"wip":2},"label":"async(wip=2,events)"},"tasks":3,"tokens":{"output":{"answer":0,"compaction":0,"dispatch":20,"plan":0,"poll":0,"process":200,"synthesize":500},"subagentPerSecond":3},"tool":{"name":"dispatchlab","version":"VERSION"},"version":1,"world":{"quality":{"base":0.9,"deniedPenalty":0,"learningRate":0,"propagation":0,"validation":0.5}}}',
    );
  });

  it('a world with none of them', () => {
    expect(headerLine(world({ tasks: 2, latency: fixed(1) }))).toBe(
      '{"t":0,"type":"run.start","context":{"base":0,"budget":null,"compactionKeeps":0.25,"forgetProbability":0,"perHandle":0,"perResult":0,"perSummary":0},"costs":{"answer":0,"compaction":0,"dispatch":0,"plan":0,"poll":0,"process":0,"synthesize":0,"turn":0},"dependencies":[],"format":"dispatchlab-trace","scenario":{"hash":"h","name":"pinned"},"seed":7,"settings":{"continuation":"events","forgottenTimeout":"runtime","mode":"foreground","pollInterval":null,"registry":"durable","resume":false,"retries":0,"timeout":null,"wip":null},"strategy":{"description":{"kind":"blocking","retries":0,"timeout":null,"validation":null},"label":"blocking"},"tasks":2,"tokens":{"output":{"answer":0,"compaction":0,"dispatch":0,"plan":0,"poll":0,"process":0,"synthesize":0},"subagentPerSecond":0},"tool":{"name":"dispatchlab","version":"VERSION"},"version":1,"world":{"quality":{"base":1,"deniedPenalty":0,"learningRate":0,"propagation":0,"validation":0}}}',
    );
  });
});
