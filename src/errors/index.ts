export { type ErrorCode, type ErrorSpec, errorCatalog, isErrorCode } from './error-catalog.ts';
export { formatIssues, type Issue } from './issue.ts';
export { OutputParseError } from './output-parse-error.ts';
export { SignetError, type SignetErrorOptions } from './signet-error.ts';
