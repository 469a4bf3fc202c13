import { AxSignature } from '@ax-llm/ax';
import { SignetError } from '../errors/signet-error.ts';
import { excerptAt, findStructuralError, locateAxMessage, positionAt } from './dsl-error-position.ts';
import type { FieldSpec } from './field-spec.ts';
import { fieldsFromAx, UnsupportedFieldError } from './fields-from-ax.ts';

/** What a DSL string declares. */
export interface ParsedDsl {
  /** The quoted description that may open the DSL, used as the model's instructions. */
  readonly description: string | undefined;
  readonly inputs: FieldSpec[];
  readonly outputs: FieldSpec[];
}

/**
 * Parses Ax's signature DSL (`'question:string "the question" -> answer:string'`) with Ax's own grammar,
 * so signet and its engine never disagree, and reports failures with line, column and a caret excerpt.
 */
export function parseSignatureDsl(dsl: string, context: string): ParsedDsl {
  const structural = findStructuralError(dsl);
  if (structural !== undefined) throw dslError(dsl, structural.offset, structural.message, context);
  let ax: AxSignature;
  try {
    ax = AxSignature.create(dsl);
  } catch (error) {
    const message = (error as Error).message.replace(/^Invalid Signature:\s*/i, '');
    throw dslError(dsl, locateAxMessage(dsl, message), message, context, error);
  }
  try {
    return {
      description: ax.getDescription(),
      inputs: fieldsFromAx(ax.getInputFields()),
      outputs: fieldsFromAx(ax.getOutputFields()),
    };
  } catch (error) {
    if (!(error instanceof UnsupportedFieldError)) throw error;
    const name = /field "([^"]+)"/.exec(error.message)?.[1] ?? '';
    throw dslError(dsl, Math.max(0, dsl.indexOf(name)), error.message, context, error);
  }
}

function dslError(
  dsl: string,
  offset: number,
  problem: string,
  context: string,
  cause?: unknown,
): SignetError {
  const position = positionAt(dsl, offset);
  return new SignetError(
    'SIGNET_SIGNATURE_INVALID',
    `${context}: invalid signature DSL at line ${position.line}, column ${position.column}: ${problem}\n${excerptAt(dsl, position)}`,
    { cause, details: { ...position } },
  );
}
