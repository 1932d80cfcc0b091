import { z } from 'zod';
import type { ConsentNotice } from './consent-rule';

export const consentNoticeSchema = z
  .object({
    path: z.string().meta({ example: 'consent.email' }),
    message: z.string().meta({
      example:
        'stays unsubscribed since 2026-11-30T09:12:00.000Z (one-click): a grant dated 2020-01-01T00:00:00Z is not newer than it',
    }),
  })
  .meta({
    id: 'ConsentNotice',
    description: 'Consent the write asked for that the consent rule kept as it was, and why.',
  });

/**
 * A written profile with what the consent rule kept (`notices`, only when there is one): the 200
 * alone would tell the client its grant was stored.
 */
export const withNotices = <T extends object>(view: T, notices: readonly ConsentNotice[]) =>
  notices.length > 0 ? { ...view, notices } : view;
