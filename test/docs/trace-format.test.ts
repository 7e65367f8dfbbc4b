/**
 * docs/trace-format.md's examples are real: its example trace is what the command it
 * shows writes for the scenario it shows, byte for byte (but for the tool's version); the
 * header laid out for reading is that trace's header; the excerpt of a volatile registry's
 * trace is lines of the trace its command writes, in order; and every record quoted
 * validates against the trace schema, with zod and as JSON Schema. When the format or the
 * model changes, run the commands the page shows and paste what they write.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { traceJsonSchema, traceRecordSchema } from '../../src/model/trace-schema.js';
import { dispatchlabVersion } from '../../src/version.js';
import { cli, cliWith, tempDir } from '../cli/helpers.js';
import { metricsFromTrace } from '../model/metrics-from-trace.js';

const doc = readFileSync('docs/trace-format.md', 'utf8');
const blocks = (language: string) =>
  [...doc.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);
const [example, excerpt] = blocks('jsonl');
const lines = (text: string) => text.trimEnd().split('\n');

const validate = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true }).compile(
  traceJsonSchema(),
);

/** The doc writes the version of dispatchlab it was written with; the trace, today's. */
function asDocumented(trace: string): string {
  const documented = /"tool":\{"name":"dispatchlab","version":"([^"]*)"\}/.exec(example!)?.[1];
  expect(documented).toBeDefined();
  return trace.replace(
    `"tool":{"name":"dispatchlab","version":"${dispatchlabVersion}"}`,
    `"tool":{"name":"dispatchlab","version":"${documented}"}`,
  );
}

describe('docs/trace-format.md', () => {
  it('shows the whole trace its example command writes', () => {
    const [scenario] = blocks('yaml');
    const [command] = blocks('sh');
    const args = command!.trim().split(/\s+/);
    expect(args.slice(0, 2)).toEqual(['dispatchlab', 'run']);
    const dir = tempDir();
    writeFileSync(join(dir, args[2]!), scenario!);
    const r = cliWith({ cwd: dir }, ...args.slice(1));
    expect(r.code, r.stderr).toBe(0);
    const written = readFileSync(join(dir, args[args.indexOf('--trace') + 1]!), 'utf8');
    expect(asDocumented(written)).toBe(example);
  });

  it("lays out the example's header as it is", () => {
    const [header] = blocks('json');
    expect(JSON.parse(header!)).toEqual(JSON.parse(lines(example!)[0]!));
  });

  it('says of the example what its trace shows', () => {
    const m = metricsFromTrace(example!);
    expect(m).toMatchObject({
      outcome: 'completed',
      makespan: 228,
      peakInFlight: 2,
      failures: 2,
      failuresDetected: 2,
      detectionLatency: 0,
      dispatchTime: 5,
      processTime: 15,
      synthesizeTime: 10,
      idleTime: 198,
      succeeded: 3,
    });
    // Subagent 6 a ghost: forgotten, never cancelled, its outcome never consumed.
    const agent6 = lines(excerptTrace()).filter((l) => /"agent":6[,}]/.test(l));
    expect(agent6.map((l) => (JSON.parse(l) as { type: string }).type)).toEqual([
      'spawn',
      'start',
      'forget',
      'end',
      'drop',
    ]);
    const volatile = metricsFromTrace(excerptTrace());
    expect(volatile.ghosts).toBeGreaterThan(0);
    expect(volatile.duplicateSpawns).toBeGreaterThan(0);
  });

  it('quotes, from a volatile registry, lines of the trace its command writes, in order', () => {
    const trace = lines(excerptTrace());
    let at = 0;
    for (const line of lines(excerpt!)) {
      const found = trace.indexOf(line, at);
      expect(found, `not in the trace (in order): ${line}`).toBeGreaterThanOrEqual(0);
      at = found + 1;
    }
  });

  it('quotes records that validate against the trace schema', () => {
    for (const line of [...lines(example!), ...lines(excerpt!)]) {
      const record = JSON.parse(line) as unknown;
      expect(traceRecordSchema.safeParse(record).success, line).toBe(true);
      expect(validate(record), `${line}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });
});

let excerptText: string | undefined;
/** The trace of the command the page names for its excerpt. */
function excerptTrace(): string {
  if (excerptText !== undefined) return excerptText;
  const named = /`(dispatchlab run scenarios\/frequent-compaction\.yaml[^`]*)`/.exec(doc)?.[1];
  expect(named).toBeDefined();
  const args = named!.split(/\s+/);
  const out = join(tempDir(), 't.jsonl');
  args[args.indexOf('--trace') + 1] = out;
  const r = cli(...args.slice(1));
  expect(r.code, r.stderr).toBe(0);
  excerptText = readFileSync(out, 'utf8');
  return excerptText;
}
