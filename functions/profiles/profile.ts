import { z } from 'zod';
import type { ActivitySummary } from '../segments/activity-summary';

/**
 * The single customer view. `profileInputSchema` is what a client may write; `Profile` is what is
 * stored and returned (input plus identity, version and timestamps).
 */

export const PROFILE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
export const profileIdSchema = z
  .string()
  .regex(PROFILE_ID_PATTERN, 'must be 1-128 characters: letters, digits, ".", "_", ":" or "-"');

export const MAX_ATTRIBUTES = 50;
export const MAX_ATTRIBUTES_BYTES = 8 * 1024;
export const MAX_TAGS = 50;

const timestamp = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with a time zone' });
const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

// C0 and C1 controls (NUL, BEL, line breaks...) and the bidi embeddings, overrides and isolates
// (U+202E turns "gpj.exe" around): nothing a name needs, and each one corrupts a Subject or a page.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it removes
const CONTROL_OR_BIDI = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** A field a person reads (a name, a city): stripped of control and bidi characters, then as `text`. */
const displayText = (max: number) =>
  z
    .string()
    .overwrite((v) => v.replace(CONTROL_OR_BIDI, ''))
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`);

/** A profile tag: what rows, the API and a drop-folder manifest may name. */
export const tagSchema = text(64);

export const consentStatusSchema = z.enum(['granted', 'denied', 'unsubscribed']);
export type ConsentStatus = z.infer<typeof consentStatusSchema>;

export const consentSchema = z.strictObject({
  status: consentStatusSchema,
  source: text(100),
  timestamp,
});
export type Consent = z.infer<typeof consentSchema>;

export const channelSchema = z.enum(['email', 'sms']);
export type Channel = z.infer<typeof channelSchema>;

export const provenanceSchema = z.strictObject({
  kind: z.enum(['internal', 'external']),
  source: text(100),
  firstSeenAt: timestamp.optional(),
  lastUpdatedAt: timestamp.optional(),
});
export type Provenance = z.infer<typeof provenanceSchema>;

const attributeValue = z.union([z.string().max(1000), z.number(), z.boolean(), z.null()]);
export const attributesSchema = z
  .record(
    z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'attribute names are 1-64 of A-Z a-z 0-9 _ . -'),
    attributeValue,
  )
  .refine((a) => Object.keys(a).length <= MAX_ATTRIBUTES, `at most ${MAX_ATTRIBUTES} attributes`)
  .refine(
    (a) => Buffer.byteLength(JSON.stringify(a)) <= MAX_ATTRIBUTES_BYTES,
    `attributes must be at most ${MAX_ATTRIBUTES_BYTES} bytes as JSON`,
  );

const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

/** Fields a client writes. Email and phone are normalised after validation (see normalize-contact.ts). */
export const profileFieldsSchema = z.strictObject({
  externalId: text(128).optional(),
  email: z.string().trim().max(254).optional(),
  phone: z.string().trim().max(32).optional(),
  firstName: displayText(100).optional(),
  lastName: displayText(100).optional(),
  birthDate: z.iso.date('must be a date YYYY-MM-DD').optional(),
  gender: z.enum(['female', 'male', 'other', 'unknown']).optional(),
  locale: z
    .string()
    .regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, 'must be a BCP 47 language tag such as en-GB')
    .optional(),
  timeZone: z.string().refine(isTimeZone, 'must be an IANA time zone such as Europe/London').optional(),
  country: z
    .string()
    .regex(/^[A-Za-z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code')
    .transform((c) => c.toUpperCase())
    .optional(),
  city: displayText(100).optional(),
  postalCode: text(20).optional(),
  tags: z.array(tagSchema).max(MAX_TAGS, `at most ${MAX_TAGS} tags`).optional(),
  attributes: attributesSchema.optional(),
  consent: z.strictObject({ email: consentSchema.optional(), sms: consentSchema.optional() }).optional(),
  provenance: provenanceSchema.optional(),
  lastPurchaseAt: timestamp.optional(),
  lastActivityAt: timestamp.optional(),
});
export type ProfileFields = z.infer<typeof profileFieldsSchema>;

export const profileInputSchema = profileFieldsSchema.meta({ id: 'ProfileInput' });

/** A JSON Merge Patch (RFC 7396) of profile fields; the merged profile is validated as a whole. */
export const profilePatchSchema = z.record(z.string(), z.unknown()).meta({
  id: 'ProfilePatch',
  description: 'JSON Merge Patch (RFC 7396) of ProfileInput fields: null removes a field, objects merge.',
});

/** Where a field's current value came from. */
export interface FieldSource {
  readonly source: string;
  readonly kind: 'internal' | 'external';
  readonly at: string;
}

export const PHONE_TYPES = ['mobile', 'landline', 'voip', 'other', 'unknown'] as const;
export type PhoneType = (typeof PHONE_TYPES)[number];

/** Fields the system maintains; clients read them, never write them. */
export interface SystemFields {
  readonly profileId: string;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** When a reactivation run last contacted this profile. */
  readonly lastReactivationAt?: string;
  /** The recent marketing sends the frequency cap counts (campaigns/frequency-cap.ts), kept by the sender. */
  readonly contactLog?: unknown;
  /** Line type of `phone` (mobile, landline ...), derived from the number. */
  readonly phoneType?: PhoneType;
  /** Source and time of each field's current value (`attributes.<key>`, `consent.<channel>` for those). */
  readonly fieldProvenance?: Readonly<Record<string, FieldSource>>;
  /** The last import that wrote this profile (tells an in-file duplicate from an existing customer). */
  readonly lastImportId?: string;
  /** Purchase aggregates, maintained from purchase and refund events. */
  readonly purchases?: Readonly<Record<string, unknown>>;
  /** The latest scoring run's scores (see functions/scoring-job/profile-scores.ts). */
  readonly scores?: Readonly<Record<string, unknown>>;
  /** What the customer did, per event type and day (segments/activity-summary.ts), and its event count. */
  readonly activity?: ActivitySummary;
  readonly activityCount?: number;
  /** Keys of the score indexes (which segment and cell, ranked by value), written with `scores`. */
  readonly scoreLifecycleTier?: string;
  readonly scoreCell?: string;
  readonly scoreRank?: string;
}

/** System fields a replacement keeps from the stored profile. */
export const CARRIED_SYSTEM_FIELDS = [
  'lastReactivationAt',
  'contactLog',
  'lastImportId',
  'purchases',
  'activity',
  'activityCount',
  'scores',
  'scoreLifecycleTier',
  'scoreCell',
  'scoreRank',
] as const;

export type Profile = Omit<ProfileFields, 'provenance'> & SystemFields & { provenance: Provenance };

export const profileSchema = profileFieldsSchema
  .extend({
    profileId: z.string(),
    version: z.number().int(),
    createdAt: timestamp,
    updatedAt: timestamp,
    lastReactivationAt: timestamp.optional(),
    phoneType: z.enum(PHONE_TYPES).optional(),
    fieldProvenance: z
      .record(
        z.string(),
        z.object({ source: z.string(), kind: z.enum(['internal', 'external']), at: z.string() }),
      )
      .optional(),
    lastImportId: z.string().optional(),
    purchases: z.record(z.string(), z.unknown()).optional(),
    scores: z
      .record(z.string(), z.unknown())
      .optional()
      .describe(
        'The latest scoring run: RFM, P(alive), expected purchases and spend, CLV, tier, risk, stage.',
      ),
    scoreLifecycleTier: z.string().optional(),
    scoreCell: z.string().optional(),
    scoreRank: z.string().optional(),
    provenance: provenanceSchema,
  })
  .meta({ id: 'Profile' });

/** The identifiers that are unique across profiles. */
export const IDENTIFIER_KINDS = ['email', 'phone', 'externalId'] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];
