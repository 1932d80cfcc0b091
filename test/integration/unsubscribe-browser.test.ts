import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailsTo } from './mailbox';
import { api, eventually, unique } from './support';
import { dayZone } from './zones';

/**
 * The unsubscribe link of a real campaign email, opened in a real browser (Debian's Chromium,
 * driven by playwright-core): the page renders, its own button posts back (its Content-Security-
 * Policy allows exactly that form), and the profile reads `unsubscribed`. Mail clients that do
 * RFC 8058 post without the page; anything else posted is refused.
 */

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const tag = unique('unsub');
const email = `${tag}@example.com`;
let browser: Browser;
let link: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`No Chromium at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const put = await api('PUT', `/profiles/${tag}`, {
    body: {
      email,
      firstName: 'Ines',
      timeZone: dayZone(),
      tags: [tag],
      consent: { email: { status: 'granted', source: 'web-form', timestamp: '2024-01-01T00:00:00Z' } },
    },
  });
  expect(put.status, put.text).toBe(201);
  const segment = await api('POST', '/segments', {
    body: { name: `${tag} audience`, rule: { attribute: 'tags', op: 'contains', value: tag } },
  });
  const template = await api('POST', '/templates', {
    body: {
      name: `${tag} email`,
      channel: 'email',
      subject: 'News for {{ profile.firstName }}',
      html: '<p>Hello</p><a href="{{ unsubscribe_url }}">Unsubscribe</a>',
    },
  });
  const campaign = await api('POST', '/campaigns', {
    body: {
      name: tag,
      segmentId: segment.json.segmentId,
      channel: 'email',
      templateId: template.json.template.templateId,
      schedule: { type: 'manual' },
    },
  });
  expect(campaign.status, campaign.text).toBe(201);
  expect((await api('POST', `/campaigns/${campaign.json.campaignId}/runs`)).status).toBe(202);
  const [mail] = await eventually(async () => {
    const mails = await emailsTo(email);
    return mails.length > 0 ? mails : undefined;
  }, 60_000);
  const href = /href="([^"]*\/unsubscribe\?token=[^"]+)"/.exec(mail!.body.html ?? '')?.[1];
  expect(href).toBeDefined();
  link = href!.replace(/&amp;/g, '&');
});

afterAll(async () => {
  await browser?.close();
});

describe('the unsubscribe page in a browser', () => {
  it('unsubscribes with its button, and its policy blocks nothing it needs', async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused/i.test(m.text())) violations.push(m.text());
    });
    const response = await page.goto(link);
    expect(response?.status()).toBe(200);
    const policy = (await response?.allHeaders())?.['content-security-policy'] ?? '';
    expect(policy).toContain("form-action 'self'");
    expect(policy).not.toMatch(/script-src|'unsafe-eval'/);
    await expect(page.title()).resolves.toBe('Unsubscribe');
    await page.getByRole('button', { name: 'Unsubscribe' }).click();
    await page.waitForSelector('text=You are unsubscribed', { timeout: 15_000 });
    expect(violations).toEqual([]);
    const profile = (await api('GET', `/profiles/${tag}`)).json;
    expect(profile.consent.email).toMatchObject({ status: 'unsubscribed' });
    expect(profile.consent.email.source).toMatch(/^unsubscribe-link:run_/);
    await page.close();
  });

  it('takes RFC 8058 posts without the page, and refuses a POST that is not an unsubscribe', async () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const other = await fetch(link, { method: 'POST', headers: form, body: 'hello=1' });
    expect(other.status).toBe(400);
    expect(await other.text()).toContain('List-Unsubscribe=One-Click');
    const oneClick = await fetch(link, { method: 'POST', headers: form, body: 'List-Unsubscribe=One-Click' });
    expect(oneClick.status).toBe(200);
    expect(await oneClick.json()).toEqual({ unsubscribed: true, channel: 'email' });
  });

  it('shows a page that says a tampered link is not valid', async () => {
    const page = await browser.newPage();
    const response = await page.goto(link.replace(/token=./, 'token=x'));
    expect(response?.status()).toBe(400);
    await expect(page.title()).resolves.toBe('Link not valid');
    await page.close();
  });
});
