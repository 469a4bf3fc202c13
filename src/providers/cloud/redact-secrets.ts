/** Token shapes of cloud API keys (OpenAI/Anthropic `sk-`, Hugging Face `hf_`, Google `AIza`), masked or not. */
const KEY_SHAPES = /\b(?:sk-|hf_|AIza)[A-Za-z0-9_*.-]{6,}/g;

/**
 * Removes secrets from text that may reach logs or callers (upstream error messages sometimes echo a
 * partly masked key): every occurrence of the given secrets, then anything shaped like an API key.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  return out.replace(KEY_SHAPES, '[redacted]');
}
