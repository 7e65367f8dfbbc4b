/**
 * A look at the structure of JSON text without building it: how many values it holds, how
 * deeply it nests, and the first key repeated within one object. Run before (or beside)
 * `JSON.parse`, which builds whatever it is given (a 64 MiB file of `{}`s takes gigabytes)
 * and silently keeps the last of two equal keys, where a YAML file gets an error.
 *
 * One pass with an explicit stack, so no input can overflow the call stack; it stops early
 * once the values counted pass `maxValues`. On text that is not JSON the counts are
 * meaningless but finite (JSON.parse then reports the error).
 */

export interface JsonShape {
  /**
   * An upper bound on the values (numbers, strings, lists, objects...) the text holds:
   * containers + commas + 1, exact but for empty containers. Stops growing past `maxValues`.
   */
  readonly values: number;
  /** The deepest nesting of lists and objects (0 for a bare number or string). */
  readonly depth: number;
  /** The first key that appears twice in one object, where its second occurrence is. */
  readonly duplicate?: {
    readonly key: string;
    readonly line: number;
    readonly column: number;
    /** The line of its first occurrence. */
    readonly firstLine: number;
  };
}

interface Frame {
  /** Keys seen in this object, with their line; undefined for a list. */
  readonly keys: Map<string, number> | undefined;
  /** In an object: whether the next string is a key (after `{` or `,`). */
  expectKey: boolean;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;

/** The key a string literal (quotes included) stands for: escapes such as \u0061 decoded. */
function keyOf(literal: string, escaped: boolean): string {
  if (!escaped) return literal.slice(1, -1);
  try {
    return String(JSON.parse(literal));
  } catch {
    return literal.slice(1, -1);
  }
}

export function scanJson(text: string, maxValues = Number.POSITIVE_INFINITY): JsonShape {
  const stack: Frame[] = [];
  let values = 1;
  let depth = 0;
  let line = 1;
  let lineStart = 0;
  const n = text.length;
  for (let i = 0; i < n && values <= maxValues; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const start = i;
      const startLine = line;
      const startColumn = i - lineStart + 1;
      let escaped = false;
      for (i++; i < n; i++) {
        const s = text.charCodeAt(i);
        if (s === QUOTE) break;
        if (s === BACKSLASH) {
          escaped = true;
          i++;
        } else if (s === NEWLINE) {
          // Not valid JSON, but keep the line count true for whatever follows.
          line++;
          lineStart = i + 1;
        }
      }
      const top = stack[stack.length - 1];
      if (top?.keys !== undefined && top.expectKey) {
        top.expectKey = false;
        const key = keyOf(text.slice(start, i + 1), escaped);
        const first = top.keys.get(key);
        if (first !== undefined) {
          return {
            values,
            depth,
            duplicate: { key, line: startLine, column: startColumn, firstLine: first },
          };
        }
        top.keys.set(key, startLine);
      }
      continue;
    }
    switch (c) {
      case 0x7b: // {
      case 0x5b: // [
        stack.push({ keys: c === 0x7b ? new Map() : undefined, expectKey: c === 0x7b });
        if (stack.length > depth) depth = stack.length;
        values++;
        break;
      case 0x7d: // }
      case 0x5d: // ]
        stack.pop();
        break;
      case 0x2c: {
        // ,
        values++;
        const top = stack[stack.length - 1];
        if (top?.keys !== undefined) top.expectKey = true;
        break;
      }
      case NEWLINE:
        line++;
        lineStart = i + 1;
        break;
    }
  }
  return { values, depth };
}
