import { nextConsent } from './consent-rule';
import {
  type Consent,
  type FieldSource,
  type Profile,
  type ProfileFields,
  profileFieldsSchema,
} from './profile';
import { writableFields } from './profile-changes';

export type { FieldSource };

export type FieldProvenance = Readonly<Record<string, FieldSource>>;

/** Fields whose provenance is tracked one by one (attributes per key as `attributes.<key>`). */
const NOT_SCALAR = new Set(['tags', 'attributes', 'consent', 'provenance']);
const SCALAR_FIELDS = Object.keys(profileFieldsSchema.shape).filter((field) => !NOT_SCALAR.has(field));

/**
 * May a value from `incoming` replace the stored one? Internal data beats external data; between
 * equals the newer value wins (ties: the incoming one, as it is the later write).
 */
export const outranks = (incoming: FieldSource, stored: FieldSource | undefined): boolean => {
  if (!stored) return true;
  if (incoming.kind !== stored.kind) return incoming.kind === 'internal';
  return incoming.at >= stored.at;
};

export interface MergeResult {
  readonly fields: ProfileFields;
  readonly fieldProvenance: Record<string, FieldSource>;
}

/**
 * What an incoming record (an import row) makes of a stored profile, field by field:
 * - an empty value never erases (absent fields say nothing);
 * - a value replaces the stored one only if its source outranks the stored value's source
 *   (internal beats external, then newer beats older);
 * - tags add up; attributes merge key by key under the same rule;
 * - consent is never created or upgraded by an external source (a bought list cannot opt anyone
 *   in; it may record a denial), and otherwise follows the consent rule (consent-rule.ts): an
 *   import never undoes a withdrawal (denied or unsubscribed), its grants having no time of their own.
 */
export const mergeProfileFields = (
  previous: Profile,
  incoming: ProfileFields,
  from: FieldSource,
): MergeResult => {
  const base = writableFields(previous) as ProfileFields & Record<string, unknown>;
  const provenance: Record<string, FieldSource> = { ...(previous.fieldProvenance ?? {}) };
  const merged: Record<string, unknown> = { ...base };
  const take = (field: string, value: unknown) => {
    if (value === undefined || value === '') return;
    if (merged[field] === value) {
      if (outranks(from, provenance[field])) provenance[field] = from;
      return;
    }
    if (!outranks(from, provenance[field])) return;
    merged[field] = value;
    provenance[field] = from;
  };
  for (const field of SCALAR_FIELDS) take(field, (incoming as Record<string, unknown>)[field]);

  if (incoming.tags?.length) merged.tags = [...new Set([...(previous.tags ?? []), ...incoming.tags])];
  if (incoming.attributes) {
    const attributes: Record<string, unknown> = { ...(previous.attributes ?? {}) };
    for (const [key, value] of Object.entries(incoming.attributes)) {
      const path = `attributes.${key}`;
      if (value === null || value === '' || attributes[key] === value) continue;
      if (!outranks(from, provenance[path])) continue;
      attributes[key] = value;
      provenance[path] = from;
    }
    merged.attributes = attributes;
  }
  if (incoming.consent) {
    const consent: { email?: Consent; sms?: Consent } = { ...(previous.consent ?? {}) };
    for (const channel of ['email', 'sms'] as const) {
      const offered = incoming.consent[channel];
      const current = consent[channel];
      // A row that says nothing of a channel, or repeats its status, changes nothing.
      if (!offered || current?.status === offered.status) continue;
      if (from.kind === 'external' && offered.status === 'granted') continue;
      // An import's consent is stamped with the import's time: not the person's act (see the rule).
      const next = nextConsent(channel, current, offered, { explicit: false });
      if (next.consent !== offered) continue;
      consent[channel] = offered;
      provenance[`consent.${channel}`] = from;
    }
    merged.consent = consent;
  }
  return { fields: merged as ProfileFields, fieldProvenance: provenance };
};

/** Provenance of every field a client wrote at once (PUT/PATCH through the API). */
export const provenanceOfAll = (fields: ProfileFields, from: FieldSource): Record<string, FieldSource> => {
  const out: Record<string, FieldSource> = {};
  for (const field of SCALAR_FIELDS)
    if ((fields as Record<string, unknown>)[field] !== undefined) out[field] = from;
  for (const key of Object.keys(fields.attributes ?? {})) out[`attributes.${key}`] = from;
  for (const channel of ['email', 'sms'] as const)
    if (fields.consent?.[channel]) out[`consent.${channel}`] = from;
  return out;
};
