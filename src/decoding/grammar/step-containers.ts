import type { ArrayNode, GrammarNode, ObjectNode } from './grammar-nodes.ts';
import { type Frame, type GrammarState, isWhitespace, type StepContext } from './grammar-state.ts';

/**
 * Objects, arrays and the document root. Field use — objects: a = whitespace run, b = property index,
 * c = key trie node; arrays: a = whitespace run, b = items so far; root: phase only.
 */

const QUOTE = 0x22;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** Object phases. */
const O_START = 0;
const O_OPEN = 1; // after "{"
const O_KEY = 2; // inside a declared key: b = first candidate, c = trie node
const O_AFTER_KEY = 3; // b = property index
const O_BEFORE_VALUE = 4; // after ":"
const O_IN_VALUE = 5; // a child value is on top
const O_AFTER_VALUE = 6;
const O_AFTER_COMMA = 7; // b = first candidate
const O_IN_KEY = 8; // free objects: a key string is on top

/** Array phases. */
const A_START = 0;
const A_OPEN = 1;
const A_IN_ITEM = 2;
const A_AFTER_ITEM = 3;
const A_BEFORE_ITEM = 4;

/** Root phases. */
export const ROOT_EXPECT = 0;
export const ROOT_IN = 1;
export const ROOT_DONE = 2;

function gap(frame: Frame, byte: number, ctx: StepContext): Frame | undefined {
  return isWhitespace(byte) && frame.a < ctx.maxWhitespace ? frame.with(frame.phase, frame.a + 1) : undefined;
}

/** Reads one byte of an object. */
export function stepObject(frame: Frame, byte: number, ctx: StepContext): GrammarState | undefined {
  const node = frame.node as ObjectNode;
  const free = node.free;
  switch (frame.phase) {
    case O_START:
      return byte === OPEN_BRACE ? frame.with(O_OPEN, 0, 0) : undefined;
    case O_OPEN:
    case O_AFTER_COMMA: {
      if (byte === QUOTE) {
        if (free !== undefined) return ctx.startValue(free.key, frame.with(O_IN_KEY, 0), byte);
        const start = frame.phase === O_OPEN ? 0 : frame.b;
        const trie = node.keyTries[start];
        const next = trie === undefined ? -1 : trie.next(0, byte);
        return next < 0 ? undefined : frame.with(O_KEY, 0, start, next);
      }
      if (byte === CLOSE_BRACE && frame.phase === O_OPEN && (free !== undefined || !node.requiredFrom[0])) {
        return ctx.pop(frame);
      }
      return gap(frame, byte, ctx);
    }
    case O_KEY: {
      const trie = node.keyTries[frame.b];
      if (trie === undefined) return undefined;
      const next = trie.next(frame.c, byte);
      if (next < 0) return undefined;
      const property = trie.value(next);
      return property >= 0 ? frame.with(O_AFTER_KEY, 0, property, 0) : frame.with(O_KEY, 0, frame.b, next);
    }
    case O_AFTER_KEY:
      return byte === COLON ? frame.with(O_BEFORE_VALUE, 0) : gap(frame, byte, ctx);
    case O_BEFORE_VALUE: {
      if (isWhitespace(byte)) return gap(frame, byte, ctx);
      const value = free !== undefined ? free.value : node.properties[frame.b]?.value;
      return value === undefined ? undefined : ctx.startValue(value, frame.with(O_IN_VALUE, 0), byte);
    }
    case O_AFTER_VALUE: {
      if (byte === COMMA) {
        if (free !== undefined) return frame.with(O_AFTER_COMMA, 0);
        return frame.b + 1 < node.properties.length ? frame.with(O_AFTER_COMMA, 0, frame.b + 1) : undefined;
      }
      if (byte === CLOSE_BRACE) {
        return free !== undefined || !node.requiredFrom[frame.b + 1] ? ctx.pop(frame) : undefined;
      }
      return gap(frame, byte, ctx);
    }
    default:
      return undefined;
  }
}

/** Schema of the item at `index`, or undefined when the array cannot have that many items. */
export function itemAt(node: ArrayNode, index: number): GrammarNode | undefined {
  return index < node.prefix.length ? node.prefix[index] : node.items;
}

/** Reads one byte of an array. */
export function stepArray(frame: Frame, byte: number, ctx: StepContext): GrammarState | undefined {
  const node = frame.node as ArrayNode;
  switch (frame.phase) {
    case A_START:
      return byte === OPEN_BRACKET ? frame.with(A_OPEN, 0, 0) : undefined;
    case A_OPEN:
    case A_BEFORE_ITEM: {
      if (byte === CLOSE_BRACKET && frame.phase === A_OPEN) {
        return node.minItems === 0 ? ctx.pop(frame) : undefined;
      }
      if (isWhitespace(byte)) return gap(frame, byte, ctx);
      const item = frame.b < node.maxItems ? itemAt(node, frame.b) : undefined;
      return item === undefined ? undefined : ctx.startValue(item, frame.with(A_IN_ITEM, 0), byte);
    }
    case A_AFTER_ITEM: {
      if (byte === COMMA) {
        const more = frame.b < node.maxItems && itemAt(node, frame.b) !== undefined;
        return more ? frame.with(A_BEFORE_ITEM, 0) : undefined;
      }
      if (byte === CLOSE_BRACKET) return frame.b >= node.minItems ? ctx.pop(frame) : undefined;
      return gap(frame, byte, ctx);
    }
    default:
      return undefined;
  }
}

/** Reads one byte at the document level: the value must start at once, and nothing may follow it. */
export function stepRoot(frame: Frame, byte: number, ctx: StepContext): GrammarState | undefined {
  if (frame.phase !== ROOT_EXPECT || frame.node.kind !== 'root') return undefined;
  return ctx.startValue(frame.node.value, frame.with(ROOT_IN), byte);
}

/** The container `parent` after its child value (or key) completed. */
export function childDone(parent: Frame): Frame {
  switch (parent.node.kind) {
    case 'object':
      return parent.with(parent.phase === O_IN_KEY ? O_AFTER_KEY : O_AFTER_VALUE, 0);
    case 'array':
      return parent.with(A_AFTER_ITEM, 0, parent.b + 1);
    case 'root':
      return parent.with(ROOT_DONE);
    default:
      throw new Error(`unreachable: a ${parent.node.kind} has no children`);
  }
}

/** Fingerprint of a container frame, with counters reduced to what can still change a token mask. */
export function containerKey(frame: Frame, clip: number): string {
  const node = frame.node;
  if (node.kind !== 'array') return `${node.id}.${frame.phase}.${frame.a}.${frame.b}.${frame.c}`;
  const count = frame.b;
  if (count < node.prefix.length) return `${node.id}.${frame.phase}.${frame.a}.${count}`;
  const toMax = Math.min(node.maxItems - count, clip);
  const toMin = Math.min(Math.max(node.minItems - count, 0), clip);
  return `${node.id}.${frame.phase}.${frame.a}.>${toMax}.${toMin}`;
}
