/** dispatchlab's version, from its package.json (shown by --version, written into shards). */
import { readFileSync } from 'node:fs';

export const dispatchlabVersion: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;
