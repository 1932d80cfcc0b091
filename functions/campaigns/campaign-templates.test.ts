import { describe, expect, it } from 'vitest';
import { type CampaignDefinition, campaignInputSchema } from './campaign-definition';
import { templateFor, templateIdsOf, templateSlots, variantName, variantShares } from './campaign-templates';

const define = (fields: Record<string, unknown>): CampaignDefinition =>
  campaignInputSchema.parse({ name: 'x', segmentId: 'seg_x', schedule: { type: 'manual' }, ...fields });

describe('campaign templates', () => {
  const ab = define({
    channel: 'email_or_sms',
    variants: [
      { name: 'short', templates: { email: 'e1', sms: 's1' }, share: 0.5 },
      { templates: { email: 'e2', sms: 's1' }, share: 0.5 },
    ],
  });

  it('gives each recipient the template of their variant and channel', () => {
    expect(templateFor(ab, 0, 'email')).toBe('e1');
    expect(templateFor(ab, 1, 'email')).toBe('e2');
    expect(templateFor(ab, 1, 'sms')).toBe('s1');
    expect(templateFor(ab, 2, 'sms')).toBeUndefined();
    const single = define({ channel: 'sms', templateId: 's9' });
    expect(templateFor(single, 0, 'sms')).toBe('s9');
  });

  it('lists every slot with its field and channel, and each template id once', () => {
    expect(templateSlots(ab).map((s) => `${s.path}=${s.templateId}:${s.channel}`)).toEqual([
      'variants.0.templates.email=e1:email',
      'variants.0.templates.sms=s1:sms',
      'variants.1.templates.email=e2:email',
      'variants.1.templates.sms=s1:sms',
    ]);
    expect(templateIdsOf(ab)).toEqual(['e1', 's1', 'e2']);
  });

  it('names variants by their own name, else by letter, and their shares in order', () => {
    expect([variantName(ab, 0), variantName(ab, 1)]).toEqual(['short', 'B']);
    expect(variantShares(ab)).toEqual([0.5, 0.5]);
    expect(variantShares(define({ channel: 'email', templateId: 'e1' }))).toEqual([1]);
  });
});
