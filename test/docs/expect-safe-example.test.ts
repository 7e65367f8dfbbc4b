/**
 * The README's recipe for checking a strategy in one's own test suite is the file
 * examples/check-in-your-tests.ts, quoted whole; importing it here registers its
 * test, which then runs as it would in a user's repository (through the package's entry
 * point, `dispatchlab`).
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import '../../examples/check-in-your-tests.js';

it('is quoted whole by the README', () => {
  const example = readFileSync('examples/check-in-your-tests.ts', 'utf8');
  expect(readFileSync('README.md', 'utf8')).toContain(`\`\`\`ts\n${example}\`\`\``);
});
