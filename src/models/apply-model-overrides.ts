import type { ModelInfo } from './model-info.ts';
import { definedStrengths } from './model-info.ts';
import type { ModelOverride } from './models-config.ts';

/** Models with the configured capability corrections applied (`modelOverrides` in the config). */
export function applyModelOverrides(
  models: readonly ModelInfo[],
  overrides: Readonly<Record<string, ModelOverride>>,
): readonly ModelInfo[] {
  if (Object.keys(overrides).length === 0) return models;
  return models.map((model) => {
    const override = Object.hasOwn(overrides, model.id) ? overrides[model.id] : undefined;
    if (override === undefined) return model;
    return {
      ...model,
      contextLength: override.contextLength ?? model.contextLength,
      tools: override.tools ?? model.tools,
      vision: override.vision ?? model.vision,
      strengths: { ...model.strengths, ...definedStrengths(override.strengths) },
    };
  });
}
