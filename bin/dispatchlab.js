#!/usr/bin/env node
// The dispatchlab command. The TypeScript sources are compiled to dist/ by `npm install`
// (the `prepare` script); this file only hands over to them.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write(
    'dispatchlab: the compiled sources are missing (dist/cli/main.js). Run `npm install` (or `npm run build`) in the dispatchlab checkout first.\n',
  );
  process.exit(2);
}
// runCli also handles a standard output that fails: a reader that stops early
// (`dispatchlab ... | head`) ends it quietly, a full disk with a message (src/cli/interruptions.ts).
const { runCli } = await import(main.href);
process.exitCode = await runCli(process.argv);
