import type { ModelsConfigFile } from './models-config.ts';

/** One validated config layer and where it came from (a file path as shown in errors). */
export interface ConfigLayer {
  /** Where the layer came from: `built-in defaults`, `config/models.json`, ... */
  readonly where: string;
  /** Its validated content. */
  readonly data: ModelsConfigFile;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep merge: objects merge key by key, anything else (arrays included) replaces; `undefined` is skipped. */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (over === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) out[key] = deepMerge(base[key], value);
  return out;
}

/** Layers merged in order, each overriding the previous. */
export function mergeConfigLayers(layers: readonly ConfigLayer[]): ModelsConfigFile {
  return layers.reduce<unknown>((merged, layer) => deepMerge(merged, layer.data), {}) as ModelsConfigFile;
}

/** The highest layer that sets the value at `path`: the one to blame when that value is wrong. */
export function layerSetting(layers: readonly ConfigLayer[], path: readonly string[]): string {
  for (let index = layers.length - 1; index >= 0; index -= 1) {
    let node: unknown = layers[index]?.data;
    for (const key of path) node = isPlainObject(node) ? node[key] : undefined;
    if (node !== undefined) return layers[index]?.where ?? 'config';
  }
  return layers.at(-1)?.where ?? 'config';
}
