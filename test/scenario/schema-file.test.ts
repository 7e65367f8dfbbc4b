/**
 * The bundled scenarios point editors at scenarios/scenario.schema.json (their first line,
 * `# yaml-language-server: $schema=./scenario.schema.json`): that file must exist and be
 * exactly what `dispatchlab schema` prints today. After a change to the format, rewrite it:
 *
 *   npm run build && node bin/dispatchlab.js schema --out scenarios/scenario.schema.json
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenarioJsonSchema } from '../../src/scenario/json-schema.js';

const folder = 'scenarios';
const schemaFile = join(folder, 'scenario.schema.json');

describe('scenarios/scenario.schema.json', () => {
  it('is what `dispatchlab schema` prints', () => {
    expect(readFileSync(schemaFile, 'utf8')).toBe(
      `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`,
    );
  });

  it('is the schema every bundled scenario names', () => {
    const scenarios = readdirSync(folder).filter((f) => f.endsWith('.yaml'));
    expect(scenarios.length).toBeGreaterThan(5);
    for (const file of scenarios) {
      const first = readFileSync(join(folder, file), 'utf8').split('\n')[0];
      expect(first, file).toBe('# yaml-language-server: $schema=./scenario.schema.json');
    }
  });
});
