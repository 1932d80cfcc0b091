import type { OutgoingEmail } from '../channels/email-sender';
import type { RenderedEmail } from '../templates/render-template';

// What goes around a rendered email: the headers mailbox providers ask of bulk senders (Gmail and
// Yahoo since 2024: RFC 8058 one-click unsubscribe for marketing mail; List-Id to tell lists apart)
// and the SES tags that come back on every event of the message (the next step matches delivery,
// open, click, bounce and complaint events to the send record by them).

export interface EmailEnvelope {
  readonly to: string;
  readonly kind: 'marketing' | 'transactional';
  readonly unsubscribeUrl: string;
  /** An optional mailbox, offered as the mailto: alternative in List-Unsubscribe. */
  readonly unsubscribeMailto?: string;
  /** `<list>.<domain>`, RFC 2919: the campaign (or its topic) at the sender's domain. */
  readonly listId: string;
  readonly listName: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** A List-Id phrase: printable ASCII without quotes or backslashes, at most 100 characters. */
const phrase = (name: string) =>
  name
    .replace(/[^\x20-\x7e]/g, '')
    .replace(/["\\]/g, '')
    .trim()
    .slice(0, 100);

export const composeEmail = (rendered: RenderedEmail, envelope: EmailEnvelope): OutgoingEmail => {
  const headers: Record<string, string> = {
    'List-Id': `${phrase(envelope.listName) ? `"${phrase(envelope.listName)}" ` : ''}<${envelope.listId}>`,
  };
  if (envelope.kind === 'marketing') {
    const targets = [`<${envelope.unsubscribeUrl}>`];
    if (envelope.unsubscribeMailto)
      targets.push(`<mailto:${envelope.unsubscribeMailto}?subject=unsubscribe>`);
    headers['List-Unsubscribe'] = targets.join(', ');
    headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  }
  return {
    to: envelope.to,
    subject: rendered.subject,
    html: rendered.html,
    text: rendered.text,
    headers,
    tags: envelope.tags,
  };
};

/** The List-Id of a campaign's mail: its topic's or its own, at the From address's domain. */
export const listIdOf = (fromAddress: string, campaignId: string, topic?: string): string => {
  const domain = /@([^>\s@]+)>?\s*$/.exec(fromAddress)?.[1]?.toLowerCase() ?? 'rekindle.invalid';
  const list = (topic ?? campaignId).toLowerCase().replace(/[^a-z0-9-]/g, '-');
  return `${list}.${domain}`;
};
