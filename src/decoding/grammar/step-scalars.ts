import type { LiteralNode, NumberNode } from './grammar-nodes.ts';
import type { Frame, GrammarState, StepContext } from './grammar-state.ts';
import { canReach, inBounds } from './number-bounds.ts';

/**
 * Numbers and literal sets. A number keeps its text (phase = position in the JSON number syntax) and
 * is checked exactly against its bounds after every byte; it ends at the first byte that cannot
 * continue it, which is then read by the enclosing level. Literals walk a trie (a = trie node).
 */

const N_START = 0;
const N_MINUS = 1;
const N_ZERO = 2;
const N_INT = 3;
const N_DOT = 4;
const N_FRAC = 5;
const N_E = 6;
const N_SIGN = 7;
const N_EXP = 8;

function isDigit(byte: number): boolean {
  return byte >= 0x30 && byte <= 0x39;
}

function nextPhase(phase: number, byte: number, integer: boolean, plain: boolean): number {
  const digit = isDigit(byte);
  const dot = byte === 0x2e && !integer;
  const exp = (byte === 0x65 || byte === 0x45) && !integer && !plain;
  switch (phase) {
    case N_START:
      if (byte === 0x2d) return N_MINUS;
      return byte === 0x30 ? N_ZERO : digit ? N_INT : -1;
    case N_MINUS:
      return byte === 0x30 ? N_ZERO : digit ? N_INT : -1;
    case N_ZERO:
      return dot ? N_DOT : exp ? N_E : -1;
    case N_INT:
      return digit ? N_INT : dot ? N_DOT : exp ? N_E : -1;
    case N_DOT:
      return digit ? N_FRAC : -1;
    case N_FRAC:
      return digit ? N_FRAC : exp ? N_E : -1;
    case N_E:
      return byte === 0x2b || byte === 0x2d ? N_SIGN : digit ? N_EXP : -1;
    case N_SIGN:
    case N_EXP:
      return digit ? N_EXP : -1;
    default:
      return -1;
  }
}

/** Whether the number read so far is a complete, in-bounds value (so it may end here). */
export function numberCanClose(frame: Frame): boolean {
  if (frame.closable < 0) {
    const phase = frame.phase;
    const terminal = phase === N_ZERO || phase === N_INT || phase === N_FRAC || phase === N_EXP;
    // Memoized: a trie walk asks the same frame once per byte that cannot continue the number.
    frame.closable = terminal && inBounds(frame.node as NumberNode, frame.text) ? 1 : 0;
  }
  return frame.closable === 1;
}

/** Reads one byte of a number. */
export function stepNumber(frame: Frame, byte: number, ctx: StepContext): GrammarState | undefined {
  const node = frame.node as NumberNode;
  const phase = nextPhase(frame.phase, byte, node.integer, node.plain === true);
  if (phase < 0) return numberCanClose(frame) ? ctx.popAndStep(frame, byte) : undefined;
  // At the length cap a number that may end must end; one that may not (e.g. `1e`) may still finish.
  if (frame.text.length >= ctx.maxNumberLength && numberCanClose(frame)) return undefined;
  const text = frame.text + String.fromCharCode(byte);
  return canReach(node, text) ? frame.with(phase, 0, 0, 0, 0, text) : undefined;
}

/** Whether the literal read so far is one of the allowed texts. */
export function literalCanClose(frame: Frame): boolean {
  return (frame.node as LiteralNode).trie.value(frame.a) >= 0;
}

/** Reads one byte of a literal. */
export function stepLiteral(frame: Frame, byte: number, ctx: StepContext): GrammarState | undefined {
  const trie = (frame.node as LiteralNode).trie;
  const next = trie.next(frame.a, byte);
  if (next >= 0) {
    const moved = frame.with(1, next);
    // A text nothing can extend (a string label, true, null) ends here, so equal positions look equal.
    return trie.value(next) >= 0 && !trie.hasChildren(next) ? ctx.pop(moved) : moved;
  }
  return trie.value(frame.a) >= 0 ? ctx.popAndStep(frame, byte) : undefined;
}
