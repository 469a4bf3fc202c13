import type { AxAIService } from '@ax-llm/ax';
import { SignetError } from '../errors/index.ts';
import type { Embedder } from './embedder.ts';

/** Options of {@link embedderFromProvider}. */
export interface ProviderEmbedderOptions {
  /** Embedding model to ask for (default: the provider's own embedding model). */
  readonly model?: string | undefined;
  /** Id of the embedder (default `<provider name>/<model>`); change it and old vectors are not reused. */
  readonly id?: string | undefined;
}

/**
 * An embedder on any provider that embeds (`ai.embed`): a cloud embedding model, Ollama, or a local
 * ONNX encoder (`createOnnxProvider({ embedModel })`).
 */
export function embedderFromProvider(
  ai: Pick<AxAIService, 'embed' | 'getName'>,
  options: ProviderEmbedderOptions = {},
): Embedder {
  const id = options.id ?? `${ai.getName()}/${options.model ?? 'default'}`;
  return {
    id,
    async embed(texts, signal) {
      if (texts.length === 0) return [];
      const response = await ai.embed(
        { texts, ...(options.model === undefined ? {} : { embedModel: options.model }) },
        signal === undefined ? undefined : { abortSignal: signal },
      );
      if (response.embeddings.length !== texts.length) {
        throw new SignetError(
          'SIGNET_PROVIDER_ERROR',
          `Embedder "${id}" returned ${response.embeddings.length} vectors for ${texts.length} texts`,
        );
      }
      return response.embeddings.map((vector) => Float32Array.from(vector));
    },
  };
}
