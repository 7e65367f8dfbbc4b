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
// A reader that stops early (`dispatchlab ... | head`) closes the pipe: stop quietly, as
// Unix tools do, rather than with a stack trace.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
const { runCli } = await import(main.href);
process.exitCode = await runCli(process.argv);
