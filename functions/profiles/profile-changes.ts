import type { FieldError } from '../shared/domain-errors';
import { normalizeEmail, normalizePhone, phoneTypeOf } from './normalize-contact';
import {
  CARRIED_SYSTEM_FIELDS,
  type FieldSource,
  type Profile,
  type ProfileFields,
  type Provenance,
} from './profile';

/** Email and phone in their canonical forms, or a detail naming each invalid one. */
export const normalizeContactFields = (
  fields: ProfileFields,
  defaultCountry: string,
): { fields: ProfileFields; errors: FieldError[] } => {
  const errors: FieldError[] = [];
  const out: ProfileFields = { ...fields };
  if (fields.email !== undefined) {
    const email = normalizeEmail(fields.email);
    if (email) out.email = email;
    else errors.push({ path: 'email', message: 'is not a valid email address' });
  }
  if (fields.phone !== undefined) {
    const phone = normalizePhone(fields.phone, defaultCountry);
    if (phone) out.phone = phone;
    else
      errors.push({
        path: 'phone',
        message: `is not a valid phone number (read with default country ${defaultCountry})`,
      });
  }
  return { fields: out, errors };
};

const DEFAULT_PROVENANCE: Provenance = { kind: 'internal', source: 'api' };

/**
 * The profile a full replacement produces: every client field from `fields`, system fields kept.
 * `fieldProvenance`, when given, is the provenance of the new fields (imports compute it); else every
 * field whose value changed is attributed to the profile's provenance source at `now` (API writes).
 */
export const replaceProfile = (
  profileId: string,
  fields: ProfileFields,
  previous: Profile | undefined,
  now: string,
  fieldProvenance?: Record<string, FieldSource>,
): Profile => {
  const provenance = fields.provenance ?? previous?.provenance ?? DEFAULT_PROVENANCE;
  const carried: Record<string, unknown> = {};
  for (const key of CARRIED_SYSTEM_FIELDS) if (previous?.[key] !== undefined) carried[key] = previous[key];
  const from: FieldSource = { source: provenance.source, kind: provenance.kind, at: now };
  return {
    ...fields,
    // A tag is there or not: the same tag twice in a write is one.
    tags: [...new Set(fields.tags ?? [])],
    attributes: fields.attributes ?? {},
    consent: fields.consent ?? {},
    profileId,
    version: (previous?.version ?? 0) + 1,
    createdAt: previous?.createdAt ?? now,
    updatedAt: now,
    ...carried,
    ...(fields.phone ? { phoneType: phoneTypeOf(fields.phone) } : {}),
    fieldProvenance: fieldProvenance ?? changedFieldProvenance(fields, previous, from),
    provenance: {
      ...provenance,
      firstSeenAt: previous?.provenance.firstSeenAt ?? provenance.firstSeenAt ?? now,
      lastUpdatedAt: now,
    },
  };
};

/** Keeps the provenance of unchanged fields and attributes every changed one to `from`. */
const changedFieldProvenance = (
  fields: ProfileFields,
  previous: Profile | undefined,
  from: FieldSource,
): Record<string, FieldSource> => {
  const before = (previous ?? {}) as Record<string, unknown>;
  const kept = previous?.fieldProvenance ?? {};
  const out: Record<string, FieldSource> = {};
  const visit = (path: string, now: unknown, then: unknown) => {
    if (now === undefined) return;
    out[path] = JSON.stringify(now) === JSON.stringify(then) && kept[path] ? kept[path] : from;
  };
  for (const [key, value] of Object.entries(fields)) {
    if (key === 'attributes' || key === 'consent' || key === 'provenance' || key === 'tags') continue;
    visit(key, value, before[key]);
  }
  for (const [key, value] of Object.entries(fields.attributes ?? {})) {
    visit(`attributes.${key}`, value, previous?.attributes?.[key]);
  }
  for (const channel of ['email', 'sms'] as const) {
    visit(`consent.${channel}`, fields.consent?.[channel], previous?.consent?.[channel]);
  }
  return out;
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
const isObject = (v: unknown): v is Record<string, Json> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** JSON Merge Patch (RFC 7396): objects merge, `null` removes, anything else replaces. */
export const mergePatch = (target: unknown, patch: unknown): unknown => {
  if (!isObject(patch)) return patch;
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
};

/** Fields the system maintains: identity, version, timestamps, derived fields and what other writers keep. */
const SYSTEM_FIELDS = [
  'profileId',
  'version',
  'createdAt',
  'updatedAt',
  'phoneType',
  'fieldProvenance',
  ...CARRIED_SYSTEM_FIELDS,
] as const;

/** The client-writable fields of a stored profile, as a PATCH starts from them. */
export const writableFields = (profile: Profile): Record<string, unknown> => {
  const out: Record<string, unknown> = { ...profile };
  for (const key of SYSTEM_FIELDS) delete out[key];
  const provenance = { ...profile.provenance };
  out.provenance = provenance;
  return out;
};

/** True when two profiles differ in anything a client wrote. */
export const sameFields = (a: Profile, b: Profile): boolean =>
  JSON.stringify(sortKeys(writableFields(a))) === JSON.stringify(sortKeys(writableFields(b)));

const sortKeys = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (isObject(value)) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .filter((k) => k !== 'lastUpdatedAt')
        .map((k) => [k, sortKeys(value[k])]),
    );
  }
  return value;
};
