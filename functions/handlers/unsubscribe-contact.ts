import { isOneClickPost } from '../campaigns/one-click-post';
import { unsubscribe } from '../campaigns/unsubscribe';
import { unsubscribeQuerySchema } from '../campaigns/unsubscribe-query';
import { unsubscribeSecret } from '../campaigns/unsubscribe-secret';
import { checkUnsubscribeToken } from '../campaigns/unsubscribe-token';
import { HttpError } from '../http/http-error';
import { httpHandler } from '../http/http-handler';
import { htmlResponse, jsonResponse } from '../http/json-response';
import { profileTableFromEnv } from '../profiles/profile-service-from-env';
import { escapeHtml } from '../shared/escape-html';
import { logger } from '../shared/logger';
import { numberSetting, setting } from '../shared/settings';

const store = profileTableFromEnv();
const maxAgeDays = numberSetting('unsubscribeLinkDays');
const mailto = setting('unsubscribeMailto').replace(/^mailto:/, '');

const STYLE =
  'body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;line-height:1.5}' +
  'button{font-size:1rem;padding:.6rem 1.2rem}';

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
  `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>` +
  `<h1>${escapeHtml(title)}</h1>${body}</body></html>`;

const invalidPage = () =>
  page(
    'Link not valid',
    '<p>This unsubscribe link is not valid. Please use the link from your latest message.</p>',
  );

/** What an expired link's page says: that it expired, and how to stop the messages anyway. */
const expiredPage = () =>
  page(
    'This link has expired',
    `<p>Unsubscribe links work for ${maxAgeDays} days after their message was sent.</p>` +
      '<p>To stop our messages, use the unsubscribe link in the latest message you got from us' +
      (mailto
        ? `, or write to <a href="mailto:${escapeHtml(mailto)}">${escapeHtml(mailto)}</a>.`
        : ', or reply to it asking to be removed.') +
      '</p>',
  );

const invalidToken = () =>
  new HttpError(400, 'bad_request', 'This unsubscribe link is not valid.', [
    { path: 'query.token', message: 'is missing, altered or not one we issued' },
  ]);

/**
 * GET shows a confirmation page (link scanners prefetch GETs, so GET never unsubscribes); POST
 * unsubscribes at once when it is an unsubscribe: RFC 8058's `List-Unsubscribe=One-Click` body,
 * which the page's form sends too. The page is the one route a browser must use, so its policy
 * lets its own form post back (and its style apply) and still allows no script.
 */
export const handler = httpHandler(
  'unsubscribe-contact',
  {
    query: unsubscribeQuerySchema,
    contentSecurityPolicy: {
      'form-action': "'self'",
      sandbox: 'allow-forms',
      'style-src': "'unsafe-inline'",
    },
  },
  async (req) => {
    const token = req.query.token ?? '';
    const secret = await unsubscribeSecret();
    const now = new Date();
    const wantsHtml = (req.headers.accept ?? '').includes('text/html');
    if (req.event.requestContext.http.method === 'GET') {
      const checked = checkUnsubscribeToken(secret, token, { now, maxAgeDays });
      if (checked.status === 'invalid') return htmlResponse(400, invalidPage());
      if (checked.status === 'expired') return htmlResponse(410, expiredPage());
      const channel = checked.claim.channel === 'email' ? 'emails' : 'text messages';
      return htmlResponse(
        200,
        page(
          'Unsubscribe',
          `<p>Stop receiving our ${channel}?</p>` +
            `<form method="post" action="?token=${escapeHtml(encodeURIComponent(token))}">` +
            '<input type="hidden" name="List-Unsubscribe" value="One-Click">' +
            '<button type="submit">Unsubscribe</button></form>',
        ),
      );
    }
    if (!isOneClickPost(req.event))
      throw new HttpError(400, 'bad_request', 'Not an unsubscribe request.', [
        { path: 'body', message: 'must be List-Unsubscribe=One-Click (RFC 8058), as the page’s form sends' },
      ]);
    const result = await unsubscribe(store, secret, token, { now, maxAgeDays });
    if (result.outcome === 'invalid_token') {
      if (wantsHtml) return htmlResponse(400, invalidPage());
      throw invalidToken();
    }
    if (result.outcome === 'expired') {
      if (wantsHtml) return htmlResponse(410, expiredPage());
      throw new HttpError(410, 'gone', 'This unsubscribe link has expired.', [
        { path: 'query.token', message: `was issued more than ${maxAgeDays} days ago` },
      ]);
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
  },
);
