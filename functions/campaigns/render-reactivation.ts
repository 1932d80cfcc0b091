import type { Profile } from '../profiles/profile';

export const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** Header-safe text: no line breaks (no header injection), bounded length. */
const headerText = (text: string): string => text.replace(/[\r\n]+/g, ' ').slice(0, 200);

export interface ReactivationCopy {
  readonly subjectTemplate: string;
  readonly offer: string;
}

export interface RenderedEmail {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

const firstNameOf = (profile: Profile) => profile.firstName?.trim() || 'there';

/** The win-back email; every personal value is HTML-escaped in the HTML part. */
export const renderReactivationEmail = (
  profile: Profile,
  copy: ReactivationCopy,
  unsubscribeUrl: string,
): RenderedEmail => {
  const name = firstNameOf(profile);
  const subject = headerText(copy.subjectTemplate.replaceAll('{{firstName}}', name));
  const html = [
    '<!doctype html><html><body>',
    `<p>Hi ${escapeHtml(name)},</p>`,
    '<p>It has been a while since we last saw you.</p>',
    `<p><strong>${escapeHtml(copy.offer)}</strong></p>`,
    `<p style="font-size:12px;color:#666">Don't want these emails? <a href="${escapeHtml(unsubscribeUrl)}">Unsubscribe</a>.</p>`,
    '</body></html>',
  ].join('\n');
  const text = [
    `Hi ${name},`,
    '',
    'It has been a while since we last saw you.',
    copy.offer,
    '',
    `Unsubscribe: ${unsubscribeUrl}`,
  ].join('\n');
  return { subject, html, text };
};

/** The win-back SMS, with the opt-out instruction carriers expect. */
export const renderReactivationSms = (profile: Profile, copy: ReactivationCopy): string =>
  `Hi ${firstNameOf(profile)}, we miss you! ${copy.offer} Reply STOP to opt out.`;
