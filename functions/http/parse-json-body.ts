import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { parseJsonExactly } from '../shared/exact-numbers';
import { HttpError } from './http-error';

export interface ParseJsonBodyOptions {
  readonly maxBytes: number;
  readonly mediaTypes: readonly string[];
}

const mediaTypeOf = (header: string | undefined): string | undefined =>
  header?.split(';')[0]?.trim().toLowerCase() || undefined;

/**
 * Reads a JSON body the way the API promises: 415 for another media type, 413 over the limit,
 * 400 for malformed JSON. Validation against the schema (422) comes after; numbers that cannot
 * be stored as sent stand as UnstorableNumber for the caller to refuse.
 */
export const parseJsonBody = (event: APIGatewayProxyEventV2, options: ParseJsonBodyOptions): unknown => {
  const headers = event.headers ?? {};
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > options.maxBytes) {
    throw new HttpError(413, 'payload_too_large', `The body is larger than ${options.maxBytes} bytes.`);
  }
  const mediaType = mediaTypeOf(headers['content-type']);
  if (bytes.length === 0) {
    throw new HttpError(400, 'bad_request', 'A JSON body is required.', [
      { path: '(body)', message: 'missing' },
    ]);
  }
  if (!mediaType || !options.mediaTypes.includes(mediaType)) {
    throw new HttpError(
      415,
      'unsupported_media_type',
      `Send the body as ${options.mediaTypes.join(' or ')}.`,
      [{ path: 'content-type', message: mediaType ? `"${mediaType}" is not accepted` : 'missing' }],
    );
  }
  try {
    // Numbers that cannot be stored as sent come back as UnstorableNumber (see exact-numbers.ts).
    return parseJsonExactly(bytes.toString('utf8'));
  } catch (error) {
    throw new HttpError(400, 'malformed_json', 'The body is not valid JSON.', [
      { path: '(body)', message: (error as Error).message },
    ]);
  }
};
