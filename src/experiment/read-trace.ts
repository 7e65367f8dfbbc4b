/**
 * Reading a trace file to check it (`dispatchlab check --trace`), recorded by dispatchlab
 * or by any other tool: JSON Lines, each record checked against the trace format's schema
 * (docs/trace-format.md), so that a checker never meets a record it cannot read. Every
 * refusal is a UsageError naming the file, the line, the field and what the format wants.
 */
import type { ModelTraceRecord } from '../model/trace-records.js';
import { traceFormatName, traceFormatVersion } from '../model/trace-records.js';
import { traceHeaderSchema, traceRecordSchema } from '../model/trace-schema.js';
import { BoundedReadError, readBoundedText } from '../scenario/files/bounded-read.js';
import { limits } from '../scenario/limits.js';
import { UsageError } from './errors.js';

const see = 'see docs/trace-format.md, or `dispatchlab schema --trace` for its JSON Schema';

export function readTraceFile(file: string): ModelTraceRecord[] {
  let text: string;
  try {
    // A regular file of bounded size: a FIFO would wait forever, /dev/zero fill the memory.
    text = readBoundedText(file, limits.traceBytes);
  } catch (err) {
    if (err instanceof BoundedReadError) throw new UsageError(`${file} ${err.detail}.`);
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file; check the path'
        : code === 'EACCES'
          ? 'cannot be read (permission denied)'
          : (err as Error).message;
    throw new UsageError(`${file}: ${why}.`);
  }
  return parseTrace(text, file);
}

/** The records of a trace's text; `file` names it in messages. */
export function parseTrace(text: string, file: string): ModelTraceRecord[] {
  const records: ModelTraceRecord[] = [];
  const order = new RecordOrder();
  // A byte-order mark, as some editors and Windows tools write, is not part of the first line.
  const lines = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `${file}:${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw new UsageError(
        `${where}: not a JSON object on one line (${(err as Error).message}); a trace has one record per line (JSON Lines): ${see}.`,
      );
    }
    const first = records.length === 0;
    const parsed = (first ? traceHeaderSchema : traceRecordSchema).safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = issue.path.length === 0 ? 'the record' : issue.path.join('.');
      const what = first
        ? `the first record must be the header, {"t":0,"type":"run.start","format":"${traceFormatName}","version":${traceFormatVersion},…}`
        : 'a record';
      throw new UsageError(
        `${where}: ${what} does not fit the trace format at ${field}: ${issue.message}; ${see}.`,
      );
    }
    const record = parsed.data as ModelTraceRecord;
    const broken = order.problem(record);
    if (broken !== undefined) throw new UsageError(`${where}: ${broken}; ${see}.`);
    records.push(record);
  });
  if (records.length === 0) throw new UsageError(`${file}: the trace is empty; ${see}.`);
  return records;
}

/**
 * The rules of the format a record breaks by where it stands, not by what it says (those
 * are the invariants' to judge): one header, first; agents numbered in spawn order from
 * 0; a record about an agent only once it was spawned; tasks numbered within the header's
 * count. A trace that breaks them is not a trace of this format: checking it would blame
 * whatever invariant the confusion reaches first.
 */
class RecordOrder {
  private tasks = 0;
  private spawned = 0;
  private headers = 0;

  problem(record: ModelTraceRecord): string | undefined {
    if (record.type === 'run.start') {
      this.headers++;
      if (this.headers > 1) {
        return 'a second header (run.start): a trace holds one run; were two traces joined? Check each on its own';
      }
      this.tasks = record.tasks;
      return undefined;
    }
    const r = record as { readonly agent?: unknown; readonly task?: unknown };
    if (typeof r.task === 'number' && (r.task >= this.tasks || !Number.isInteger(r.task))) {
      return `${record.type}.task is ${r.task}, but the header counts ${this.tasks} tasks, numbered 0 to ${this.tasks - 1}`;
    }
    if (typeof r.agent !== 'number') return undefined;
    if (record.type === 'spawn') {
      if (r.agent !== this.spawned) {
        return `spawn.agent is ${r.agent}, but agents are numbered in spawn order from 0, and this is spawn ${this.spawned}: it must be agent ${this.spawned}`;
      }
      this.spawned++;
      return undefined;
    }
    if (r.agent >= this.spawned) {
      return `${record.type}.agent is ${r.agent}, an agent not spawned yet (${this.spawned === 0 ? 'none was' : `agents 0 to ${this.spawned - 1} were`}): its spawn record must come first`;
    }
    return undefined;
  }
}
