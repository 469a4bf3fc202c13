import semver from 'semver';
import { type FieldValues, type Pipeline, SignetError } from '../../src/index.ts';

/** A pipeline as the server keeps it: any inputs and outputs (checked by its inputs schema). */
export type ServedPipeline = Pipeline<FieldValues, FieldValues>;

/** The pipelines a server runs, by name and version. */
export interface PipelineCatalog {
  /** Every pipeline, by name then version. */
  list(): readonly ServedPipeline[];
  /**
   * The pipeline of that name at `version` (the newest when absent). SIGNET_PIPELINE_NOT_FOUND names
   * what is missing and what is served instead.
   */
  get(name: string, version?: string | undefined): ServedPipeline;
}

/** Builds the catalog; two pipelines with one `name@version` are refused. */
export function createPipelineCatalog(pipelines: readonly ServedPipeline[]): PipelineCatalog {
  const byId = new Map<string, ServedPipeline>();
  for (const pipeline of pipelines) {
    if (byId.has(pipeline.id)) throw new Error(`pipeline ${pipeline.id} is listed twice`);
    byId.set(pipeline.id, pipeline);
  }
  const sorted = [...byId.values()].sort(
    (a, b) => a.name.localeCompare(b.name) || semver.compare(a.version, b.version),
  );
  return {
    list: () => sorted,
    get(name, version) {
      const versions = sorted.filter((p) => p.name === name);
      const found = version === undefined ? versions.at(-1) : byId.get(`${name}@${version}`);
      if (found !== undefined) return found;
      const served = versions.length > 0 ? versions.map((p) => p.version).join(', ') : undefined;
      throw new SignetError(
        'SIGNET_PIPELINE_NOT_FOUND',
        served === undefined
          ? `no pipeline named "${name}" is served here; available: ${sorted.map((p) => p.name).join(', ') || 'none'}`
          : `pipeline ${name}@${version} is not served here (served versions: ${served})`,
        { details: { pipeline: name, version, served: versions.map((p) => p.version) } },
      );
    },
  };
}

/**
 * The pipeline a recorded run needs: exactly its name and version. SIGNET_RUN_PROGRAM_MISSING, naming
 * both, when that version is no longer served.
 */
export function pipelineOfRun(
  catalog: PipelineCatalog,
  run: { readonly id: string; readonly pipeline: { readonly name: string; readonly version: string } },
): ServedPipeline {
  try {
    return catalog.get(run.pipeline.name, run.pipeline.version);
  } catch (error) {
    if (!SignetError.is(error) || error.code !== 'SIGNET_PIPELINE_NOT_FOUND') throw error;
    throw new SignetError(
      'SIGNET_RUN_PROGRAM_MISSING',
      `run ${run.id} was recorded by pipeline ${run.pipeline.name}@${run.pipeline.version}, which this server no longer serves (${error.message}); serve that version again to finish it, or start a new run`,
      { details: { runId: run.id, pipeline: run.pipeline.name, version: run.pipeline.version } },
    );
  }
}
