/**
 * `dispatchlab merge PARTS...`: combine the partial documents of a sharded compare or
 * sweep into exactly the document the unsharded run gives (byte for byte).
 */
import type { Command } from 'commander';
import { toJson } from '../../experiment/results.js';
import { merge } from '../../experiment/shard.js';
import { BoundedReadError, readBoundedText } from '../../scenario/files/bounded-read.js';
import { limits } from '../../scenario/limits.js';
import { CliError } from '../cli-error.js';
import { prepareOutputFile, writeOutputFile } from '../output-path.js';

function readJson(file: string): unknown {
  let text: string;
  try {
    // Only a regular file, and not one larger than a partial document can be: a FIFO
    // would wait forever, /dev/zero fill the memory.
    text = readBoundedText(file, limits.partialDocumentBytes);
  } catch (err) {
    if (err instanceof BoundedReadError) {
      throw new CliError(
        `${file} ${err.detail}; merge takes the files written by \`compare --shard\` or \`sweep --shard\`.`,
      );
    }
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(
      `${file}: ${code === 'ENOENT' ? 'no such file; check the path' : code === 'EACCES' ? 'cannot be read (permission denied)' : (err as Error).message}.`,
    );
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a BOM, as some editors write
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new CliError(
      `${file}: not a JSON document (${(err as Error).message}); merge takes the files written by \`compare --shard\` or \`sweep --shard\`.`,
    );
  }
}

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
      const doc = merge(parts.map(readJson), parts);
      const json = toJson(doc);
      if (options.out === undefined) process.stdout.write(json);
      else {
        await writeOutputFile(options.out, json, '--out');
        process.stderr.write(`wrote ${options.out}\n`);
      }
    });
}
