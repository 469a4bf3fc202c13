import { AxPromptTemplate } from '@ax-llm/ax';

/** What Ax's prompt template builds for the system message. */
interface StructuredPrompt {
  readonly type: 'text';
  readonly text: string;
}

type BuildStructuredPrompt = (
  this: AxPromptTemplate,
  hasExampleDemonstrations?: boolean,
  values?: unknown,
) => StructuredPrompt;

/** Template properties that are not settings (see `serializeSettings`). */
const EXCLUDED_SETTINGS = new Set(['sig', 'task', 'fieldTemplates', 'customInstruction']);

/** Distinct system prompts kept per program before the memo starts over (a few per program in practice). */
const MAX_ENTRIES = 64;

/**
 * A subclass of Ax's `AxPromptTemplate` for one program (pass it as AxGen's `promptTemplate` option)
 * that builds each distinct system prompt once.
 *
 * Ax builds a new template on every `forward()` and renders the system prompt three times per call
 * (constructor, instruction, render), each time formatting field titles with a dozen regular expressions
 * per field: about half of Ax's per-call CPU with a fast model. The text depends only on the template's
 * own settings (signature, instruction, functions, output mode, custom template) and on which input
 * fields the call provides, so that is the memo key; the text is the one Ax built.
 *
 * The key is derived from the template's own data properties rather than a fixed list, so a setting
 * Ax adds later becomes part of it. If Ax ever stops building the prompt in `buildStructuredPrompt`,
 * this returns Ax's template unchanged (no memo, same prompts); a test compares memoized prompts with
 * Ax's own over the whole catalog.
 */
export function createMemoizedPromptTemplate(): typeof AxPromptTemplate {
  const build: unknown = Reflect.get(AxPromptTemplate.prototype, 'buildStructuredPrompt');
  if (typeof build !== 'function') return AxPromptTemplate;
  const original = build as BuildStructuredPrompt;
  const memo = new Map<string, string>();
  // A template is built per forward() and asked for its prompt three times: serialise its settings once.
  const settingsOf = new WeakMap<AxPromptTemplate, string | undefined>();

  class MemoizedPromptTemplate extends AxPromptTemplate {}
  const memoized: BuildStructuredPrompt = function (hasExampleDemonstrations = false, values) {
    if (!settingsOf.has(this)) settingsOf.set(this, serializeSettings(this));
    const key = memoKey(this, settingsOf.get(this), hasExampleDemonstrations, values);
    if (key === undefined) return original.call(this, hasExampleDemonstrations, values);
    const hit = memo.get(key);
    if (hit !== undefined) return { type: 'text', text: hit };
    const built = original.call(this, hasExampleDemonstrations, values);
    if (memo.size >= MAX_ENTRIES) memo.clear();
    memo.set(key, built.text);
    return built;
  };
  Object.defineProperty(MemoizedPromptTemplate.prototype, 'buildStructuredPrompt', {
    value: memoized,
    writable: true,
    configurable: true,
  });
  return MemoizedPromptTemplate;
}

/**
 * The memo key of one build, or undefined when the template holds something that can't be keyed
 * (then the prompt is built as Ax would, unmemoized).
 */
function memoKey(
  template: AxPromptTemplate,
  settings: string | undefined,
  hasDemos: boolean,
  values: unknown,
): string | undefined {
  const signature: unknown = Reflect.get(template, 'sig');
  if (settings === undefined || !isSignatureLike(signature)) return undefined;
  const instruction = template.getInstruction() ?? '';
  return `${signature.hash()}\u0000${hasDemos ? 1 : 0}\u0000${providedInputs(signature, values)}\u0000${instruction}\u0000${settings}`;
}

/**
 * Every data property of a template except its signature (keyed by hash), its built prompt, per-field
 * render functions and the instruction (which `setInstruction` changes after construction; read per
 * build). Undefined when something in it can't be serialised.
 */
function serializeSettings(template: AxPromptTemplate): string | undefined {
  try {
    return JSON.stringify(template, function (this: unknown, key: string, value: unknown) {
      return this === template && EXCLUDED_SETTINGS.has(key) ? undefined : value;
    });
  } catch {
    return undefined; // cyclic or otherwise unserialisable settings
  }
}

interface SignatureLike {
  hash(): string;
  getInputFields(): readonly { readonly name: string }[];
}

function isSignatureLike(value: unknown): value is SignatureLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof Reflect.get(value, 'hash') === 'function' &&
    typeof Reflect.get(value, 'getInputFields') === 'function'
  );
}

/**
 * Which input fields a call provides, one letter per field: Ax lists only provided optional inputs in
 * the system prompt. Finer than Ax's own test (absent, null, empty, present), so the key never merges
 * two calls Ax would prompt differently.
 */
function providedInputs(signature: SignatureLike, values: unknown): string {
  if (values === undefined) return 'none';
  if (typeof values !== 'object' || values === null || Array.isArray(values)) return 'other';
  let letters = '';
  for (const field of signature.getInputFields()) {
    const value: unknown = Reflect.get(values, field.name);
    letters +=
      value === undefined
        ? 'u'
        : value === null
          ? 'n'
          : (typeof value === 'string' || Array.isArray(value)) && value.length === 0
            ? 'e'
            : 'p';
  }
  return letters;
}
