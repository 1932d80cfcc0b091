// JSON numbers the way DynamoDB keeps them: a number is stored as the decimal its double prints
// (String(n)), so a number is kept exactly as sent only when that decimal is the one sent, and
// DynamoDB holds only magnitudes from 1e-130 to 9.99...e125 (38 digits). JSON.parse alone rounds
// 9007199254740993 to ...992 without a word, and hands 1e300 on to a write DynamoDB refuses (a 500).
// Parsing with the source text of each number (Node 22's JSON.parse reviver context) finds both.

/** DynamoDB's largest is 9.99...e125 (38 nines): every double below 1e126 prints within it. */
const TOO_LARGE = 1e126;
const MIN_MAGNITUDE = 1e-130;

/** Stands where the body had a number that cannot be stored as sent; says why. */
export class UnstorableNumber {
  constructor(
    readonly source: string,
    readonly reason: string,
  ) {}
}

/** `-0012.50e1` -> digits `125`, exponent 0: the decimal's value, spelt one way only. */
const canonical = (decimal: string): string => {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(decimal);
  if (!m) return decimal;
  const [, sign, int = '', frac = '', exp = '0'] = m;
  let digits = `${int}${frac}`.replace(/^0+/, '');
  let exponent = Number(exp) - frac.length;
  if (digits === '') return '0';
  const trailing = /0+$/.exec(digits)?.[0].length ?? 0;
  digits = digits.slice(0, digits.length - trailing);
  exponent += trailing;
  return `${sign}${digits}e${exponent}`;
};

const problemOf = (value: number, source: string): string | undefined => {
  const magnitude = Math.abs(value);
  if (!Number.isFinite(value) || magnitude >= TOO_LARGE)
    return 'is too large to store (numbers are kept up to 9.99e125)';
  if (magnitude !== 0 && magnitude < MIN_MAGNITUDE)
    return 'is too small to store (numbers are kept down to 1e-130; send 0 for zero)';
  if (value === 0 && /[1-9]/.test(source.split(/[eE]/)[0] ?? ''))
    return 'is too small to store (numbers are kept down to 1e-130; send 0 for zero)';
  if (canonical(source) !== canonical(String(value)))
    return `cannot be kept exactly (it would be stored as ${String(value)}); send it as a string`;
  return undefined;
};

/** JSON.parse, with every number that cannot be stored as sent replaced by an UnstorableNumber. */
export const parseJsonExactly = (text: string): unknown =>
  JSON.parse(text, (_key, value: unknown, context?: { source?: string }) => {
    if (typeof value !== 'number' || context?.source === undefined) return value;
    const problem = problemOf(value, context.source);
    return problem ? new UnstorableNumber(context.source, problem) : value;
  });

/** Where a parsed body holds unstorable numbers, as field errors (`attributes.n`, `events.3.properties.x`). */
export const unstorableNumbers = (
  value: unknown,
  path: readonly (string | number)[] = [],
): { path: string; message: string }[] => {
  if (value instanceof UnstorableNumber) return [{ path: path.join('.') || '(body)', message: value.reason }];
  if (Array.isArray(value)) return value.flatMap((v, i) => unstorableNumbers(v, [...path, i]));
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).flatMap(([k, v]) => unstorableNumbers(v, [...path, k]));
  return [];
};
