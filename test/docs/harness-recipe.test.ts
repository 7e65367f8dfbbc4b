/**
 * The README's recipe for testing one's own orchestrator code is the file
 * examples/harness-in-your-tests.ts, quoted whole; importing it here registers its test,
 * which then runs as it would in a user's repository (through the package's entry point,
 * `dispatchlab/harness`).
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import '../../examples/harness-in-your-tests.js';

it('is quoted whole by the README', () => {
  const example = readFileSync('examples/harness-in-your-tests.ts', 'utf8');
  expect(readFileSync('README.md', 'utf8')).toContain(`\`\`\`ts\n${example}\`\`\``);
});
