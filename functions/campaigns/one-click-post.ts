import type { HttpEvent } from '../http/http-handler';

/**
 * Whether a POST body is RFC 8058's one-click unsubscribe: `List-Unsubscribe=One-Click`, form
 * encoded (mailbox providers send it so, and so does the confirmation page's form), among any other
 * fields. API Gateway may hand the body over base64-encoded.
 */
export const isOneClickPost = (event: Pick<HttpEvent, 'body' | 'isBase64Encoded'>): boolean => {
  if (!event.body || event.body.length > 4096) return false;
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  return new URLSearchParams(text).getAll('List-Unsubscribe').includes('One-Click');
};
