import { SignetError } from '../errors/signet-error.ts';

/** An optional peer dependency: its package name, and what it is for. */
export interface OptionalPackage {
  /** The package, as `npm install` takes it (`@huggingface/transformers`, `usearch@2.25.3`). */
  readonly install: string;
  /** The package name as imports name it. */
  readonly name: string;
  /** What needs it, for the message ("Local ONNX models"). */
  readonly feature: string;
}

/**
 * Loads a module that needs an optional peer dependency. When the package itself is not installed the
 * failure is SIGNET_DEPENDENCY_MISSING, naming the `npm install` line to run; any other failure (the
 * package is there but broken) is passed on as it is.
 */
export async function importOptional<T>(wanted: OptionalPackage, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    throw missingDependency(wanted, error) ?? error;
  }
}

/** The coded error for a package that is not installed, or undefined when `error` is something else. */
export function missingDependency(wanted: OptionalPackage, error: unknown): SignetError | undefined {
  const { code, message } = error as { code?: unknown; message?: unknown };
  const notFound = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
  if (!notFound || typeof message !== 'string' || !message.includes(`'${wanted.name}`)) return undefined;
  return new SignetError(
    'SIGNET_DEPENDENCY_MISSING',
    `${wanted.feature} need the package ${wanted.name}, which is not installed (it is an optional peer dependency of signet); run \`npm install ${wanted.install}\` in your project`,
    { cause: error, details: { package: wanted.name, install: `npm install ${wanted.install}` } },
  );
}
