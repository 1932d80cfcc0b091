import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { profileSchema } from '../profiles/profile';
import {
  checkVariable,
  PROFILE_FIELDS_NOT_IN_TEMPLATES,
  PROFILE_VARIABLES,
  templateVariablePaths,
  variableName,
} from './template-variables';

describe('checkVariable', () => {
  it.each([
    [['profile', 'firstName']],
    [['profile', 'tags']],
    [['profile', 'tags', 0]],
    [['profile', 'tags', 'first']],
    [['profile', 'tags', 'size']],
    [['profile', 'tags', ['forloop', 'index0']]],
    [['profile', 'attributes', 'loyalty_level']],
    [['profile', 'attributes', ['key']]],
    [['profile', 'consent', 'email', 'status']],
    [['profile', 'firstName', 'size']],
    [['scores', 'rfm', 'segment']],
    [['scores', 'valueTier']],
    [['purchases', 'categories', 'garden tools', 'spend']],
    [['purchases', 'totalSpend']],
    [['offer', 'code']],
    [['offer']],
    [['unsubscribe_url']],
    [['preferences_url']],
  ])('allows %j', (segments) => {
    expect(checkVariable(segments)).toBeUndefined();
  });

  it.each([
    [
      ['first_name'],
      'unknown variable first_name; the variables are profile, scores, purchases, offer, unsubscribe_url, preferences_url',
    ],
    [
      ['profil', 'firstName'],
      'unknown variable profil.firstName (did you mean profile?); the variables are profile, scores, purchases, offer, unsubscribe_url, preferences_url',
    ],
    [['profile', 'frstName'], 'unknown variable profile.frstName (did you mean profile.firstName?)'],
    [['profile', 'provenance', 'kind'], 'unknown variable profile.provenance'],
    [['profile', 'fieldProvenance'], 'unknown variable profile.fieldProvenance'],
    [['scores', 'rfm', 'segmnt'], 'unknown variable scores.rfm.segmnt (did you mean scores.rfm.segment?)'],
    [['profile', ['field']], 'profile[field]: the fields of profile are named, not looked up by a variable'],
    [
      ['profile', 'attributes', 3],
      'profile.attributes[3]: profile.attributes is looked up by attribute name, not by number',
    ],
    [['profile', 'attributes', 'a b'], 'profile.attributes["a b"]: "a b" is not a valid attribute name'],
    [
      ['profile', 'attributes', 'constructor'],
      'profile.attributes.constructor: "constructor" is a reserved name',
    ],
    [['profile', 'tags', 'count'], 'profile.tags.count: a list has first, last, size and numbered items'],
    [
      ['profile', 'firstName', 'upper'],
      'profile.firstName.upper: profile.firstName is a string, which has only size',
    ],
    [['purchases', 'totalSpend', 'size'], 'purchases.totalSpend.size: purchases.totalSpend is a number'],
    [
      ['profile', 'firstName', 'size', 'size'],
      'profile.firstName.size.size: profile.firstName.size is a number',
    ],
  ])('refuses %j', (segments, reason) => {
    expect(checkVariable(segments)).toBe(reason);
  });
});

describe('variableName', () => {
  it('writes a variable as a template would', () => {
    expect(variableName(['profile', 'attributes', ['k', 'v'], 'x', 0, 'a b'])).toBe(
      'profile.attributes[k.v].x[0]["a b"]',
    );
  });
});

describe('the profile variables', () => {
  it('cover every stored profile field but the bookkeeping', () => {
    const exposed = new Set([...Object.keys(PROFILE_VARIABLES), ...PROFILE_FIELDS_NOT_IN_TEMPLATES]);
    expect(Object.keys(profileSchema.shape).filter((k) => !exposed.has(k))).toEqual([]);
  });
});

describe('the README', () => {
  it('lists every variable a template may use', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const doc = readme.split('\n## Templates')[1]!.split('\n## ')[0]!;
    expect(templateVariablePaths().filter((path) => !doc.includes(`\`${path}\``))).toEqual([]);
  });
});
