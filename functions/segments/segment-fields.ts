import { PHONE_TYPES } from '../profiles/profile';
import { DEFAULT_CHURN_BANDS } from '../scoring/churn-band';
import { LIFECYCLE_STAGES } from '../scoring/lifecycle-stage';
import { RFM_SEGMENTS } from '../scoring/rfm-segment';
import { DEFAULT_VALUE_RISK_MATRIX, matrixCells } from '../scoring/value-risk-matrix';
import { DEFAULT_VALUE_TIERS } from '../scoring/value-tier';
import type { AttributeOp } from './segment-rule';

// The fields an attribute leaf may test: every profile field and what the system keeps on the
// profile (purchase aggregates, scores), each with its type and how it is read from a profile item.
// The type decides which ops are valid and what a value must be; `attribute` is the top-level item
// attribute that holds the field, which is what a scan must project.

export type FieldType =
  | 'string'
  | 'number'
  | 'boolean'
  | 'date-time'
  | 'date'
  | 'string-list'
  | 'enum'
  /** `attributes.<name>`: any JSON scalar, compared by the value's JSON type. */
  | 'scalar';

export interface SegmentField {
  readonly path: string;
  readonly type: FieldType;
  /** The values an enum may take. */
  readonly values?: readonly string[];
  /** The top-level profile item attribute the field lives in. */
  readonly attribute: string;
  /** The field's value on a profile item; undefined or null when it has none. */
  readonly read: (profile: ProfileItem) => unknown;
  /**
   * Counters and amounts of the purchase aggregates read 0 when the profile has none (a profile
   * without purchases has 0 orders), so `purchases.orders lt 2` includes those who never bought.
   */
  readonly zeroWhenMissing?: boolean;
  /** How a rule's string value is put in the form profiles store (country codes are upper case). */
  readonly normalise?: (value: string) => string;
}

/** A profile item as read from the table (any projection of it). */
export type ProfileItem = Readonly<Record<string, unknown>>;

export const OPS_BY_TYPE: Readonly<Record<FieldType, readonly AttributeOp[]>> = {
  string: ['eq', 'ne', 'in', 'notIn', 'contains', 'exists', 'notExists'],
  enum: ['eq', 'ne', 'in', 'notIn', 'exists', 'notExists'],
  number: ['eq', 'ne', 'in', 'notIn', 'gt', 'gte', 'lt', 'lte', 'exists', 'notExists'],
  boolean: ['eq', 'ne', 'exists', 'notExists'],
  // An instant is never "equal" to a date a marketer types; ranges are what they mean.
  'date-time': ['gt', 'gte', 'lt', 'lte', 'before', 'after', 'exists', 'notExists'],
  date: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'before', 'after', 'exists', 'notExists'],
  'string-list': ['contains', 'in', 'notIn', 'exists', 'notExists'],
  scalar: [
    'eq',
    'ne',
    'in',
    'notIn',
    'gt',
    'gte',
    'lt',
    'lte',
    'contains',
    'before',
    'after',
    'exists',
    'notExists',
  ],
};

/** The ops valid for a field: those of its type, less exists / notExists for fields that read 0. */
export const opsFor = (field: SegmentField): readonly AttributeOp[] =>
  field.zeroWhenMissing
    ? OPS_BY_TYPE[field.type].filter((op) => op !== 'exists' && op !== 'notExists')
    : OPS_BY_TYPE[field.type];

/** The labels the scoring job writes; a deployment with other tiers or bands passes its own. */
export interface ScoreVocabulary {
  readonly valueTiers: readonly string[];
  readonly churnBands: readonly string[];
  readonly lifecycleStages: readonly string[];
  readonly rfmSegments: readonly string[];
  readonly valueRiskCells: readonly string[];
  readonly actions: readonly string[];
}

export const DEFAULT_SCORE_VOCABULARY: ScoreVocabulary = {
  valueTiers: DEFAULT_VALUE_TIERS.tiers.map((t) => t.name),
  churnBands: DEFAULT_CHURN_BANDS.map((b) => b.name),
  lifecycleStages: LIFECYCLE_STAGES,
  rfmSegments: RFM_SEGMENTS,
  valueRiskCells: matrixCells(DEFAULT_CHURN_BANDS.map((b) => b.name)).map((c) => c.key),
  actions: [...new Set(Object.values(DEFAULT_VALUE_RISK_MATRIX.actions).map((a) => a.action))],
};

/** A reader of a nested path, e.g. ['consent', 'email', 'status']. */
const reader = (keys: readonly string[]): ((profile: ProfileItem) => unknown) => {
  const [a, b, c, d] = keys;
  const at = (o: unknown, k: string): unknown =>
    o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined;
  switch (keys.length) {
    case 1:
      return (p) => p[a!];
    case 2:
      return (p) => at(p[a!], b!);
    case 3:
      return (p) => at(at(p[a!], b!), c!);
    default:
      return (p) => at(at(at(p[a!], b!), c!), d!);
  }
};

const upper = (s: string) => s.toUpperCase();
const lower = (s: string) => s.toLowerCase();

export interface SegmentFieldCatalogue {
  /** The field of a path, or undefined when no field has it. */
  field(path: string): SegmentField | undefined;
  /** Every fixed path, and the patterns of the open ones (`attributes.<name>`), for suggestions and docs. */
  readonly paths: readonly string[];
}

export const ATTRIBUTES_PREFIX = 'attributes.';
export const CATEGORY_PREFIX = 'purchases.categories.';
const ATTRIBUTE_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/** The catalogue of fields, with the score labels of a deployment. */
export const segmentFieldCatalogue = (
  vocabulary: ScoreVocabulary = DEFAULT_SCORE_VOCABULARY,
): SegmentFieldCatalogue => {
  const fixed = new Map<string, SegmentField>();
  const add = (path: string, type: FieldType, extra: Partial<SegmentField> = {}) => {
    const keys = path.split('.');
    fixed.set(path, { path, type, attribute: keys[0]!, read: reader(keys), ...extra });
  };

  for (const p of [
    'profileId',
    'externalId',
    'firstName',
    'lastName',
    'locale',
    'timeZone',
    'city',
    'postalCode',
  ])
    add(p, 'string');
  add('email', 'string', { normalise: lower });
  add('phone', 'string');
  add('country', 'string', { normalise: upper });
  add('birthDate', 'date');
  add('gender', 'enum', { values: ['female', 'male', 'other', 'unknown'] });
  add('phoneType', 'enum', { values: PHONE_TYPES });
  add('tags', 'string-list');
  add('version', 'number');
  for (const p of ['createdAt', 'updatedAt', 'lastPurchaseAt', 'lastActivityAt', 'lastReactivationAt'])
    add(p, 'date-time');

  for (const channel of ['email', 'sms']) {
    add(`consent.${channel}.status`, 'enum', { values: ['granted', 'denied', 'unsubscribed'] });
    add(`consent.${channel}.timestamp`, 'date-time');
    add(`consent.${channel}.source`, 'string');
  }
  add('provenance.kind', 'enum', { values: ['internal', 'external'] });
  add('provenance.source', 'string');
  add('provenance.firstSeenAt', 'date-time');
  add('provenance.lastUpdatedAt', 'date-time');

  for (const p of [
    'eventCount',
    'orders',
    'occasions',
    'totalSpend',
    'averageSpend',
    'refunds',
    'refundedAmount',
  ])
    add(`purchases.${p}`, 'number', { zeroWhenMissing: true });
  add('purchases.firstPurchaseAt', 'date-time');
  add('purchases.lastPurchaseAt', 'date-time');
  add('purchases.currency', 'string');

  add('scores.rfm.segment', 'enum', { values: vocabulary.rfmSegments });
  for (const p of ['recency', 'frequency', 'monetary']) add(`scores.rfm.${p}`, 'number');
  add('scores.rfm.score', 'string');
  for (const p of ['pAlive', 'clv', 'expectedPurchases', 'expectedSpend', 'purchaseOccasions', 'totalSpend'])
    add(`scores.${p}`, 'number');
  add('scores.valueTier', 'enum', { values: vocabulary.valueTiers });
  add('scores.churnBand', 'enum', { values: vocabulary.churnBands });
  add('scores.lifecycle', 'enum', { values: vocabulary.lifecycleStages });
  add('scores.valueRiskCell', 'enum', { values: vocabulary.valueRiskCells });
  add('scores.action', 'enum', { values: vocabulary.actions });
  add('scores.scoredAt', 'date-time');
  add('scores.asOf', 'date');
  add('scores.runId', 'string');

  return {
    paths: [
      ...fixed.keys(),
      `${ATTRIBUTES_PREFIX}<name>`,
      `${CATEGORY_PREFIX}<name>.spend`,
      `${CATEGORY_PREFIX}<name>.count`,
    ],
    field(path) {
      const known = fixed.get(path);
      if (known) return known;
      if (path.startsWith(ATTRIBUTES_PREFIX)) {
        // Attribute names may hold dots: everything after the prefix is the name.
        const name = path.slice(ATTRIBUTES_PREFIX.length);
        if (!ATTRIBUTE_NAME.test(name)) return undefined;
        return {
          path,
          type: 'scalar',
          attribute: 'attributes',
          read: (p) => {
            const a = p.attributes;
            return a !== null && typeof a === 'object' ? (a as Record<string, unknown>)[name] : undefined;
          },
        };
      }
      if (path.startsWith(CATEGORY_PREFIX)) {
        const rest = path.slice(CATEGORY_PREFIX.length);
        const dot = rest.lastIndexOf('.');
        const name = rest.slice(0, dot);
        const measure = rest.slice(dot + 1);
        if (dot <= 0 || (measure !== 'spend' && measure !== 'count')) return undefined;
        const read = reader(['purchases', 'categories']);
        return {
          path,
          type: 'number',
          attribute: 'purchases',
          zeroWhenMissing: true,
          read: (p) => {
            const categories = read(p);
            if (categories === null || typeof categories !== 'object') return undefined;
            const c = (categories as Record<string, unknown>)[name];
            return c !== null && typeof c === 'object' ? (c as Record<string, unknown>)[measure] : undefined;
          },
        };
      }
      return undefined;
    },
  };
};

export const DEFAULT_SEGMENT_FIELDS: SegmentFieldCatalogue = segmentFieldCatalogue();
