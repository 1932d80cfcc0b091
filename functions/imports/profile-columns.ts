import { type ProfileFields, profileFieldsSchema } from '../profiles/profile';
import type { FieldError } from '../shared/domain-errors';

/** Columns a profile file may carry; `attributes.<name>` columns fill custom attributes. */
export const PROFILE_COLUMNS = [
  'externalId',
  'email',
  'phone',
  'firstName',
  'lastName',
  'birthDate',
  'gender',
  'locale',
  'timeZone',
  'country',
  'city',
  'postalCode',
  'tags',
  'lastPurchaseAt',
  'lastActivityAt',
  'emailConsent',
  'smsConsent',
] as const;
export type ProfileColumn = (typeof PROFILE_COLUMNS)[number];

const squash = (name: string) =>
  name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
const BY_SQUASHED = new Map(PROFILE_COLUMNS.map((c) => [squash(c), c]));

export interface ColumnPlan {
  /** What each position holds: a profile column, an attribute name, or nothing (ignored). */
  readonly columns: readonly ({ column: ProfileColumn } | { attribute: string } | undefined)[];
  readonly ignored: readonly string[];
  /** Problems that make the whole file unreadable (e.g. a column named twice). */
  readonly errors: readonly string[];
}

/** Matches header cells to fields, ignoring case, spaces and punctuation (`First Name` = `firstName`). */
export const planColumns = (header: readonly string[]): ColumnPlan => {
  const seen = new Map<string, number>();
  const errors: string[] = [];
  const ignored: string[] = [];
  const columns = header.map((raw, index) => {
    const name = raw.trim();
    const attribute = /^attributes?\.([A-Za-z0-9_.-]{1,64})$/i.exec(name)?.[1];
    const target = attribute ? `attributes.${attribute}` : BY_SQUASHED.get(squash(name));
    if (!target) {
      if (name !== '') ignored.push(name);
      return undefined;
    }
    const first = seen.get(target);
    if (first !== undefined) errors.push(`columns ${first + 1} and ${index + 1} both hold ${target}`);
    seen.set(target, index);
    return attribute ? { attribute } : { column: target as ProfileColumn };
  });
  return { columns, ignored, errors };
};

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const CONSENT_WORDS: Record<string, 'granted' | 'denied'> = {
  granted: 'granted',
  yes: 'granted',
  y: 'granted',
  true: 'granted',
  '1': 'granted',
  'opt-in': 'granted',
  denied: 'denied',
  no: 'denied',
  n: 'denied',
  false: 'denied',
  '0': 'denied',
  'opt-out': 'denied',
};

/** A mapped record (field name -> cell, `attributes.<name>` for attributes) as profile fields. */
export const recordToProfileFields = (
  record: Readonly<Record<string, string>>,
  context: { readonly now: string; readonly source: string },
): { fields: ProfileFields } | { errors: FieldError[] } => {
  const names = Object.keys(record);
  const plan = planColumns(names);
  return rowToFields(
    plan,
    names.map((n) => record[n] ?? ''),
    context,
  );
};

/**
 * One row's cells as profile fields. Empty cells say nothing (they never erase). Validation is the
 * API's own schema, so a row is accepted exactly when the same fields would be over HTTP.
 */
export const rowToFields = (
  plan: ColumnPlan,
  cells: readonly string[],
  context: { readonly now: string; readonly source: string },
): { fields: ProfileFields } | { errors: FieldError[] } => {
  const raw: Record<string, unknown> = {};
  const attributes: Record<string, string> = {};
  const errors: FieldError[] = [];
  plan.columns.forEach((target, index) => {
    const cell = (cells[index] ?? '').trim();
    if (!target || cell === '') return;
    if ('attribute' in target) {
      attributes[target.attribute] = cell;
      return;
    }
    switch (target.column) {
      case 'tags':
        raw.tags = cell
          .split(/[;|]/)
          .map((t) => t.trim())
          .filter((t) => t !== '');
        break;
      case 'lastPurchaseAt':
      case 'lastActivityAt':
        raw[target.column] = DATE_ONLY.test(cell) ? `${cell}T00:00:00Z` : cell;
        break;
      case 'emailConsent':
      case 'smsConsent': {
        const status = CONSENT_WORDS[cell.toLowerCase()];
        if (!status) {
          errors.push({ path: target.column, message: 'must be granted or denied (yes/no)' });
          break;
        }
        const channel = target.column === 'emailConsent' ? 'email' : 'sms';
        raw.consent = {
          ...(raw.consent as object),
          [channel]: { status, source: context.source, timestamp: context.now },
        };
        break;
      }
      default:
        raw[target.column] = cell;
    }
  });
  if (Object.keys(attributes).length > 0) raw.attributes = attributes;
  const parsed = profileFieldsSchema.safeParse(raw);
  if (!parsed.success) {
    errors.push(
      ...parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
    );
  }
  if (errors.length > 0 || !parsed.success) return { errors };
  return { fields: parsed.data };
};
