import type { GrammarNode } from './grammar-nodes.ts';

/**
 * One level of the pushdown automaton's stack: a node, its local position and a link to the enclosing
 * level. Frames are immutable, so a state is just a pointer to its top frame and every branch of a trie
 * walk shares the frames below it. The meaning of `phase`, `a`..`d` and `text` depends on the node kind
 * (see each step-*.ts file); they are plain fields so that all frames have one shape.
 */
export class Frame {
  /** Lazily computed "may end here" of a number frame (-1 unknown, 0 no, 1 yes); not part of the value. */
  closable = -1;

  constructor(
    /** The node this level is matching. */
    readonly node: GrammarNode,
    /** Position within the node's own little automaton. */
    readonly phase: number,
    /** Kind-specific counter (whitespace run, string length in UTF-16 units, trie node, ...). */
    readonly a: number,
    /** Kind-specific counter (property index, item count, string length in code points, ...). */
    readonly b: number,
    /** Kind-specific counter (key trie node, partial code point, ...). */
    readonly c: number,
    /** Kind-specific counter (pattern automaton state). */
    readonly d: number,
    /** Text read so far, for numbers (needed for exact bounds); '' otherwise. */
    readonly text: string,
    /** The enclosing level (null only for the root). */
    readonly parent: Frame | null,
    /** Nesting depth (root = 0). */
    readonly depth: number,
  ) {}

  /** This frame with new local values and the same node and parent. */
  with(phase: number, a = this.a, b = this.b, c = this.c, d = this.d, text = this.text): Frame {
    return new Frame(this.node, phase, a, b, c, d, text, this.parent, this.depth);
  }
}

/** Several stacks alive at once, when `anyOf` alternatives share a prefix (e.g. two date formats). */
export class Fork {
  constructor(
    /** The live stacks (two or more), as their top frames. */
    readonly stacks: readonly Frame[],
  ) {}
}

/** A position of the grammar: what has been read so far, as a value. Never mutated. */
export type GrammarState = Frame | Fork;

/** What node steppers need from the engine: options and the two operations that cross levels. */
export interface StepContext {
  /** Most whitespace bytes allowed in one gap between JSON tokens. */
  readonly maxWhitespace: number;
  /** Nesting depth from which `anyOf` alternatives that are objects or arrays are no longer tried. */
  readonly maxDepth: number;
  /** Most characters in one number; a longer number must end. */
  readonly maxNumberLength: number;
  /** Starts a value of `node` under `parent` (already in its "inside a child" phase) with `byte`. */
  startValue(node: GrammarNode, parent: Frame, byte: number): GrammarState | undefined;
  /** Finishes `frame`: the parent after its child completed. */
  pop(frame: Frame): Frame;
  /** Finishes `frame` and feeds `byte` to the level below (for values that end without a delimiter). */
  popAndStep(frame: Frame, byte: number): GrammarState | undefined;
}

/** JSON whitespace bytes (space, tab, newline, carriage return). */
export function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x09 || byte === 0x0d;
}
