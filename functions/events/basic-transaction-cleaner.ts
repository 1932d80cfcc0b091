import type { TransactionCleaner, TransactionValue } from './transaction-value';

/**
 * A small cleaner of transaction records (fields: eventId, orderId, externalId, email, phone, date,
 * amount, currency, quantity, sku, category, type, channel), used until the ingest cleaners of
 * transaction files land. Dates: ISO 8601 date-times with a zone, or dates in the manifest's
 * `dateFormat` (else YYYY-MM-DD or YYYYMMDD) at midnight in the manifest's `timeZone` (default UTC).
 */
export const basicTransactionCleaner: TransactionCleaner = (fields, context) => {
  const reasons: string[] = [];
  const get = (name: string) => (fields[name] ?? '').trim();
  const manifest = context.manifest;

  const customer: { externalId?: string; email?: string; phone?: string } = {};
  for (const kind of ['externalId', 'email', 'phone'] as const) {
    const value = get(kind);
    if (value !== '') customer[kind] = value;
  }
  if (Object.keys(customer).length === 0) reasons.push('needs at least one of externalId, email or phone');

  const date = get('date') || get('timestamp');
  const timestamp =
    date === '' ? undefined : parseWhen(date, manifest.dateFormat, manifest.timeZone ?? 'UTC');
  if (date === '') reasons.push('date: is required');
  else if (timestamp === undefined)
    reasons.push(`date: "${date}" is not a date${manifest.dateFormat ? ` in ${manifest.dateFormat}` : ''}`);

  const amountText = get('amount');
  const amount = amountText === '' ? undefined : parseAmount(amountText, manifest.decimalSeparator ?? '.');
  if (amountText === '') reasons.push('amount: is required');
  else if (amount === undefined) reasons.push(`amount: "${amountText}" is not a number`);

  const typeText = get('type').toLowerCase();
  const type = typeText === '' ? undefined : TYPE_WORDS[typeText];
  if (typeText !== '' && !type) reasons.push(`type: "${typeText}" is neither a purchase nor a refund`);

  const currency = get('currency').toUpperCase() || manifest.currency;
  if (currency !== undefined && !/^[A-Z]{3}$/.test(currency))
    reasons.push('currency: must be an ISO 4217 code');

  const quantityText = get('quantity');
  const quantity = quantityText === '' ? undefined : Number(quantityText);
  if (quantity !== undefined && !(Number.isInteger(quantity) && quantity > 0 && quantity <= 1_000_000)) {
    reasons.push('quantity: must be a whole number above 0');
  }
  const eventId = get('eventId');
  if (eventId !== '' && !/^[A-Za-z0-9._:-]{1,128}$/.test(eventId)) {
    reasons.push('eventId: must be 1-128 of A-Z a-z 0-9 . _ : -');
  }
  const text = (name: string, max: number) => {
    const value = get(name);
    if (value.length > max) reasons.push(`${name}: must be at most ${max} characters`);
    return value === '' ? {} : { [name]: value };
  };
  const optional = {
    ...text('orderId', 128),
    ...text('sku', 128),
    ...text('category', 128),
    ...text('channel', 64),
  };

  if (type === 'purchase' && amount !== undefined && amount < 0)
    reasons.push('amount: a purchase is not negative');
  if (reasons.length > 0 || timestamp === undefined || amount === undefined) return { reasons };
  const value: TransactionValue = {
    customer,
    type: type ?? (amount < 0 ? 'refund' : 'purchase'),
    timestamp,
    amount: Math.abs(amount),
    ...(currency ? { currency } : {}),
    ...(eventId ? { eventId } : {}),
    ...(quantity !== undefined ? { quantity } : {}),
    ...optional,
  };
  return { value, warnings: [] };
};

const TYPE_WORDS: Record<string, 'purchase' | 'refund'> = {
  purchase: 'purchase',
  sale: 'purchase',
  order: 'purchase',
  refund: 'refund',
  return: 'refund',
  credit: 'refund',
};

const DATE_PATTERNS: Record<string, RegExp> = {
  'YYYY-MM-DD': /^(?<y>\d{4})-(?<m>\d{1,2})-(?<d>\d{1,2})$/,
  YYYYMMDD: /^(?<y>\d{4})(?<m>\d{2})(?<d>\d{2})$/,
  'DD/MM/YYYY': /^(?<d>\d{1,2})\/(?<m>\d{1,2})\/(?<y>\d{4})$/,
  'MM/DD/YYYY': /^(?<m>\d{1,2})\/(?<d>\d{1,2})\/(?<y>\d{4})$/,
  'DD.MM.YYYY': /^(?<d>\d{1,2})\.(?<m>\d{1,2})\.(?<y>\d{4})$/,
  'DD-MM-YYYY': /^(?<d>\d{1,2})-(?<m>\d{1,2})-(?<y>\d{4})$/,
  'YYYY/MM/DD': /^(?<y>\d{4})\/(?<m>\d{1,2})\/(?<d>\d{1,2})$/,
};

/** Minutes `timeZone` is ahead of UTC at the instant `utcMs`. */
const offsetMinutes = (timeZone: string, utcMs: number): number => {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(utcMs));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return (
    (Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) - utcMs) / 60_000
  );
};

const parseWhen = (text: string, format: string | undefined, timeZone: string): string | undefined => {
  if (/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/i.test(text)) {
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
  }
  const patterns = format ? [DATE_PATTERNS[format]] : [DATE_PATTERNS['YYYY-MM-DD'], DATE_PATTERNS.YYYYMMDD];
  for (const pattern of patterns) {
    const g = pattern?.exec(text)?.groups;
    if (!g) continue;
    const [y, m, d] = [Number(g.y), Number(g.m), Number(g.d)];
    const wall = Date.UTC(y, m - 1, d);
    const check = new Date(wall);
    if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d)
      return undefined;
    try {
      const first = wall - offsetMinutes(timeZone, wall) * 60_000;
      return new Date(wall - offsetMinutes(timeZone, first) * 60_000).toISOString();
    } catch {
      return undefined;
    }
  }
  return undefined;
};

const parseAmount = (text: string, decimal: '.' | ','): number | undefined => {
  let t = text.replace(/[\s$€£¥]/g, '');
  t = decimal === ',' ? t.replace(/\./g, '').replace(',', '.') : t.replace(/,/g, '');
  if (!/^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(t)) return undefined;
  const n = Number(t);
  return Number.isFinite(n) && Math.abs(n) < 1e12 ? n : undefined;
};
