/**
 * chooseStrategy (src/scenario/strategy-choice.ts), behind `run --strategy`: a label, a
 * prefix only one label has, or a number from 1.
 */
import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../../src/scenario/errors.js';
import { parseScenario } from '../../src/scenario/parse.js';
import { chooseStrategy } from '../../src/scenario/strategy-choice.js';

const scenario = parseScenario(
  {
    name: 'choice',
    description: 'Strategies to choose among.',
    tasks: 5,
    subagents: { latency: '1m' },
    strategies: [
      'blocking',
      { kind: 'blocking', timeout: '10m' },
      { kind: 'batch', size: 2 },
      { kind: 'async', wip: 2 },
      { kind: 'async', wip: 2, continuation: 'polling' },
      { kind: 'async', label: '7' },
    ],
  },
  { source: 'choice.yaml', baseDir: '.' },
);

const label = (text: string) => chooseStrategy(scenario, text).label;

function refusal(text: string): string {
  try {
    chooseStrategy(scenario, text);
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return (error as Error).message;
  }
  throw new Error(`expected "${text}" to be refused`);
}

describe('chooseStrategy', () => {
  it('refuses an empty value (a prefix of every label) and lists the choices', () => {
    for (const text of ['', '  ']) {
      expect(refusal(text)).toMatch(/--strategy is empty; give a label or a number: 1: "blocking"/);
    }
  });

  it('takes a full label first, even one that is also a prefix or a number', () => {
    expect(label('blocking')).toBe('blocking');
    expect(label('7')).toBe('7');
  });

  it('takes a number, counting from 1', () => {
    expect(label('1')).toBe('blocking');
    expect(label('3')).toBe('batch(k=2)');
    expect(label('5')).toBe('async(wip=2,polling@30s)');
  });

  it('takes a prefix only one label has, then ignoring case', () => {
    expect(label('batch')).toBe('batch(k=2)');
    expect(label('blocking(')).toBe('blocking(timeout=10m)');
    expect(label('async(wip=2,p')).toBe('async(wip=2,polling@30s)');
    expect(label('BAT')).toBe('batch(k=2)');
  });

  it('lists the candidates of an ambiguous prefix, with their numbers', () => {
    expect(refusal('async')).toBe(
      'choice.yaml: --strategy "async" matches 2 strategies: 4: "async(wip=2,events)", 5: "async(wip=2,polling@30s)"; give more of the label, or its number.',
    );
  });

  it('names every label when nothing matches, or the number is out of range', () => {
    const labels =
      '1: "blocking", 2: "blocking(timeout=10m)", 3: "batch(k=2)", 4: "async(wip=2,events)", 5: "async(wip=2,polling@30s)", 6: "7"';
    expect(refusal('bath')).toBe(
      `choice.yaml: no strategy is labelled "bath". Did you mean "batch(k=2)"? Give a label, a prefix of one, or a number: ${labels}.`,
    );
    expect(refusal('9')).toBe(
      `choice.yaml: --strategy 9: there are 6 strategies, numbered from 1; give a number from 1 to 6 or a label: ${labels}.`,
    );
    expect(refusal('parallel')).toBe(
      `choice.yaml: no strategy is labelled "parallel". Give a label, a prefix of one, or a number: ${labels}.`,
    );
    expect(refusal('0')).toMatch(/--strategy 0: there are 6 strategies, numbered from 1/);
  });
});
