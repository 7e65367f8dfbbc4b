/**
 * How deeply a YAML text nests, measured before it is parsed. The yaml package composes
 * nested collections by recursion, so 100,000 nested lists (`- - - - ...` on one line, or
 * `[[[[...]]]]`) overflow the call stack, and near the stack's end V8 may even abort the
 * process while compiling a regular expression, which no try/catch can stop. The lexer
 * does not recurse: its tokens are counted here, and a text nesting too deeply is refused
 * before the parser sees it.
 *
 * The count is an upper bound, good enough to refuse absurd depths without refusing real
 * files: flow collections (`[`, `{`) count one level each, and block ones one per
 * indicator (`-`, `?`, and `:` outside flow collections) on the lines enclosing the current
 * one (those less indented), plus those before it on its own line.
 */
import { CST, Lexer } from 'yaml';

export interface YamlDepth {
  /** The deepest nesting found, or the first past `stopAt`. */
  readonly depth: number;
  /** The line (from 1) where it was reached. */
  readonly line: number;
}

/** Scans `text`; stops at the first point deeper than `stopAt`. */
export function yamlNestingDepth(text: string, stopAt = Number.POSITIVE_INFINITY): YamlDepth {
  /** The lines enclosing the current one: their indentation and indicators. */
  const enclosing: { indent: number; indicators: number }[] = [];
  let enclosingIndicators = 0;
  let flow = 0;
  let line = 1;
  let indent = 0;
  let atLineStart = true;
  let lineHasContent = false;
  let indicators = 0;
  let deepest: YamlDepth = { depth: 0, line: 1 };

  for (const token of new Lexer().lex(text)) {
    const type = CST.tokenType(token);
    if (type === 'newline') {
      if (lineHasContent && flow === 0) {
        enclosing.push({ indent, indicators });
        enclosingIndicators += indicators;
      }
      line++;
      indent = 0;
      atLineStart = true;
      lineHasContent = false;
      indicators = 0;
      continue;
    }
    if (type === 'space') {
      if (atLineStart) indent = token.length;
      // A block scalar's content comes as one token holding its own newlines.
      for (let i = token.indexOf('\n'); i !== -1; i = token.indexOf('\n', i + 1)) line++;
      continue;
    }
    if (type === 'comment' || type === 'doc-mode' || type === 'byte-order-mark') continue;
    if (!lineHasContent) {
      lineHasContent = true;
      atLineStart = false;
      // Lines at this indentation or deeper are done: they enclose it no more. Inside a flow
      // collection, indentation means nothing.
      if (flow === 0) {
        for (let top = enclosing.at(-1); top !== undefined && top.indent >= indent; ) {
          enclosing.pop();
          enclosingIndicators -= top.indicators;
          top = enclosing.at(-1);
        }
      }
    }
    switch (type) {
      case 'flow-map-start':
      case 'flow-seq-start':
        flow++;
        break;
      case 'flow-map-end':
      case 'flow-seq-end':
        if (flow > 0) flow--;
        break;
      case 'seq-item-ind':
      case 'explicit-key-ind':
        indicators++;
        break;
      case 'map-value-ind':
        if (flow === 0) indicators++;
        break;
    }
    const depth = enclosingIndicators + indicators + flow;
    if (depth > deepest.depth) {
      deepest = { depth, line };
      if (depth > stopAt) return deepest;
    }
  }
  return deepest;
}
