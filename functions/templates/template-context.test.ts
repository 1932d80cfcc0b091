import { describe, expect, it } from 'vitest';
import type { Profile } from '../profiles/profile';
import { replaceProfile } from '../profiles/profile-changes';
import { renderGlobals } from './date-filters';
import { liquidEngines } from './liquid-engine';
import { buildTemplateContext } from './template-context';

const AT = '2026-01-01T00:00:00Z';
const profileOf = (fields: Parameters<typeof replaceProfile>[1], system: Partial<Profile> = {}): Profile => ({
  ...replaceProfile('p-1', fields, undefined, AT),
  ...system,
});

const render = (source: string, profile: Profile, html = false) =>
  liquidEngines[html ? 'html' : 'plain'].parseAndRenderSync(
    source,
    buildTemplateContext(profile, {
      unsubscribeUrl: 'https://example.com/u',
      offer: { code: 'WB-7Q2', expiresAt: '2026-02-01T00:00:00Z' },
    }),
    { globals: renderGlobals({ now: 0, timeZone: 'UTC' }) },
  );

describe('buildTemplateContext', () => {
  it('gives a known field the profile lacks as nil: empty, or its default, false in if', () => {
    const bare = profileOf({});
    expect(render('[{{ profile.firstName }}]', bare)).toBe('[]');
    expect(render('Hi {{ profile.firstName | default: "there" }}', bare)).toBe('Hi there');
    expect(render('{% if profile.city %}city{% else %}none{% endif %}', bare)).toBe('none');
    expect(render('{{ profile.tags.size }}|{% for t in profile.tags %}x{% endfor %}', bare)).toBe('0|');
  });
  it('reads through an absent object: an unscored profile, no purchases, no consent', () => {
    const bare = profileOf({});
    expect(render('{{ scores.rfm.segment | default: "new" }} {{ scores.clv | default: 0 }}', bare)).toBe(
      'new 0',
    );
    expect(render('{{ purchases.categories.books.spend | default: 0 }}', bare)).toBe('0');
    expect(render('[{{ profile.consent.sms.status }}]{% if scores %}scored{% endif %}', bare)).toBe('[]');
  });
  it('reads any attribute name: its value or nil', () => {
    const p = profileOf({ attributes: { loyalty_level: 'gold', size: 3, vip: false } });
    expect(render('{{ profile.attributes.loyalty_level }}', p)).toBe('gold');
    expect(render('{{ profile.attributes.tier | default: "none" }}', p)).toBe('none');
    // An attribute named like a Liquid property is the attribute.
    expect(render('{{ profile.attributes.size }}', p)).toBe('3');
    expect(render('{% assign k = "loyalty_level" %}{{ profile.attributes[k] }}', p)).toBe('gold');
    // false is a value: default replaces it (Liquid's rule), if sees it as false.
    expect(render('{% if profile.attributes.vip %}vip{% else %}no{% endif %}', p)).toBe('no');
  });
  it('gives scores, purchases, the offer and the links', () => {
    const p = profileOf(
      { firstName: 'Ann', tags: ['vip', 'newsletter'] },
      {
        scores: { valueTier: 'gold', rfm: { segment: 'At Risk', score: '245' }, clv: 412.5 },
        purchases: { totalSpend: 99.9, categories: { books: { spend: 40, count: 2 } } },
      },
    );
    expect(
      render(
        '{{ profile.firstName }} {{ profile.tags.first }} {{ scores.valueTier }} {{ scores.rfm.segment }} ' +
          '{{ scores.clv }} {{ purchases.totalSpend }} {{ purchases.categories.books.count }} ' +
          '{{ offer.code }} {{ offer.expiresAt | date: "%e %b" }} {{ unsubscribe_url }}',
        p,
      ),
    ).toBe('Ann vip gold At Risk 412.5 99.9 2 WB-7Q2  1 Feb https://example.com/u');
  });
  it('holds only the variables of the tree, never what else a stored profile carries', () => {
    const p = profileOf({}, { lastImportId: 'imp-1', scores: { secret: 'x', valueTier: { nested: 1 } } });
    const context = buildTemplateContext(p);
    expect(Object.keys(context).sort()).toEqual(
      ['offer', 'preferences_url', 'profile', 'purchases', 'scores', 'unsubscribe_url'].sort(),
    );
    expect(context.profile).not.toHaveProperty('lastImportId');
    expect(context.profile).not.toHaveProperty('provenance');
    expect(context.scores).not.toHaveProperty('secret');
    // An object where a value belongs is not handed to the template.
    expect((context.scores as Record<string, unknown>).valueTier).toBeNull();
  });
  it('has no offer and no links unless given', () => {
    const context = buildTemplateContext(profileOf({}));
    expect([context.offer, context.unsubscribe_url, context.preferences_url]).toEqual([null, null, null]);
  });
});
