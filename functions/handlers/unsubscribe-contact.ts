import { unsubscribe } from '../campaigns/unsubscribe';
import { unsubscribeQuerySchema } from '../campaigns/unsubscribe-query';
import { unsubscribeSecret } from '../campaigns/unsubscribe-secret';
import { verifyUnsubscribeToken } from '../campaigns/unsubscribe-token';
import { HttpError } from '../http/http-error';
import { httpHandler } from '../http/http-handler';
import { htmlResponse, jsonResponse } from '../http/json-response';
import { profileTableFromEnv } from '../profiles/profile-service-from-env';
import { escapeHtml } from '../shared/escape-html';
import { logger } from '../shared/logger';

const store = profileTableFromEnv();

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
  `<title>${escapeHtml(title)}</title></head><body style="font-family:sans-serif;max-width:32rem;margin:3rem auto">` +
  `<h1>${escapeHtml(title)}</h1>${body}</body></html>`;

const invalidToken = () =>
  new HttpError(400, 'bad_request', 'This unsubscribe link is not valid.', [
    { path: 'query.token', message: 'is missing, altered or not one we issued' },
  ]);

/**
 * GET shows a confirmation page (link scanners prefetch GETs, so GET never unsubscribes);
 * POST unsubscribes at once: RFC 8058 one-click (`List-Unsubscribe=One-Click`) or the page's button.
 */
export const handler = httpHandler('unsubscribe-contact', { query: unsubscribeQuerySchema }, async (req) => {
  const token = req.query.token ?? '';
  const secret = await unsubscribeSecret();
  const wantsHtml = (req.headers.accept ?? '').includes('text/html');
  if (req.event.requestContext.http.method === 'GET') {
    const claim = verifyUnsubscribeToken(secret, token);
    if (!claim) {
      return htmlResponse(
        400,
        page(
          'Link not valid',
          '<p>This unsubscribe link is not valid. Please use the link from your latest message.</p>',
        ),
      );
    }
    return htmlResponse(
      200,
      page(
        'Unsubscribe',
        `<p>Stop receiving our ${claim.channel === 'email' ? 'emails' : 'text messages'}?</p>` +
          `<form method="post" action="?token=${escapeHtml(encodeURIComponent(token))}">` +
          '<input type="hidden" name="List-Unsubscribe" value="One-Click">' +
          '<button type="submit">Unsubscribe</button></form>',
      ),
    );
  }
  const result = await unsubscribe(store, secret, token);
  if (result.outcome === 'invalid_token') {
    if (wantsHtml)
      return htmlResponse(400, page('Link not valid', '<p>This unsubscribe link is not valid.</p>'));
    throw invalidToken();
  }
  logger.info('unsubscribed', {
    profileId: result.claim.profileId,
    channel: result.claim.channel,
    outcome: result.outcome,
  });
  if (wantsHtml)
    return htmlResponse(
      200,
      page('You are unsubscribed', '<p>You will not hear from us on this channel again.</p>'),
    );
  return jsonResponse(200, { unsubscribed: true, channel: result.claim.channel });
});
