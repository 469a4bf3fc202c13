import { SignetError } from '../../errors/index.ts';
import type { OnnxGenerateRequest } from './onnx-generate-request.ts';

/** Checks the request shape; throws `SIGNET_INPUT_INVALID` with issues when it is wrong. */
export function validateGenerateRequest(request: OnnxGenerateRequest): void {
  const issues: { path: string[]; code: string; message: string }[] = [];
  const hasMessages = request.messages !== undefined;
  const hasPrompt = request.prompt !== undefined;
  if (hasMessages === hasPrompt) {
    issues.push({
      path: ['messages'],
      code: 'invalid_union',
      message: 'give exactly one of messages or prompt',
    });
  }
  if (!Number.isInteger(request.maxTokens) || request.maxTokens < 1) {
    issues.push({ path: ['maxTokens'], code: 'too_small', message: 'maxTokens must be an integer >= 1' });
  }
  const temperature = request.temperature ?? 0;
  if (!(temperature >= 0))
    issues.push({ path: ['temperature'], code: 'too_small', message: 'temperature must be >= 0' });
  const topP = request.topP ?? 1;
  if (!(topP > 0 && topP <= 1))
    issues.push({ path: ['topP'], code: 'invalid_value', message: 'topP must be in (0, 1]' });
  if (request.stop?.some((s) => s.length === 0) === true) {
    issues.push({ path: ['stop'], code: 'too_small', message: 'stop strings must not be empty' });
  }
  if (issues.length > 0) {
    throw new SignetError('SIGNET_INPUT_INVALID', `Invalid generate request for "${request.model}"`, {
      issues,
    });
  }
}
