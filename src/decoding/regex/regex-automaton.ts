import { ANY_CHAR, type CharSet, type ParsedPattern, parsePattern, type RegexNode } from './regex-parser.ts';

/** The automaton state that accepts nothing more. */
export const DEAD = -1;

/**
 * A regular expression as a lazily built DFA over BMP code points. States are small integers; `step`
 * memoizes transitions, so a pattern costs a subset construction only for the characters actually tried.
 * Every live state can still reach acceptance (states that cannot are pruned), so a grammar following
 * this automaton never walks into a dead end.
 */
export interface RegexAutomaton {
  /** The pattern source. */
  readonly source: string;
  /** The start state. */
  readonly initial: number;
  /** Next state after `code`, or {@link DEAD}. */
  step(state: number, code: number): number;
  /** Whether some code point in `[lo, hi]` leads to a live state. */
  canStepInRange(state: number, lo: number, hi: number): boolean;
  /** Whether the text read so far matches. */
  isAccepting(state: number): boolean;
  /** Fewest characters still needed to match. */
  minRemaining(state: number): number;
  /** Most characters that can still be matched (Infinity when unbounded). */
  maxRemaining(state: number): number;
}

interface NfaEdge {
  readonly set: CharSet;
  readonly to: number;
}

interface Nfa {
  readonly eps: number[][];
  readonly edges: NfaEdge[][];
  readonly start: number;
  readonly accept: number;
}

interface DfaState {
  readonly members: readonly number[];
  readonly accepting: boolean;
  readonly minRemaining: number;
  readonly maxRemaining: number;
  readonly next: Map<number, number>;
}

/** Compiles a pattern (throws UnsupportedPatternError for constructs outside the supported subset). */
export function compileRegex(source: string): RegexAutomaton {
  const parsed: ParsedPattern = parsePattern(source);
  const nfa = buildNfa(parsed);
  const live = coReachable(nfa);
  const minDist = minDistances(nfa, live);
  const maxDist = maxDistances(nfa, live);
  const states: DfaState[] = [];
  const ids = new Map<string, number>();

  const intern = (seeds: readonly number[]): number => {
    const members = closure(nfa, seeds, live);
    if (members.length === 0) return DEAD;
    const key = members.join(',');
    const known = ids.get(key);
    if (known !== undefined) return known;
    let min = Number.POSITIVE_INFINITY;
    let max = 0;
    for (const m of members) {
      min = Math.min(min, minDist[m] ?? Number.POSITIVE_INFINITY);
      max = Math.max(max, maxDist[m] ?? 0);
    }
    states.push({
      members,
      accepting: members.includes(nfa.accept),
      minRemaining: min,
      maxRemaining: max,
      next: new Map(),
    });
    ids.set(key, states.length - 1);
    return states.length - 1;
  };

  const initial = intern([nfa.start]);
  const get = (state: number): DfaState => {
    const found = states[state];
    if (found === undefined) throw new RangeError(`no regex state ${state}`);
    return found;
  };
  return {
    source,
    initial,
    step(state, code) {
      if (state === DEAD) return DEAD;
      const dfa = get(state);
      const cached = dfa.next.get(code);
      if (cached !== undefined) return cached;
      const seeds: number[] = [];
      for (const m of dfa.members) {
        for (const edge of nfa.edges[m] ?? [])
          if (live[edge.to] && inSet(edge.set, code)) seeds.push(edge.to);
      }
      const target = intern(seeds);
      dfa.next.set(code, target);
      return target;
    },
    canStepInRange(state, lo, hi) {
      if (state === DEAD) return false;
      for (const m of get(state).members) {
        for (const edge of nfa.edges[m] ?? []) if (live[edge.to] && overlaps(edge.set, lo, hi)) return true;
      }
      return false;
    },
    isAccepting: (state) => state !== DEAD && get(state).accepting,
    minRemaining: (state) => (state === DEAD ? Number.POSITIVE_INFINITY : get(state).minRemaining),
    maxRemaining: (state) => (state === DEAD ? 0 : get(state).maxRemaining),
  };
}

function inSet(set: CharSet, code: number): boolean {
  for (let i = 0; i < set.length; i += 2) {
    if (code < (set[i] ?? 0)) return false;
    if (code <= (set[i + 1] ?? 0)) return true;
  }
  return false;
}

function overlaps(set: CharSet, lo: number, hi: number): boolean {
  for (let i = 0; i < set.length; i += 2) if ((set[i] ?? 0) <= hi && (set[i + 1] ?? 0) >= lo) return true;
  return false;
}

function buildNfa(parsed: ParsedPattern): Nfa {
  const eps: number[][] = [];
  const edges: NfaEdge[][] = [];
  const fresh = (): number => {
    eps.push([]);
    edges.push([]);
    return eps.length - 1;
  };
  const link = (from: number, to: number): void => {
    eps[from]?.push(to);
  };
  const build = (node: RegexNode): [number, number] => {
    switch (node.type) {
      case 'chars': {
        const s = fresh();
        const t = fresh();
        edges[s]?.push({ set: node.set, to: t });
        return [s, t];
      }
      case 'seq': {
        const s = fresh();
        let end = s;
        for (const item of node.items) {
          const [a, b] = build(item);
          link(end, a);
          end = b;
        }
        return [s, end];
      }
      case 'alt': {
        const s = fresh();
        const t = fresh();
        for (const option of node.options) {
          const [a, b] = build(option);
          link(s, a);
          link(b, t);
        }
        return [s, t];
      }
      case 'repeat': {
        const s = fresh();
        let end = s;
        for (let i = 0; i < node.min; i++) {
          const [a, b] = build(node.item);
          link(end, a);
          end = b;
        }
        if (node.max === Number.POSITIVE_INFINITY) {
          const [a, b] = build(node.item);
          link(end, a);
          link(b, end);
          return [s, end];
        }
        const t = fresh();
        link(end, t);
        for (let i = node.min; i < node.max; i++) {
          const [a, b] = build(node.item);
          link(end, a);
          link(b, t);
          end = b;
        }
        return [s, t];
      }
    }
  };
  const anyStar: RegexNode = {
    type: 'repeat',
    item: { type: 'chars', set: ANY_CHAR },
    min: 0,
    max: Infinity,
  };
  const items: RegexNode[] = [];
  if (!parsed.anchoredStart) items.push(anyStar);
  items.push(parsed.root);
  if (!parsed.anchoredEnd) items.push(anyStar);
  const [start, accept] = build({ type: 'seq', items });
  return { eps, edges, start, accept };
}

function closure(nfa: Nfa, seeds: readonly number[], live: readonly boolean[]): number[] {
  const seen = new Set<number>();
  const stack = [...seeds];
  while (stack.length > 0) {
    const s = stack.pop() as number;
    if (seen.has(s) || !live[s]) continue;
    seen.add(s);
    for (const t of nfa.eps[s] ?? []) stack.push(t);
  }
  return [...seen].sort((a, b) => a - b);
}

function reverseGraph(nfa: Nfa): { from: number; char: boolean }[][] {
  const reverse: { from: number; char: boolean }[][] = nfa.eps.map(() => []);
  nfa.eps.forEach((targets, from) => {
    for (const to of targets) reverse[to]?.push({ from, char: false });
  });
  nfa.edges.forEach((targets, from) => {
    for (const edge of targets) reverse[edge.to]?.push({ from, char: true });
  });
  return reverse;
}

function coReachable(nfa: Nfa): boolean[] {
  const live = nfa.eps.map(() => false);
  const reverse = reverseGraph(nfa);
  const stack = [nfa.accept];
  while (stack.length > 0) {
    const s = stack.pop() as number;
    if (live[s]) continue;
    live[s] = true;
    for (const { from } of reverse[s] ?? []) stack.push(from);
  }
  return live;
}

/** Fewest character edges from each state to acceptance (0-1 BFS on the reversed graph). */
function minDistances(nfa: Nfa, live: readonly boolean[]): number[] {
  const dist = nfa.eps.map(() => Number.POSITIVE_INFINITY);
  const reverse = reverseGraph(nfa);
  const deque: number[] = [nfa.accept];
  dist[nfa.accept] = 0;
  while (deque.length > 0) {
    const s = deque.shift() as number;
    const d = dist[s] ?? 0;
    for (const { from, char } of reverse[s] ?? []) {
      if (!live[from]) continue;
      const nd = d + (char ? 1 : 0);
      if (nd < (dist[from] ?? Number.POSITIVE_INFINITY)) {
        dist[from] = nd;
        if (char) deque.push(from);
        else deque.unshift(from);
      }
    }
  }
  return dist;
}

/** Most character edges from each state to acceptance; Infinity when a loop with a character can repeat. */
function maxDistances(nfa: Nfa, live: readonly boolean[]): number[] {
  const n = nfa.eps.length;
  const dist: number[] = new Array(n).fill(Number.NEGATIVE_INFINITY);
  dist[nfa.accept] = 0;
  const relax = (): boolean => {
    let changed = false;
    for (let s = 0; s < n; s++) {
      if (!live[s]) continue;
      let best = dist[s] ?? Number.NEGATIVE_INFINITY;
      for (const t of nfa.eps[s] ?? []) best = Math.max(best, dist[t] ?? best);
      for (const e of nfa.edges[s] ?? []) best = Math.max(best, (dist[e.to] ?? best) + 1);
      if (best > (dist[s] ?? Number.NEGATIVE_INFINITY)) {
        dist[s] = best;
        changed = true;
      }
    }
    return changed;
  };
  // Bellman-Ford for longest paths: finite values settle within n rounds; a value still growing during
  // the next n rounds lies on or before a cycle that reads a character, so it is unbounded.
  const rounds = (count: number): boolean => {
    for (let r = 0; r < count; r++) if (!relax()) return false;
    return true;
  };
  if (!rounds(n + 1)) return dist;
  const settled = [...dist];
  rounds(n + 1);
  for (let s = 0; s < n; s++) if ((dist[s] ?? 0) > (settled[s] ?? 0)) dist[s] = Number.POSITIVE_INFINITY;
  rounds(n + 1);
  return dist;
}
