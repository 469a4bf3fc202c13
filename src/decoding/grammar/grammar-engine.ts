import type { GrammarNode, RootNode } from './grammar-nodes.ts';
import { Fork, Frame, type GrammarState, type StepContext } from './grammar-state.ts';
import {
  childDone,
  containerKey,
  ROOT_DONE,
  ROOT_EXPECT,
  stepArray,
  stepObject,
  stepRoot,
} from './step-containers.ts';
import { literalCanClose, numberCanClose, stepLiteral, stepNumber } from './step-scalars.ts';
import { stepString, stringKey, stringPlainRun } from './step-string.ts';

/** Whitespace and nesting limits of a grammar. */
export interface EngineLimits {
  /** Most whitespace bytes in one gap between JSON tokens. */
  readonly maxWhitespace: number;
  /** Depth from which `anyOf` stops trying object/array alternatives when a scalar one exists. */
  readonly maxDepth: number;
  /** Most characters in one number. */
  readonly maxNumberLength: number;
}

/** The byte-level pushdown automaton of a compiled schema. */
export interface GrammarEngine {
  /** Nothing read yet. */
  readonly initial: GrammarState;
  /** The state after `byte`, or undefined when the byte would leave the grammar. */
  advance(state: GrammarState, byte: number): GrammarState | undefined;
  /** Whether the text read so far is a complete document (end of sequence may come now). */
  isComplete(state: GrammarState): boolean;
  /** How many plain string characters (UTF-16 units) are certainly accepted now; 0 outside strings. */
  plainRun(state: GrammarState): number;
  /**
   * A key such that two states with equal keys accept exactly the same tokens of at most `clip - 1`
   * bytes (counters further than any token can reach are clipped). Memoized per frame.
   */
  fingerprint(state: GrammarState, clip: number): string;
}

function sameFrame(x: Frame, y: Frame): boolean {
  return (
    x.node === y.node &&
    x.phase === y.phase &&
    x.a === y.a &&
    x.b === y.b &&
    x.c === y.c &&
    x.d === y.d &&
    x.text === y.text &&
    x.parent === y.parent
  );
}

function merge(frames: Frame[]): GrammarState | undefined {
  if (frames.length <= 1) return frames[0];
  const unique: Frame[] = [];
  for (const frame of frames) if (!unique.some((kept) => sameFrame(kept, frame))) unique.push(frame);
  return unique.length === 1 ? unique[0] : new Fork(unique);
}

function collect(into: Frame[], state: GrammarState | undefined): void {
  if (state === undefined) return;
  if (state instanceof Fork) into.push(...state.stacks);
  else into.push(state);
}

/** Builds the automaton for a compiled schema. */
export function createGrammarEngine(root: RootNode, limits: EngineLimits): GrammarEngine {
  const step = (frame: Frame, byte: number): GrammarState | undefined => {
    switch (frame.node.kind) {
      case 'string':
        return stepString(frame, byte, ctx);
      case 'object':
        return stepObject(frame, byte, ctx);
      case 'array':
        return stepArray(frame, byte, ctx);
      case 'number':
        return stepNumber(frame, byte, ctx);
      case 'literal':
        return stepLiteral(frame, byte, ctx);
      case 'root':
        return stepRoot(frame, byte, ctx);
      default:
        return undefined;
    }
  };
  const startValue = (node: GrammarNode, parent: Frame, byte: number): GrammarState | undefined => {
    if (node.kind === 'union') {
      const limited = node.hasScalar && parent.depth + 1 > limits.maxDepth;
      const frames: Frame[] = [];
      for (const option of node.options) {
        if (limited && (option.kind === 'object' || option.kind === 'array')) continue;
        collect(frames, startValue(option, parent, byte));
      }
      return merge(frames);
    }
    const d = node.kind === 'string' && node.pattern !== undefined ? node.pattern.initial : 0;
    return step(new Frame(node, 0, 0, 0, 0, d, '', parent, parent.depth + 1), byte);
  };
  const pop = (frame: Frame): Frame => {
    if (frame.parent === null) throw new Error('unreachable: the root never completes as a child');
    return childDone(frame.parent);
  };
  const ctx: StepContext = {
    maxWhitespace: limits.maxWhitespace,
    maxDepth: limits.maxDepth,
    maxNumberLength: limits.maxNumberLength,
    startValue,
    pop,
    popAndStep: (frame, byte) => step(pop(frame), byte),
  };
  const canClose = (frame: Frame): boolean =>
    frame.node.kind === 'number'
      ? numberCanClose(frame)
      : frame.node.kind === 'literal' && literalCanClose(frame);
  const frameComplete = (top: Frame): boolean => {
    let frame = top;
    for (;;) {
      if (frame.node.kind === 'root') return frame.phase === ROOT_DONE;
      if (!canClose(frame)) return false;
      frame = pop(frame);
    }
  };
  const memos = new Map<number, WeakMap<Frame, string>>();
  const frameKey = (frame: Frame, clip: number): string => {
    switch (frame.node.kind) {
      case 'string':
        return stringKey(frame, clip);
      case 'number':
        return `${frame.node.id}.${frame.phase}.${frame.text}`;
      case 'literal':
        return `${frame.node.id}.${frame.a}`;
      case 'root':
        return `r${frame.phase}`;
      default:
        return containerKey(frame, clip);
    }
  };
  const stackKey = (frame: Frame, clip: number, memo: WeakMap<Frame, string>): string => {
    const known = memo.get(frame);
    if (known !== undefined) return known;
    const own = frameKey(frame, clip);
    const key = frame.parent === null ? own : `${own}/${stackKey(frame.parent, clip, memo)}`;
    memo.set(frame, key);
    return key;
  };

  return {
    initial: new Frame(root, ROOT_EXPECT, 0, 0, 0, 0, '', null, 0),
    advance(state, byte) {
      if (!(state instanceof Fork)) return step(state, byte);
      const frames: Frame[] = [];
      for (const stack of state.stacks) collect(frames, step(stack, byte));
      return merge(frames);
    },
    isComplete: (state) => (state instanceof Fork ? state.stacks.some(frameComplete) : frameComplete(state)),
    plainRun: (state) => (state instanceof Fork || state.node.kind !== 'string' ? 0 : stringPlainRun(state)),
    fingerprint(state, clip) {
      let memo = memos.get(clip);
      if (memo === undefined) {
        memo = new WeakMap();
        memos.set(clip, memo);
      }
      if (!(state instanceof Fork)) return stackKey(state, clip, memo);
      const keys = state.stacks.map((stack) => stackKey(stack, clip, memo));
      return keys.sort().join('|');
    },
  };
}
