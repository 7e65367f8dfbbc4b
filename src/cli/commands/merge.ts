/**
 * `dispatchlab merge PARTS...`: combine the partial documents of a sharded compare or
 * sweep into exactly the document the unsharded run gives (byte for byte).
 */
import type { Command } from 'commander';
import { toJson } from '../../experiment/results.js';
import { merge } from '../../experiment/shard.js';
import { prepareOutputFile, writeOutputFile } from '../output-path.js';
import { readJsonDocument } from '../read-json.js';

const readMergePart = (file: string) =>
  readJsonDocument(file, 'merge takes the files written by `compare --shard` or `sweep --shard`');

export function registerMerge(program: Command): void {
  program
    .command('merge')
    .description(
      'merge the partial documents of every shard (from compare/sweep --shard I/N) into the full document',
    )
    .argument('<parts...>', 'the partial documents, one per shard, in any order')
    .option('--out <file>', 'write the merged document to this file instead of stdout')
    .action(async (parts: string[], options: { out?: string }) => {
      if (options.out !== undefined) prepareOutputFile(options.out, '--out');
      const doc = merge(parts.map(readMergePart), parts);
      const json = toJson(doc);
      if (options.out === undefined) process.stdout.write(json);
      else {
        await writeOutputFile(options.out, json, '--out');
        process.stderr.write(`wrote ${options.out}\n`);
      }
    });
}
