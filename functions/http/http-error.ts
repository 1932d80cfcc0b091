import type { FieldError } from '../shared/domain-errors';

/** One error shape for the whole API: `{"error":{"code","message","details":[{"path","message"}]}}`. */
export type ErrorDetail = FieldError;

export type ErrorCode =
  | 'bad_request'
  | 'malformed_json'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  /** Another write of the same item won every attempt: retry after Retry-After. */
  | 'concurrent_write'
  | 'precondition_failed'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'validation_failed'
  | 'gone'
  | 'internal_error';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details: readonly ErrorDetail[] = [],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }

  toBody(): { error: { code: ErrorCode; message: string; details: readonly ErrorDetail[] } } {
    return { error: { code: this.code, message: this.message, details: this.details } };
  }
}

export const badRequest = (message: string, details: readonly ErrorDetail[] = []) =>
  new HttpError(400, 'bad_request', message, details);
export const unauthorized = (message: string) =>
  new HttpError(401, 'unauthorized', message, [], { 'www-authenticate': 'Bearer realm="rekindle"' });
export const forbidden = (message: string) => new HttpError(403, 'forbidden', message);
export const notFound = (message: string) => new HttpError(404, 'not_found', message);
export const conflict = (message: string, details: readonly ErrorDetail[] = []) =>
  new HttpError(409, 'conflict', message, details);
export const preconditionFailed = (message: string) => new HttpError(412, 'precondition_failed', message);
export const validationFailed = (details: readonly ErrorDetail[], message = 'The request is not valid.') =>
  new HttpError(422, 'validation_failed', message, details);
