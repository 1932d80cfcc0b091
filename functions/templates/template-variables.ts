import type { PurchaseAggregates } from '../events/purchase-aggregates';
import type { ProfileScores } from '../scoring-job/profile-scores';

// The variables a template may use, as a tree: a save refuses any other (a misspelt name is caught
// when the marketer saves, not when 100,000 messages go out), and template-context.ts builds the
// render context from the same tree, so what validates is exactly what renders.

export type ValueType = 'string' | 'number' | 'boolean' | 'date' | 'date-time' | 'attribute';

export type VariableNode =
  | { readonly kind: 'value'; readonly type: ValueType }
  /** Profile tags: index (`[0]`), `first`, `last`, `size`, or loop over them. */
  | { readonly kind: 'list' }
  | { readonly kind: 'object'; readonly fields: Readonly<Record<string, VariableNode>> }
  /** Open-ended names (`profile.attributes.<name>`, `purchases.categories.<name>`). */
  | {
      readonly kind: 'map';
      readonly keyName: string;
      readonly keyPattern: RegExp;
      readonly of: VariableNode;
    };

const value = (type: ValueType): VariableNode => ({ kind: 'value', type });
const object = (fields: Record<string, VariableNode>): VariableNode => ({ kind: 'object', fields });
const string = value('string');
const number = value('number');
const dateTime = value('date-time');

const consent = object({ status: string, source: string, timestamp: dateTime });

/** Profile fields a template can read; the rest of the stored profile is bookkeeping. */
export const PROFILE_VARIABLES = {
  profileId: string,
  externalId: string,
  email: string,
  phone: string,
  phoneType: string,
  firstName: string,
  lastName: string,
  birthDate: value('date'),
  gender: string,
  locale: string,
  timeZone: string,
  country: string,
  city: string,
  postalCode: string,
  tags: { kind: 'list' },
  attributes: {
    kind: 'map',
    keyName: 'attribute name',
    // The profile's own rule for attribute names (profile.ts): any other name can never hold a value.
    keyPattern: /^[A-Za-z0-9_.-]{1,64}$/,
    of: value('attribute'),
  },
  consent: object({ email: consent, sms: consent }),
  lastPurchaseAt: dateTime,
  lastActivityAt: dateTime,
  lastReactivationAt: dateTime,
  createdAt: dateTime,
  updatedAt: dateTime,
} as const satisfies Record<string, VariableNode>;

/** Stored profile fields templates do not see (where data came from, index keys, versions). */
export const PROFILE_FIELDS_NOT_IN_TEMPLATES = [
  'provenance',
  'fieldProvenance',
  'lastImportId',
  'version',
  'scoreLifecycleTier',
  'scoreCell',
  'scoreRank',
  // Their own roots: `scores.*` and `purchases.*`.
  'scores',
  'purchases',
] as const;

// `satisfies Record<keyof ...>`: a field added to the scores or the aggregates fails the type-check
// here until it is given a place in templates.
export const SCORE_VARIABLES = {
  runId: string,
  asOf: dateTime,
  timeUnit: string,
  scoredAt: dateTime,
  lifecycle: string,
  purchaseOccasions: number,
  totalSpend: number,
  rfm: object({ recency: number, frequency: number, monetary: number, score: string, segment: string }),
  pAlive: number,
  expectedPurchases: number,
  horizonPeriods: number,
  expectedSpend: number,
  clv: number,
  currency: string,
  valueTier: string,
  churnBand: string,
  valueRiskCell: string,
  action: string,
} as const satisfies Record<keyof ProfileScores, VariableNode>;

export const PURCHASE_VARIABLES = {
  currency: string,
  eventCount: number,
  orders: number,
  occasions: number,
  totalSpend: number,
  averageSpend: number,
  refunds: number,
  refundedAmount: number,
  firstPurchaseAt: dateTime,
  lastPurchaseAt: dateTime,
  categories: {
    kind: 'map',
    keyName: 'category',
    keyPattern: /^.{1,200}$/s,
    of: object({ spend: number, count: number }),
  },
  unconverted: number,
} as const satisfies Record<keyof PurchaseAggregates, VariableNode>;

/** Every variable root a template may use. */
export const TEMPLATE_VARIABLES = {
  profile: object(PROFILE_VARIABLES),
  scores: object(SCORE_VARIABLES),
  purchases: object(PURCHASE_VARIABLES),
  offer: object({ code: string, expiresAt: dateTime }),
  unsubscribe_url: string,
  preferences_url: string,
} as const satisfies Record<string, VariableNode>;

export type VariableRoot = keyof typeof TEMPLATE_VARIABLES;

/** A variable as liquidjs's static analysis gives it: names, indexes, and nested variables (`a[b]`). */
export type VariableSegments = ReadonlyArray<string | number | VariableSegments>;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** A variable as written: `profile.firstName`, `profile.attributes[key]`, `profile.tags[0]`. */
export const variableName = (segments: VariableSegments): string =>
  segments
    .map((s, i) =>
      typeof s === 'number'
        ? `[${s}]`
        : typeof s !== 'string'
          ? `[${variableName(s)}]`
          : !IDENTIFIER.test(s)
            ? `[${JSON.stringify(s)}]`
            : i === 0
              ? s
              : `.${s}`,
    )
    .join('');

/** Levenshtein distance, to suggest the name a typo meant. */
const distance = (a: string, b: string): number => {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row.push(
        Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)),
      );
    previous = row;
  }
  return previous[b.length]!;
};

const suggestion = (name: string, known: readonly string[], prefix = ''): string => {
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of known) {
    const d = distance(name.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best === undefined ? '' : ` (did you mean ${prefix}${best}?)`;
};

const LIST_PROPERTIES = ['first', 'last', 'size'];

/**
 * Why a variable may not be used, or undefined when it may. Names are checked as written; an index
 * by another variable is allowed only where any name is (attributes, categories, tags).
 */
export const checkVariable = (segments: VariableSegments): string | undefined => {
  const [root, ...rest] = segments;
  const roots = Object.keys(TEMPLATE_VARIABLES);
  if (typeof root !== 'string' || !Object.hasOwn(TEMPLATE_VARIABLES, root))
    return `unknown variable ${variableName(segments)}${typeof root === 'string' ? suggestion(root, roots) : ''}; the variables are ${roots.join(', ')}`;
  let node: VariableNode = TEMPLATE_VARIABLES[root as VariableRoot];
  for (let i = 0; i < rest.length; i++) {
    const segment = rest[i]!;
    const at = variableName(segments.slice(0, i + 1));
    const here = variableName(segments.slice(0, i + 2));
    if (node.kind === 'object') {
      const fields = Object.keys(node.fields);
      if (typeof segment !== 'string')
        return `${here}: the fields of ${at} are named, not looked up by ${Array.isArray(segment) ? 'a variable' : 'number'}`;
      if (!Object.hasOwn(node.fields, segment))
        return `unknown variable ${here}${suggestion(segment, fields, `${at}.`)}`;
      node = node.fields[segment]!;
    } else if (node.kind === 'map') {
      if (typeof segment === 'number') return `${here}: ${at} is looked up by ${node.keyName}, not by number`;
      if (typeof segment === 'string' && !node.keyPattern.test(segment))
        return `${here}: "${segment}" is not a valid ${node.keyName}`;
      // The context keeps JavaScript's own names (toString...) for JavaScript (template-context.ts).
      if (typeof segment === 'string' && segment in Object.prototype)
        return `${here}: "${segment}" is a reserved name`;
      node = node.of;
    } else if (node.kind === 'list') {
      if (typeof segment === 'string' && !LIST_PROPERTIES.includes(segment))
        return `${here}: a list has ${LIST_PROPERTIES.join(', ')} and numbered items`;
      // An item or the first or last one is a string: only its size can follow.
      node = segment === 'size' ? number : string;
    } else {
      const hasSize = node.type === 'string' || node.type === 'attribute';
      if (!hasSize || segment !== 'size')
        return `${here}: ${at} is a ${node.type === 'attribute' ? 'value' : node.type}${hasSize ? ', which has only size' : ''}`;
      node = number;
    }
  }
  return undefined;
};

/** Every path the tree allows, with `<name>` for open names (for the reference and its test). */
export const templateVariablePaths = (): string[] => {
  const paths: string[] = [];
  const walk = (node: VariableNode, path: string) => {
    if (node.kind === 'object')
      for (const [k, child] of Object.entries(node.fields)) walk(child, `${path}.${k}`);
    else if (node.kind === 'map') walk(node.of, `${path}.<${node.keyName.replace(/ /g, '-')}>`);
    else paths.push(path);
  };
  for (const [root, node] of Object.entries(TEMPLATE_VARIABLES)) walk(node, root);
  return paths;
};
