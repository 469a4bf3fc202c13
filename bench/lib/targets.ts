import { readFile } from 'node:fs/promises';
import { z } from 'zod';

const targetSchema = z.strictObject({
  metric: z.string().min(1),
  on: z.enum(['value', 'ratio']).default('value'),
  comparison: z.enum(['<=', '>=']),
  threshold: z.number().finite(),
  why: z.string().min(1),
});

const targetsFileSchema = z.strictObject({
  $comment: z.string().optional(),
  targets: z.array(targetSchema),
});

/**
 * A goal for one metric, from `bench/targets.json`: `<metric>.<on> <comparison> <threshold>`.
 * `on: "ratio"` judges `value / baseline` measured in the same run, which travels across machines;
 * `on: "value"` judges the raw number.
 */
export type Target = z.output<typeof targetSchema>;

/** Outcome of judging one metric. */
export interface Verdict {
  /** `none`: no target names the metric. */
  readonly status: 'pass' | 'fail' | 'none';
  /** Why, in words (e.g. `ratio 1.08 <= 1.2`, `no baseline to compute the ratio`). */
  readonly detail: string;
}

/** Parses a targets document; throws with every problem listed (and where) when it is invalid. */
export function parseTargets(json: unknown, source = 'targets'): Target[] {
  const parsed = targetsFileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new Error(`${source} is invalid: ${problems.join('; ')}`);
  }
  const seen = new Set<string>();
  for (const target of parsed.data.targets) {
    const key = `${target.metric}/${target.on}`;
    if (seen.has(key)) throw new Error(`${source} names ${target.metric} (${target.on}) twice; keep one`);
    seen.add(key);
  }
  return parsed.data.targets;
}

/** Reads and parses a targets file. */
export async function loadTargets(path: string): Promise<Target[]> {
  return parseTargets(JSON.parse(await readFile(path, 'utf8')), path);
}

/** The targets that apply to a metric (at most one on its value and one on its ratio). */
export function targetsFor(metricId: string, targets: readonly Target[]): Target[] {
  return targets.filter((target) => target.metric === metricId);
}

/** Judges a metric against its targets: it passes only when every target is met. */
export function judge(
  measured: { readonly value: number; readonly ratio?: number | undefined },
  targets: readonly Target[],
): Verdict {
  if (targets.length === 0) return { status: 'none', detail: 'no target' };
  const details: string[] = [];
  let failed = false;
  for (const target of targets) {
    const actual = target.on === 'ratio' ? measured.ratio : measured.value;
    if (actual === undefined) {
      failed = true;
      details.push(`no baseline to compute the ratio for ${describeTarget(target)}`);
      continue;
    }
    const met = target.comparison === '<=' ? actual <= target.threshold : actual >= target.threshold;
    failed ||= !met;
    details.push(
      `${target.on} ${round(actual)} ${met ? '' : 'not '}${target.comparison} ${target.threshold}`,
    );
  }
  return { status: failed ? 'fail' : 'pass', detail: details.join('; ') };
}

/** `ratio <= 1.2` or `value <= 512`. */
export function describeTarget(target: Pick<Target, 'on' | 'comparison' | 'threshold'>): string {
  return `${target.on} ${target.comparison} ${target.threshold}`;
}

function round(value: number): string {
  return Number(value.toPrecision(3)).toString();
}
