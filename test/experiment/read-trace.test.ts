/** Reading a trace to check it: every simulated trace reads back; a broken order is refused by line. */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTrace } from '../../src/experiment/read-trace.js';
import { runOnce } from '../../src/experiment/run-seeds.js';
import type { ModelTraceRecord } from '../../src/model/trace-records.js';
import { loadScenario } from '../../src/scenario/load.js';
import { MemoryTrace } from '../../src/sim/trace.js';

async function traces(): Promise<{ what: string; jsonl: string }[]> {
  const out: { what: string; jsonl: string }[] = [];
  for (const file of readdirSync('scenarios').filter((f) => f.endsWith('.yaml'))) {
    const scenario = await loadScenario(`scenarios/${file}`);
    for (const config of scenario.strategies) {
      const trace = new MemoryTrace<ModelTraceRecord>();
      runOnce(scenario, config, 1, trace);
      out.push({ what: `${file} ${config.label}`, jsonl: trace.toJsonl() });
    }
  }
  return out;
}

describe('parseTrace', () => {
  it('reads back every trace the simulator writes, record for record', async () => {
    for (const { what, jsonl } of await traces()) {
      expect(parseTrace(jsonl, 'run.jsonl').length, what).toBe(jsonl.trimEnd().split('\n').length);
    }
    // With a byte-order mark and Windows line ends, as some tools write them, too.
    const { jsonl } = (await traces())[0]!;
    const windows = `\ufeff${jsonl.replace(/\n/g, '\r\n')}`;
    expect(parseTrace(windows, 'run.jsonl')).toEqual(parseTrace(jsonl, 'run.jsonl'));
  });

  it('refuses records out of the format order, naming the line and the rule', async () => {
    const jsonl = (await traces())[0]!.jsonl;
    const lines = jsonl.trimEnd().split('\n');
    const refused = (text: string) => () => parseTrace(text, 'run.jsonl');
    expect(refused(`${jsonl}${lines[0]}\n`)).toThrow(
      new RegExp(`run\\.jsonl:${lines.length + 1}: a second header \\(run\\.start\\)`),
    );
    const spawn = lines.findIndex((l) => l.includes('"type":"spawn"'));
    const renumbered = lines.map((l, i) => (i === spawn ? l.replace('"agent":0', '"agent":3') : l));
    expect(refused(renumbered.join('\n'))).toThrow(
      new RegExp(`run\\.jsonl:${spawn + 1}: spawn\\.agent is 3, .*it must be agent 0`),
    );
    const end = lines.findIndex((l) => l.includes('"type":"end"'));
    const unspawned = lines.map((l, i) =>
      i === end ? l.replace(/"agent":\d+/, '"agent":9999') : l,
    );
    expect(refused(unspawned.join('\n'))).toThrow(
      new RegExp(`run\\.jsonl:${end + 1}: end\\.agent is 9999, an agent not spawned yet`),
    );
    const tasks = lines.map((l, i) => (i === spawn ? l.replace(/"task":\d+/, '"task":100000') : l));
    expect(refused(tasks.join('\n'))).toThrow(
      /spawn\.task is 100000, but the header counts \d+ tasks/,
    );
  });
});
